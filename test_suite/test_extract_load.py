"""From the operational database: the OLTP database, its day of business, and the
incremental extract-load into the warehouse (docs/pipeline.md).

A small OLTP database (3,000 order lines) is created on the MariaDB server, extracted
into a fresh DuckDB warehouse and built; the warehouse's totals (order lines, units and
revenue per month in fct_sales and in the sales mart, stock on hand per day and
environment) must equal those computed directly on the OLTP database. A second run
lands nothing. Then a day of business (new orders, shipments, corrections, a late
correction, deleted lines, an erasure request, stock counts) is applied, a run is made
to fail after it has extracted and landed part of the day, and the next run must land
the rest and nothing twice; after the incremental build the totals agree again and the
deleted lines are gone from fct_sales.
The same OLTP database is extracted into PostgreSQL and MariaDB (once before the day,
once after it, while DuckDB builds), whose raw tables must then hold exactly what
DuckDB's hold.
"""
from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT, VENV_BIN, Warehouse, run
from test_engines import _postgres_connection, _unavailable, recreate_postgres_database
from test_scale import BATCH_COLUMN, BULK_BUILD, assert_built

pytestmark = pytest.mark.mysql

TEST_DATABASE = os.environ.get("SALES_INSIGHTS_TEST_DATABASE", "sales_insights_test")
OLTP_DATABASE = f"{TEST_DATABASE}_oltp"
POSTGRES_DATABASE = f"{TEST_DATABASE}_el_postgres"
MYSQL_RAW_DATABASE = f"{TEST_DATABASE}_el_raw"  # the raw "schema" of the MariaDB warehouse
OTHER_TARGETS = ("postgres", "mysql")
ORDER_LINES = 3000
RAW_TABLES = ("sales_order_lines", "inventory_snapshots", "products", "suppliers", "carriers", "locations",
              "manufacturing_costs", "post_invoice_deductions", "freight_costs", "erasure_requests")


def _oltp_connection(database: str | None = OLTP_DATABASE):
    import pymysql

    return pymysql.connect(host=os.environ.get("SALES_INSIGHTS_OLTP_HOST", "127.0.0.1"),
                           port=int(os.environ.get("SALES_INSIGHTS_OLTP_PORT", "3306")),
                           user=os.environ.get("SALES_INSIGHTS_OLTP_USER", "root"),
                           password=os.environ.get("SALES_INSIGHTS_OLTP_PASSWORD", ""),
                           database=database, connect_timeout=5)


def _oltp_rows(sql: str) -> list[tuple]:
    connection = _oltp_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]
    finally:
        connection.close()


def _oltp_totals() -> dict:
    """Computed on the OLTP database itself, from its own tables (not the export views)."""
    sales = _oltp_rows("""
        select date_format(orders.order_date, '%Y-%m'), count(*), sum(order_lines.quantity),
               sum(order_lines.sales_amount)
        from order_lines join orders on order_lines.order_id = orders.order_id
        group by 1 order by 1""")
    return {
        "sales": sales,
        "sales_mart": sales,
        "stock": _oltp_rows("""
            select date_format(count_date, '%Y-%m-%d'), cast(environment as char), sum(quantity_on_hand)
            from stock_counts group by 1, 2 order by 1, 2"""),
    }


def _warehouse_totals(path: Path) -> dict:
    with duckdb.connect(str(path), read_only=True) as connection:
        return {
            "sales": [tuple(row) for row in connection.execute("""
                select strftime(order_month_start_date, '%Y-%m'), count(*), sum(quantity), sum(sales_amount)
                from core.fct_sales group by 1 order by 1""").fetchall()],
            # the sales mart's line grain (incremental too, D81)
            "sales_mart": [tuple(row) for row in connection.execute("""
                select strftime(order_date, '%Y-%m'), count(*), sum(quantity), sum(sales_amount)
                from sales.sales_order_lines_costed group by 1 order by 1""").fetchall()],
            "stock": [tuple(row) for row in connection.execute("""
                select strftime(snapshot_date, '%Y-%m-%d'), environment, sum(quantity_on_hand)
                from core.fct_inventory group by 1, 2 order by 1, 2""").fetchall()],
        }


