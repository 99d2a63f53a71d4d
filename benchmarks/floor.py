"""The direct-SQL floor: execute a list of statements on the engine in one session, in
order, without dbt, and print the seconds spent (JSON on the last line).

    python -m benchmarks.floor STATEMENTS.json   (written by benchmarks/run.py)

The connection is configured from the same environment variables as the dbt profile,
and gets the pseudonymization key the same way dbt's does (outside the SQL): DuckDB a
variable, PostgreSQL PGOPTIONS, MySQL the statement of dbt-mysql's connection hook, Spark
the environment its JVM inherits from this process (as dbt-spark's session mode does),
with the profile's development default as the Spark conf.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine_plugins"))
from development_key import KEY_VARIABLE, UNSAFE_DEVELOPMENT_KEY  # noqa: E402


def connect(engine: str):
    key = os.environ.get(KEY_VARIABLE) or UNSAFE_DEVELOPMENT_KEY
    if engine == "duckdb":
        import duckdb

        connection = duckdb.connect(os.environ["DBT_DUCKDB_PATH"])
        connection.execute("set variable sales_insights_pseudonymization_key = ?", [key])
        # the same cap as the dbt profile's, so the floor and dbt work under one memory budget
        connection.execute(f"set memory_limit = '{os.environ.get('DBT_DUCKDB_MEMORY_LIMIT', '80%')}'")
        connection.execute("set preserve_insertion_order = "
                           f"{os.environ.get('DBT_DUCKDB_PRESERVE_INSERTION_ORDER', 'true')}")
        return connection, connection.execute
    if engine == "postgres":
        import psycopg2

        # PGOPTIONS (set by scripts/_env.sh) carries the key, as for dbt
        connection = psycopg2.connect(host=os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
                                      port=int(os.environ.get("DBT_POSTGRES_PORT", "5432")),
                                      user=os.environ.get("DBT_POSTGRES_USER", "postgres"),
                                      password=os.environ.get("DBT_POSTGRES_PASSWORD", ""),
                                      dbname=os.environ["DBT_POSTGRES_DBNAME"])
        connection.autocommit = True
        cursor = connection.cursor()
        return connection, cursor.execute
    if engine == "mysql":
        import pymysql

        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine_plugins"))
        from mysql_pseudonymization_key import init_command  # the statement dbt-mysql's hook runs

        connection = pymysql.connect(host=os.environ.get("DBT_MYSQL_HOST", "127.0.0.1"),
                                     port=int(os.environ.get("DBT_MYSQL_PORT", "3306")),
                                     user=os.environ.get("DBT_MYSQL_USER", "root"),
                                     password=os.environ.get("DBT_MYSQL_PASSWORD", ""),
                                     charset="utf8mb4", autocommit=True)
        cursor = connection.cursor()
        # the session dbt-mysql opens: its collation (profile) and the key (the hook)
        cursor.execute(f"set names utf8mb4 collate {os.environ.get('DBT_MYSQL_COLLATION', 'utf8mb4_bin')}")
        cursor.execute(init_command(key))
        return connection, cursor.execute
    if engine == "spark":
        from pyspark.sql import SparkSession

        # the session dbt-spark opens (profiles.yml.example, spark target), in this process
        spark_dir = os.path.abspath(os.environ.get("DBT_SPARK_DIR", "target/spark"))
        spark = (SparkSession.builder.appName("sales_insights_floor")
                 .config("spark.sql.warehouse.dir", f"{spark_dir}/warehouse")
                 .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                         "jdbc:derby:;databaseName=metastore_db;create=true")
                 .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir}")
                 .config("spark.driver.memory", os.environ.get("DBT_SPARK_DRIVER_MEMORY", "2g"))
                 .config("spark.sql.shuffle.partitions", os.environ.get("DBT_SPARK_SHUFFLE_PARTITIONS", "2"))
                 .config("spark.ui.enabled", "false")
                 .config("spark.sql.session.timeZone", "UTC")
                 .config("spark.sql.ansi.enabled", "false")  # as dbt-spark sets it
                 .config("spark.sales_insights.development_pseudonymization_key", UNSAFE_DEVELOPMENT_KEY)
                 .enableHiveSupport().getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")

        class Session:
            def close(self):
                spark.stop()

        # collect() makes Spark run the statement (a DDL statement runs on sql() anyway)
        return Session(), lambda statement: spark.sql(statement).collect()
    raise SystemExit(f"no floor runner for {engine}")


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    connection, execute = connect(plan["engine"])
    # setup (the floor's own schemas) and teardown are not part of the floor's time
    for statement in plan.get("setup", []):
        execute(statement)
    started = time.perf_counter()
    for statement in plan["statements"]:
        execute(statement)
    seconds = time.perf_counter() - started
    for statement in plan.get("teardown", []):
        execute(statement)
    connection.close()
    print(json.dumps({"statements": len(plan["statements"]), "statements_seconds": round(seconds, 2)}))


if __name__ == "__main__":
    main()
