"""The same warehouse on MySQL/MariaDB (dbt-mysql 1.7), with the same results as on DuckDB.

dbt-mysql needs dbt-core 1.7, so the build runs the dbt of its own virtualenv
(.venv-mysql, created from requirements-mysql.txt by scripts/_env.sh when missing). On
MySQL a schema is a database: the build goes into databases of its own, named with the
`schema_prefix` variable, which the test drops first. In CI (CI=true) a server that
cannot be reached, or a virtualenv that cannot be created, is a failure; on a laptop
without them the tests are skipped with the reason.
"""
import json
import os
import re
import secrets
import time
from decimal import Decimal

import pytest

from conftest import PROJECT_ROOT, Warehouse, run
from test_engines import COMPARED_SCHEMAS, _duckdb_profile, _unavailable

MYSQL = dict(
    host=os.environ.get("DBT_MYSQL_HOST", "127.0.0.1"),
    port=int(os.environ.get("DBT_MYSQL_PORT", "3306")),
    user=os.environ.get("DBT_MYSQL_USER", "root"),
    password=os.environ.get("DBT_MYSQL_PASSWORD", ""),
)
PREFIX = "sales_insights_test_"
ANALYST_ROLE = os.environ.get("SALES_INSIGHTS_ANALYST_ROLE", "sales_insights_analyst")
MYSQL_VENV = PROJECT_ROOT / ".venv-mysql"


def _connect(**overrides):
    import mysql.connector

    settings = dict(MYSQL, connection_timeout=5, charset="utf8mb4", collation="utf8mb4_bin", autocommit=True)
    settings.update(overrides)
    return mysql.connector.connect(**settings)


def _mysql_dbt():
    """The dbt of .venv-mysql, created (or brought up to date) as scripts/_env.sh does."""
    setup = run(
        ["bash", "-c", 'source scripts/_env.sh && command -v dbt'],
        cwd=PROJECT_ROOT,
        env=dict(os.environ, DBT_TARGET="mysql", SALES_INSIGHTS_VENV=str(MYSQL_VENV)),
    )
    if setup.returncode != 0:
        _unavailable("dbt-mysql", f"could not create {MYSQL_VENV}: {setup.stdout[-2000:]}")
    return MYSQL_VENV / "bin" / "dbt"


def _drop_test_databases(cursor):
    """Drop the test build's databases, and the table privileges MySQL keeps on their
    tables by name after a drop (a later build must not inherit them)."""
    cursor.execute(
        "select distinct grantee, table_schema, table_name, privilege_type "
        "from information_schema.table_privileges where table_schema like %s",
        (PREFIX.replace("_", r"\_") + "%",),
    )
    for grantee, schema, table, privilege in cursor.fetchall():
        # MariaDB lists a role as 'role'@'' and revokes from it by its bare name
        account = grantee[: -len("@''")] if grantee.endswith("@''") else grantee
        cursor.execute(f"revoke {privilege} on `{schema}`.`{table}` from {account}")
    cursor.execute("show databases like %s", (PREFIX.replace("_", r"\_") + "%",))
    for (database,) in cursor.fetchall():
        cursor.execute(f"drop database `{database}`")


@pytest.fixture(scope="module")
def mysql_warehouse(tmp_path_factory):
    try:
        admin = _connect()
    except Exception as error:  # any connection failure means the engine is missing
        _unavailable("MySQL/MariaDB", error)
    dbt = _mysql_dbt()
    with admin.cursor() as cursor:
        _drop_test_databases(cursor)
    admin.close()

    warehouse = Warehouse(root=tmp_path_factory.mktemp("mysql"), dbt_executable=dbt)
    started = time.monotonic()
    warehouse.build_result = warehouse.dbt(
        "build", "--target", "mysql", "--vars", json.dumps({"schema_prefix": PREFIX})
    )
    warehouse.build_seconds = time.monotonic() - started
    print(f"MySQL/MariaDB build: {warehouse.build_seconds:.0f} s")
    return warehouse


@pytest.fixture
def mysql_cursor(mysql_warehouse):
    assert mysql_warehouse.build_result.returncode == 0, mysql_warehouse.build_result.stdout[-3000:]
    connection = _connect()
    with connection.cursor() as cursor:
        yield cursor
    connection.close()