def _normalized(totals: dict) -> dict:
    """Numbers as decimals: MariaDB sums integers into decimals, DuckDB into integers."""
    return {name: [tuple(Decimal(value) if isinstance(value, (int, Decimal)) else value for value in row)
                   for row in rows] for name, rows in totals.items()}


def _script(name: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return run([str(PROJECT_ROOT / "scripts" / name), *args], cwd=PROJECT_ROOT, env=env, timeout=600)


def _start(name: str, *args: str, env: dict) -> subprocess.Popen:
    """A script started in the background (its output is read by _finish)."""
    return subprocess.Popen([str(PROJECT_ROOT / "scripts" / name), *args], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(process: subprocess.Popen) -> subprocess.CompletedProcess:
    stdout, _ = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout)


def _drop_mysql_raw() -> None:
    connection = _oltp_connection(None)
    with connection.cursor() as cursor:
        cursor.execute(f"drop database if exists `{MYSQL_RAW_DATABASE}`")
    connection.close()


def _prepare_other_targets(wh: Warehouse) -> None:
    """Empty PostgreSQL and MariaDB warehouses, or why one cannot be had."""
    wh.other_env = {
        "postgres": dict(wh.env_vars, DBT_POSTGRES_DBNAME=POSTGRES_DATABASE),
        "mysql": dict(wh.env_vars),
    }
    wh.other_args = {"postgres": ("--target", "postgres"),
                     "mysql": ("--target", "mysql", "--schema", MYSQL_RAW_DATABASE)}
    wh.other_unavailable = {}
    try:
        recreate_postgres_database(POSTGRES_DATABASE)
    except (pytest.skip.Exception, pytest.fail.Exception) as error:  # no server: recorded here,
        wh.other_unavailable["postgres"] = error  # reported by the tests that need it
    _drop_mysql_raw()


def _start_other_targets(wh: Warehouse) -> dict:
    return {target: _start("extract_load.sh", *wh.other_args[target], env=wh.other_env[target])
            for target in OTHER_TARGETS if target not in wh.other_unavailable}


def _finish_other_targets(processes: dict) -> dict:
    return {target: _finish(process) for target, process in processes.items()}


def _other_raw_rows(target: str, table: str, columns: list[str]) -> Counter:
    if target == "postgres":
        connection = _postgres_connection(POSTGRES_DATABASE)
        sql = f"select {', '.join(columns)} from raw.{table}"
    else:
        connection = _oltp_connection(MYSQL_RAW_DATABASE)
        sql = f"select {', '.join(columns)} from {table}"
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return Counter(tuple(row) for row in cursor.fetchall())
    finally:
        connection.close()


def _other_run_log(target: str) -> tuple:
    if target == "postgres":
        connection = _postgres_connection(POSTGRES_DATABASE)
        table = "raw._extract_load_runs"
    else:
        connection = _oltp_connection(MYSQL_RAW_DATABASE)
        table = "_extract_load_runs"
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"select count(distinct run_id), count(*), min(status) from {table}")
            return tuple(cursor.fetchone())
    finally:
        connection.close()


DELETES = "select table_name, row_count from {ledger} where load_mode = 'delete'"


def _other_deletes(target: str) -> list[tuple]:
    """The ledger's `delete` rows: (table, rows removed)."""
    if target == "postgres":
        connection, ledger = _postgres_connection(POSTGRES_DATABASE), "raw._load_ledger"
    else:
        connection, ledger = _oltp_connection(MYSQL_RAW_DATABASE), "_load_ledger"
    try:
        with connection.cursor() as cursor:
            cursor.execute(DELETES.format(ledger=ledger))
            return [tuple(row) for row in cursor.fetchall()]
    finally:
        connection.close()


def _landed(result: subprocess.CompletedProcess) -> dict[str, int]:
    """rows landed per table, from the run's printed summary."""
    landed = {}
    for line in result.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 5 and (fields[0] in RAW_TABLES or fields[0] == "deleted_order_lines"):
            landed[fields[0]] = int(fields[2].replace(",", ""))
    return landed


def _raw_rows(connection, table: str) -> Counter:
    """The landed rows, without the batch that landed them (a row landed twice counts twice)."""
    rows = connection.execute(f"select columns(lambda c: c <> '{BATCH_COLUMN}') from raw.{table}").fetchall()
    return Counter(tuple(row) for row in rows)


