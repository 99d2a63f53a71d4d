"""The direct-SQL floor: execute a list of statements on the engine in one session, in
order, without dbt, and print the seconds spent (JSON on the last line).

    python -m benchmarks.floor STATEMENTS.json   (written by benchmarks/run.py)

The connection is configured from the same environment variables as the dbt profile,
and gets the pseudonymization key the same way dbt's does (outside the SQL).
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
    raise SystemExit(f"no floor runner for {engine}")


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    connection, execute = connect(plan["engine"])
    started = time.perf_counter()
    for statement in plan["statements"]:
        execute(statement)
    seconds = time.perf_counter() - started
    connection.close()
    print(json.dumps({"statements": len(plan["statements"]), "statements_seconds": round(seconds, 2)}))


if __name__ == "__main__":
    main()