def test_mysql_build_succeeds_with_no_errors_and_no_warnings(mysql_warehouse):
    output = mysql_warehouse.build_result.stdout
    assert mysql_warehouse.build_result.returncode == 0, output[-5000:]
    assert re.search(r"Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0 ", output), output[-3000:]
    assert "[WARNING]" not in output, [line for line in output.splitlines() if "WARNING" in line]


def test_mysql_runs_every_model_seed_snapshot_and_test_that_duckdb_runs(mysql_warehouse, warehouse):
    """dbt 1.7 ignores unit tests (a 1.8 feature) but must run every other node: a test
    written in syntax it does not understand would silently vanish."""
    def ran(run_results):
        return {
            r["unique_id"]: r["status"]
            for r in run_results["results"]
            if r["unique_id"].split(".")[0] in {"model", "seed", "snapshot", "test"}
        }

    on_mysql = ran(mysql_warehouse.artifact("run_results.json"))
    on_duckdb = ran(warehouse.build_run_results)
    assert set(on_mysql) == set(on_duckdb), sorted(set(on_mysql) ^ set(on_duckdb))[:20]
    assert set(on_mysql.values()) <= {"success", "pass"}, {k: v for k, v in on_mysql.items() if v not in {"success", "pass"}}


def test_mysql_results_equal_duckdb(mysql_cursor, db):
    """Every table of the core, sales and inventory marts: the same row count and the
    same exact sum of every numeric column as on DuckDB."""
    expected = _duckdb_profile(db)
    assert len(expected) >= 19  # 8 core, 6 sales, 5 inventory tables
    mysql_cursor.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in (%s, %s, %s) and table_type = 'BASE TABLE'",
        tuple(PREFIX + schema for schema in COMPARED_SCHEMAS),
    )
    tables = {(schema[len(PREFIX):], table) for schema, table in mysql_cursor.fetchall()}
    assert tables == set(expected), sorted(tables ^ set(expected))
    differences = []
    for (schema, table), measures in expected.items():
        columns = [c for c in measures if c != "rows"]
        sums = ", ".join(f"sum(`{c}`)" for c in columns)
        mysql_cursor.execute(f"select count(*){', ' + sums if sums else ''} from `{PREFIX}{schema}`.`{table}`")
        actual = dict(zip(["rows"] + columns, mysql_cursor.fetchone()))
        for measure, value in measures.items():
            if value is None and actual[measure] is None:
                continue
            if value is None or actual[measure] is None or Decimal(str(value)) != Decimal(str(actual[measure])):
                differences.append((schema, table, measure, value, actual[measure]))
    assert not differences, differences[:20]


def test_mysql_strings_compare_case_sensitively(mysql_cursor):
    """Every schema, and every string column in it, has a binary collation, so 'P-1' and
    'p-1' are two products as on the other engines (MySQL's default collations ignore
    case: deduplication, uniqueness tests and the snapshots' change detection would
    differ)."""
    like_prefix = PREFIX.replace("_", r"\_") + "%"
    mysql_cursor.execute(
        "select schema_name, default_collation_name from information_schema.schemata "
        "where schema_name like %s",
        (like_prefix,),
    )
    collations = dict(mysql_cursor.fetchall())
    assert len(collations) == 8, collations
    assert set(collations.values()) == {"utf8mb4_bin"}, collations
    mysql_cursor.execute(
        "select table_schema, table_name, column_name, collation_name from information_schema.columns "
        "where table_schema like %s and collation_name <> 'utf8mb4_bin'",
        (like_prefix,),
    )
    assert mysql_cursor.fetchall() == []
    mysql_cursor.execute(
        f"select sum(location_type = 'store'), sum(location_type = 'STORE') from `{PREFIX}core`.`dim_location`"
    )
    lower_case, upper_case = mysql_cursor.fetchone()
    assert lower_case > 0 and upper_case == 0