class FailingLoad:
    """Makes the raw loader fail on its second file: a run killed mid-way through landing."""

    def __init__(self, load):
        self.load, self.calls = load, 0

    def __call__(self, engine, landed, mode):
        self.calls += 1
        if self.calls == 2:
            raise ConnectionError("the warehouse went away (injected by the test)")
        return self.load(engine, landed, mode)


@pytest.fixture(scope="module")
def oltp_warehouse(tmp_path_factory):
    try:
        _oltp_connection(None).close()
    except Exception as error:  # pymysql raises OperationalError, or the import fails
        _unavailable("MariaDB (the OLTP database)", error)
    wh = Warehouse(root=tmp_path_factory.mktemp("extract_load"))
    wh.env_vars = dict(wh.env(), SALES_INSIGHTS_OLTP_DATABASE=OLTP_DATABASE,
                       SALES_INSIGHTS_EXTRACT_STATE_DIR=str(wh.root / "state"), DBT_TARGET="duckdb")
    wh.env_vars.pop("DBT_POSTGRES_DBNAME", None)
    wh.create_result = _script("oltp.sh", "create", "--order-lines", str(ORDER_LINES), env=wh.env_vars)
    assert wh.create_result.returncode == 0, wh.create_result.stdout[-3000:]
    wh.first_run = _script("extract_load.sh", env=wh.env_vars)
    _prepare_other_targets(wh)
    other_runs = _start_other_targets(wh)  # the other targets' first run, while DuckDB builds
    wh.build_result = wh.dbt(*BULK_BUILD)
    wh.other_first_runs = _finish_other_targets(other_runs)
    wh.first_totals = (_warehouse_totals(wh.path), _oltp_totals())
    wh.second_run = _script("extract_load.sh", env=wh.env_vars)
    yield wh
    connection = _oltp_connection(None)
    with connection.cursor() as cursor:
        cursor.execute(f"drop database if exists `{OLTP_DATABASE}`")
    connection.close()
    _drop_mysql_raw()
    if "postgres" not in wh.other_unavailable:
        admin = _postgres_connection(os.environ.get("DBT_POSTGRES_ADMIN_DB", "test"))
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f"drop database if exists {POSTGRES_DATABASE} with (force)")
        admin.close()


@pytest.fixture(scope="module")
def after_a_day(oltp_warehouse):
    """A day of business, a run that fails mid-way, the re-run, the incremental build."""
    wh = oltp_warehouse
    wh.day_result = _script("oltp.sh", "day", "--erasures", "1", env=wh.env_vars)
    assert wh.day_result.returncode == 0, wh.day_result.stdout[-3000:]
    wh.day = json.loads(wh.day_result.stdout.strip().splitlines()[-1])
    wh.deleted = _oltp_rows("select order_id, order_line_number from deleted_order_lines order by 1, 2")
    wh.erased = _oltp_rows("select customer_id from erasure_requests order by requested_at desc limit 1")[0][0]

    import raw_loader.engines
    from extract_load.cli import main

    failing = FailingLoad(raw_loader.engines.DuckDBEngine.load)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in wh.env_vars.items():
            patch.setenv(name, value)
        patch.setattr(raw_loader.engines.DuckDBEngine, "load", lambda self, landed, mode: failing(self, landed, mode))
        wh.failed_status = main([])
    wh.pending_files = sorted(path.name for path in (wh.root / "state" / "landing").rglob("*.csv"))
    wh.rerun = _script("extract_load.sh", env=wh.env_vars)
    other_runs = _start_other_targets(wh)  # the other targets' run after the day, while DuckDB builds
    wh.incremental_result = wh.dbt(*BULK_BUILD)
    wh.other_day_runs = _finish_other_targets(other_runs)
    wh.day_totals = (_warehouse_totals(wh.path), _oltp_totals())
    wh.last_run = _script("extract_load.sh", env=wh.env_vars)
    return wh


def test_first_run_lands_every_table_and_the_build_passes(oltp_warehouse):
    wh = oltp_warehouse
    assert wh.first_run.returncode == 0, wh.first_run.stdout[-3000:]
    landed = _landed(wh.first_run)
    assert set(RAW_TABLES) <= set(landed), wh.first_run.stdout
    assert all(landed[table] > 0 for table in RAW_TABLES), landed
    assert landed["sales_order_lines"] == _oltp_rows("select count(*) from order_lines")[0][0]
    assert_built(wh.build_result)


def test_warehouse_totals_equal_the_oltp_database(oltp_warehouse):
    warehouse, oltp = oltp_warehouse.first_totals
    assert len(oltp["sales"]) >= 30 and len(oltp["stock"]) >= 60
    assert _normalized(warehouse) == _normalized(oltp)


def test_a_second_run_lands_nothing(oltp_warehouse):
    wh = oltp_warehouse
    assert wh.second_run.returncode == 0, wh.second_run.stdout[-3000:]
    assert set(_landed(wh.second_run).values()) == {0}, wh.second_run.stdout


def test_every_run_is_recorded_with_rows_and_cursor(after_a_day):
    with duckdb.connect(str(after_a_day.path), read_only=True) as connection:
        runs = connection.execute("""
            select run_id, min(status), sum(rows_read), sum(rows_landed), count(*), count(cursor_value)
            from raw._extract_load_runs group by run_id order by min(started_at), run_id""").fetchall()
        cursor = connection.execute("""
            select cursor_value from raw._extract_load_runs
            where table_name = 'sales_order_lines' order by finished_at desc, run_id desc limit 1""").fetchone()[0]
    assert [status for _, status, *_ in runs] == ["succeeded", "succeeded", "failed", "succeeded", "succeeded"]
    assert all(tables == 11 for *_, tables, _ in runs)
    first, second = runs[0], runs[1]
    assert first[3] == first[2] > ORDER_LINES and second[2] == second[3] == 0
    assert cursor.startswith(after_a_day.day["day"])


def test_the_day_changes_what_a_business_day_changes(after_a_day):
    day = after_a_day.day
    assert day["new_order_lines"] > 0 and day["orders_shipped"] > 0
    assert day["quantity_corrections"] > 0 and day["late_corrections"] == 1
    assert day["order_lines_deleted"] >= 2 and day["orders_deleted"] == 1
    assert day["erasure_requests"] == 1 and day["stock_counts"] > 0
    assert len(after_a_day.deleted) == day["order_lines_deleted"]


def test_a_run_failing_mid_way_is_completed_by_the_next_without_duplicates(after_a_day):
    wh = after_a_day
    assert wh.failed_status == 1
    assert wh.pending_files, "the failed run should have left extracted files to land"
    assert wh.rerun.returncode == 0, wh.rerun.stdout[-3000:]
    assert "landing" in wh.rerun.stdout and "previous run" in wh.rerun.stdout
    with duckdb.connect(str(wh.path), read_only=True) as connection:
        for table in RAW_TABLES:
            rows = _raw_rows(connection, table)
            duplicated = {row: count for row, count in rows.items() if count > 1}
            assert not duplicated, f"{table}: rows landed twice: {list(duplicated)[:3]}"


def test_after_a_day_the_incremental_build_equals_the_oltp_database(after_a_day):
    assert_built(after_a_day.incremental_result)
    assert "incremental model core.fct_sales" in after_a_day.incremental_result.stdout
    warehouse, oltp = after_a_day.day_totals
    assert oltp["sales"][-1][0] == after_a_day.day["day"][:7]
    assert _normalized(warehouse) == _normalized(oltp)


def test_deleted_lines_are_gone_from_raw_and_fct_sales(after_a_day):
    with duckdb.connect(str(after_a_day.path), read_only=True) as connection:
        for order_id, line_number in after_a_day.deleted:
            assert connection.execute(
                "select count(*) from raw.sales_order_lines where order_id = ? and order_line_number = ?",
                [order_id, str(line_number)]).fetchone()[0] == 0
            assert connection.execute(
                "select count(*) from core.fct_sales where order_id = ? and order_line_number = ?",
                [order_id, line_number]).fetchone()[0] == 0