def test_mysql_grants_let_analysts_read_the_marts_but_not_personal_data(mysql_cursor):
    """A user holding the analyst role reads the marts, and neither the restricted PII
    model nor staging."""
    import mysql.connector

    user, password = "sales_insights_test_reader", secrets.token_hex(12)
    mysql_cursor.execute(f"drop user if exists '{user}'@'%'")
    mysql_cursor.execute(f"create user '{user}'@'%' identified by '{password}'")
    try:
        mysql_cursor.execute(f"grant {ANALYST_ROLE} to '{user}'@'%'")
        reader = _connect(user=user, password=password)
        try:
            with reader.cursor() as cursor:
                cursor.execute(f"set role {ANALYST_ROLE}")
                for table in ("core`.`fct_sales", "sales`.`sales_profit_and_loss", "inventory`.`inventory_stock_levels"):
                    cursor.execute(f"select count(*) from `{PREFIX}{table}`")
                    assert cursor.fetchone()[0] > 0, table
                for table in ("restricted`.`pii_data_subjects", "staging`.`stg_sales_system__customers"):
                    with pytest.raises(mysql.connector.errors.ProgrammingError, match="denied"):
                        cursor.execute(f"select count(*) from `{PREFIX}{table}`")
        finally:
            reader.close()
    finally:
        mysql_cursor.execute(f"drop user if exists '{user}'@'%'")


def test_mysql_restricted_model_grants_nothing_even_after_a_grant_by_hand(mysql_warehouse, mysql_cursor):
    """MySQL keeps table privileges by name across a drop: a rebuild must revoke a grant
    someone made by hand on the PII model, not inherit it."""
    table = f"`{PREFIX}restricted`.`pii_data_subjects`"
    mysql_cursor.execute(f"grant select on {table} to {ANALYST_ROLE}")
    rebuilt = mysql_warehouse.dbt(
        "run", "--target", "mysql", "--select", "pii_data_subjects",
        "--vars", json.dumps({"schema_prefix": PREFIX}),
    )
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    mysql_cursor.execute(
        "select grantee, privilege_type from information_schema.table_privileges "
        "where table_schema = %s and table_name = 'pii_data_subjects'",
        (PREFIX + "restricted",),
    )
    assert mysql_cursor.fetchall() == []


def test_mysql_facts_have_their_documented_indexes(mysql_cursor):
    mysql_cursor.execute(
        "select table_name, index_name, group_concat(column_name order by seq_in_index separator ', ') "
        "from information_schema.statistics where table_schema = %s "
        "and table_name in ('fct_sales', 'fct_inventory') and index_name <> 'PRIMARY' "
        "group by table_name, index_name",
        (PREFIX + "core",),
    )
    indexed = {(table, columns) for table, _, columns in mysql_cursor.fetchall()}
    assert indexed == {
        ("fct_sales", "order_date_key"), ("fct_sales", "product_key"),
        ("fct_sales", "customer_key"), ("fct_sales", "ship_to_location_key"),
        ("fct_inventory", "snapshot_date_key, environment"), ("fct_inventory", "product_key"),
        ("fct_inventory", "warehouse_location_key"),
    }, indexed


def test_mysql_snapshot_closes_the_version_of_a_deleted_row(mysql_warehouse, mysql_cursor):
    """invalidate_hard_deletes: a product gone from the export gets its version closed
    (dbt-mysql's own snapshot merge ignored deletes; see macros/cross_db/mysql_adapter.sql)."""
    raw, snapshots = f"`{PREFIX}raw`.`products`", f"`{PREFIX}snapshots`.`snap_products`"
    mysql_cursor.execute(f"select min(product_id) from {snapshots} where dbt_valid_to is null")
    (product_id,) = mysql_cursor.fetchone()
    mysql_cursor.execute(f"create table `{PREFIX}raw`.`products_kept` as select * from {raw}")
    try:
        mysql_cursor.execute(f"delete from {raw} where product_id = %s", (product_id,))
        mysql_cursor.execute("commit")
        snapshot = mysql_warehouse.dbt(
            "snapshot", "--target", "mysql", "--select", "snap_products",
            "--vars", json.dumps({"schema_prefix": PREFIX}),
        )
        assert snapshot.returncode == 0, snapshot.stdout[-3000:]
        mysql_cursor.execute(
            f"select count(*), count(dbt_valid_to) from {snapshots} where product_id = %s", (product_id,)
        )
        versions, closed = mysql_cursor.fetchone()
        assert versions >= 1 and closed == versions, (product_id, versions, closed)
    finally:
        mysql_cursor.execute(f"delete from {raw}")
        mysql_cursor.execute(f"insert into {raw} select * from `{PREFIX}raw`.`products_kept`")
        mysql_cursor.execute(f"drop table `{PREFIX}raw`.`products_kept`")
        mysql_cursor.execute("commit")