def test_each_run_is_a_batch_and_its_deletions_a_delete_in_the_ledger(after_a_day):
    """Every run that landed something is one batch, greater than the one before (the
    failed run landed one file); the run that removed the deleted lines records them as
    one `delete` ledger row of its batch: rows removed, the deletions file."""
    with duckdb.connect(str(after_a_day.path), read_only=True) as connection:
        batches = connection.execute("""
            select landing_batch_id, list(distinct load_mode order by load_mode), count(*)
            from raw._load_ledger group by 1 order by 1""").fetchall()
        deletes = connection.execute("""
            select table_name, file_name, file_sha256, row_count::int, landing_batch_id
            from raw._load_ledger where load_mode = 'delete'""").fetchall()
        removed = connection.execute("select sum(rows_deleted) from raw._extract_load_runs").fetchone()[0]
        landed = connection.execute(f"""
            select count(*) from raw.sales_order_lines
            where {BATCH_COLUMN} is null or {BATCH_COLUMN} not in (select landing_batch_id from raw._load_ledger)
            """).fetchone()[0]
    assert [modes for _, modes, _ in batches] == [["append"], ["append"], ["append", "delete"]]
    assert batches[1][2] == 1 and all(len(batch) == 20 for batch, *_ in batches)
    ((table, file_name, file_sha256, rows, batch),) = deletes
    assert table == "sales_order_lines" and file_name.endswith(".csv") and file_sha256 is None
    assert batch == batches[-1][0]
    assert rows == removed >= len(after_a_day.deleted)
    assert landed == 0


def test_the_erasure_request_reaches_the_warehouse(after_a_day):
    with duckdb.connect(str(after_a_day.path), read_only=True) as connection:
        requested = connection.execute("select count(*) from raw.erasure_requests where customer_id = ?",
                                       [after_a_day.erased]).fetchone()[0]
        remaining = connection.execute("select count(*) from restricted.pii_data_subjects where customer_id = ?",
                                       [after_a_day.erased]).fetchone()[0]
    assert requested == 1 and remaining == 0


def test_a_run_after_the_day_lands_nothing(after_a_day):
    assert after_a_day.last_run.returncode == 0, after_a_day.last_run.stdout[-3000:]
    assert set(_landed(after_a_day.last_run).values()) == {0}


def test_an_unreachable_warehouse_fails_loudly_and_changes_nothing(oltp_warehouse, tmp_path):
    env = dict(oltp_warehouse.env_vars, DBT_POSTGRES_PORT="1", SALES_INSIGHTS_EXTRACT_STATE_DIR=str(tmp_path))
    result = _script("extract_load.sh", "--target", "postgres", env=env)
    assert result.returncode == 1
    assert "error: the postgres warehouse is unreachable" in result.stdout
    assert not any(tmp_path.rglob("*.csv"))


@pytest.mark.parametrize("target", [pytest.param(target, marks=getattr(pytest.mark, target)) for target in OTHER_TARGETS])
def test_other_targets_raw_tables_hold_what_duckdb_holds(after_a_day, target):
    """A run before the day and one after it (with its deletions) into PostgreSQL and
    MariaDB: their raw tables then hold exactly what DuckDB's do."""
    wh = after_a_day
    if target in wh.other_unavailable:
        _unavailable(target, wh.other_unavailable[target])
    first, after_day = wh.other_first_runs[target], wh.other_day_runs[target]
    assert first.returncode == 0, first.stdout[-3000:]
    assert after_day.returncode == 0, after_day.stdout[-3000:]
    assert _landed(after_day)["deleted_order_lines"] == len(wh.deleted), after_day.stdout
    with duckdb.connect(str(wh.path), read_only=True) as duck:
        for table in RAW_TABLES:
            columns = [row[0] for row in duck.execute(
                "select column_name from information_schema.columns where table_schema = 'raw' "
                "and table_name = ? and column_name <> ? order by ordinal_position", [table, BATCH_COLUMN]).fetchall()]
            duckdb_rows = Counter(tuple(row) for row in duck.execute(
                f"select {', '.join(columns)} from raw.{table}").fetchall())
            assert _other_raw_rows(target, table, columns) == duckdb_rows, table
    assert _other_run_log(target) == (2, 22, "succeeded")
    with duckdb.connect(str(wh.path), read_only=True) as duck:
        deletes = duck.execute(DELETES.format(ledger="raw._load_ledger")).fetchall()
    assert deletes and _other_deletes(target) == deletes
