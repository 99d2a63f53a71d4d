"""How raw data lands, at its edges (docs/landing.md): on both paths (dbt seed and the
bulk loader) a header is matched by name, a header-only file is a valid (empty) landing,
a zero-byte or non-UTF-8 file gets the contract's message naming the file, a bad landing
reports every problem of every file at once and changes no raw table, and no message
carries a landed value (the order lines hold personal data).
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT, SEEDS_DIR, VENV_BIN, WITHOUT_UNIT_TESTS, Warehouse, run
from test_bad_input import IGNORED
from test_engines import _postgres_connection, _unavailable, drop_postgres_database, recreate_postgres_database
from test_scale import BULK_VARS, load_raw

RAW_TABLES = list(json.loads((SEEDS_DIR / "_manifest.json").read_text())["row_counts"])
TEST_DATABASE = os.environ.get("SALES_INSIGHTS_TEST_DATABASE", "sales_insights_test") + "_landing"
# the order line whose byte is broken, and its personal data (which no message may show)
BROKEN_LINE = 9001
PII_COLUMNS = ("customer_name", "customer_email", "customer_phone", "customer_birth_date")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def header_only(directory: Path, tables=RAW_TABLES) -> None:
    for table in tables:
        header = (SEEDS_DIR / f"{table}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        (directory / f"{table}.csv").write_text(header + "\n", encoding="utf-8")


def landing(tmp_path: Path, name: str = "landing") -> Path:
    directory = tmp_path / name
    shutil.copytree(SEEDS_DIR, directory, ignore=shutil.ignore_patterns("*.yml", "*.json"))
    return directory


def another_landing(tmp_path: Path) -> Path:
    """A valid landing that differs from the sample in every table (its last row dropped)."""
    directory = landing(tmp_path, "another")
    for table in RAW_TABLES:
        path = directory / f"{table}.csv"
        rows = read_rows(path)
        write_rows(path, list(rows[0]), rows[:-1])
    return directory


def break_a_byte(path: Path, line: int = BROKEN_LINE, column: str = "customer_name") -> dict[str, str]:
    """Append a byte that is not UTF-8 (0xf6, Latin-1's o-umlaut) to one value of a
    line; the line's values are returned."""
    lines = path.read_bytes().split(b"\n")
    header = lines[0].decode().split(",")
    values = dict(zip(header, next(csv.reader([lines[line - 1].decode()]))))
    fields = lines[line - 1].split(b",")
    position = header.index(column)
    fields[position] = fields[position] + b"\xf6"
    lines[line - 1] = b",".join(fields)
    path.write_bytes(b"\n".join(lines))
    return values


def assert_no_pii(output: str, values: dict[str, str]) -> None:
    for column in PII_COLUMNS:
        if values[column]:
            assert values[column] not in output, f"{column} printed: {output[-3000:]}"


# ---------------------------------------------------------------- the seed path (dbt seed)

@pytest.fixture
def project_copy(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT, copy, ignore=IGNORED)
    return copy


def test_seeds_match_the_header_by_name(project_copy, tmp_path):
    """One `dbt seed` over a landing with a renamed, a missing, a reordered-and-extra
    header and a zero-byte file: each broken file is refused with the contract's message
    naming it; the reordered file lands every value under its own name."""
    seeds = project_copy / "seeds" / "raw"
    carriers = (seeds / "carriers.csv").read_text(encoding="utf-8")
    (seeds / "carriers.csv").write_text(carriers.replace("carrier_id", "carrier_no", 1), encoding="utf-8")
    locations = read_rows(seeds / "locations.csv")
    write_rows(seeds / "locations.csv", ["location_id", "location_name", "city", "region", "country", "opened_on"],
               locations)
    products = read_rows(seeds / "products.csv")
    # reversed, so that unit_list_price and unit_standard_cost (same type) trade places,
    # with an extra column the contract does not know and a header in other case
    reordered = [*reversed(list(products[0])), "internal_note"]
    write_rows(seeds / "products.csv", [c.upper() if c == "brand" else c for c in reordered],
               [dict(row, BRAND=row["brand"], internal_note="not in the contract") for row in products])
    (seeds / "suppliers.csv").write_bytes(b"")

    warehouse = Warehouse(root=tmp_path / "warehouse", project_dir=project_copy)
    warehouse.root.mkdir()
    result = warehouse.dbt("seed")
    output = result.stdout
    assert result.returncode != 0, output[-3000:]
    assert ("seeds/raw/carriers.csv: column carrier_id: missing from the header; the contract of "
            "sales_system.carriers requires carrier_id, carrier_name, service_level, updated_at (in any "
            "order) and the file has carrier_no, carrier_name, service_level, updated_at") in output, output[-5000:]
    assert "seeds/raw/locations.csv: column location_type: missing from the header" in output, output[-5000:]
    assert "seeds/raw/suppliers.csv: is empty: zero bytes" in output, output[-5000:]
    assert "StopIteration" not in output
    with warehouse.connect() as connection:
        columns = [name for (name,) in connection.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' "
            "and table_name = 'products' order by ordinal_position").fetchall()]
        landed = connection.execute(f"select {', '.join(columns)} from raw.products").fetchall()
        tables = {name for (name,) in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
    assert columns == list(products[0])
    expected = sorted(tuple(row[c] or None for c in columns) for row in products)
    assert sorted(landed, key=lambda row: tuple(v or "" for v in row)) == sorted(
        expected, key=lambda row: tuple(v or "" for v in row))
    assert not {"carriers", "locations", "suppliers"} & tables, "a refused seed must not land"


def test_a_seed_that_is_not_utf8_is_named_with_its_line_before_dbt_reads_it(project_copy, tmp_path):
    """dbt's parser stops on it with "'utf-8' codec can't decode byte 0xf6" and no file
    name; the project's commands check the seeds first, naming file, line and column,
    and no personal data."""
    values = break_a_byte(project_copy / "seeds" / "raw" / "sales_order_lines.csv")
    warehouse = Warehouse(root=tmp_path / "warehouse", project_dir=project_copy)
    warehouse.root.mkdir()
    result = run([str(project_copy / "scripts" / "dbt.sh"), "seed"], cwd=project_copy,
                 env=dict(warehouse.env(), SALES_INSIGHTS_VENV=str(VENV_BIN.parent)))
    assert result.returncode == 2, result.stdout[-3000:]
    assert (f"seeds/raw/sales_order_lines.csv: line {BROKEN_LINE}: column customer_name: is not UTF-8"
            in result.stdout), result.stdout[-3000:]
    assert_no_pii(result.stdout, values)
    assert not warehouse.path.exists(), "dbt must not have run"


def test_header_only_seeds_build_green(project_copy, tmp_path):
    """Every raw table header-only (no erasure requests, no deductions, no stock export,
    not even a master yet): the whole build is green; an empty master only warns."""
    header_only(project_copy / "seeds" / "raw")
    warehouse = Warehouse(root=tmp_path / "warehouse", project_dir=project_copy)
    warehouse.root.mkdir()
    result = warehouse.dbt("build", *WITHOUT_UNIT_TESTS)
    assert result.returncode == 0, result.stdout[-5000:]
    assert "ERROR=0" in result.stdout and "SKIP=0" in result.stdout, result.stdout[-3000:]
    for master in ("products", "suppliers", "carriers", "locations"):
        assert f"Source sales_system.{master} landed empty" in result.stdout, master
    assert "Source sales_system.sales_order_lines landed empty" not in result.stdout
    with warehouse.connect() as connection:
        assert connection.execute("select count(*) from core.fct_sales").fetchone()[0] == 0
        assert connection.execute("select count(*) from raw.erasure_requests").fetchone()[0] == 0


# ---------------------------------------------------------------- the bulk loader

def raw_state_duckdb(path: Path) -> dict:
    """Every raw table's rows (as a multiset) and the ledger: what a failed landing must not change."""
    with duckdb.connect(str(path), read_only=True) as connection:
        state = {table: sorted(map(repr, connection.execute(f"select * from raw.{table}").fetchall()))
                 for table in RAW_TABLES}
        state["_load_ledger"] = sorted(connection.execute("select * from raw._load_ledger").fetchall())
    return state


def bad_landing(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Good files, and among them: order lines with a non-UTF-8 byte at line 9001, a
    product file with a ragged row and an unterminated quote, carriers without a column,
    a zero-byte erasure file. Freight costs header-only (valid)."""
    directory = landing(tmp_path, "bad_landing")
    values = break_a_byte(directory / "sales_order_lines.csv")
    products = (directory / "products.csv").read_text(encoding="utf-8").split("\n")
    products[20] += ",ragged"
    products[49] += ',"unterminated'
    (directory / "products.csv").write_text("\n".join(products), encoding="utf-8")
    write_rows(directory / "carriers.csv", ["carrier_id", "carrier_name", "updated_at"],
               read_rows(directory / "carriers.csv"))
    (directory / "erasure_requests.csv").write_bytes(b"")
    header_only(directory, ["freight_costs"])
    return directory, values


BAD_LANDING_PROBLEMS = [
    f"sales_order_lines.csv: line {BROKEN_LINE}: column customer_name: is not UTF-8",
    "products.csv: data row 20 has 12 fields, the header 11 (line 21)",
    "products.csv: line 50: is not valid CSV",
    "carriers.csv: column service_level: missing from the header",
    "erasure_requests.csv: is empty",
]


def test_a_bad_landing_reports_every_problem_and_changes_no_raw_table(tmp_path):
    wh = Warehouse(root=tmp_path)
    assert load_raw(wh, "--target", "duckdb", "--from", str(SEEDS_DIR)).returncode == 0
    before = raw_state_duckdb(wh.path)
    directory, values = bad_landing(tmp_path)
    result = load_raw(wh, "--target", "duckdb", "--from", str(directory))
    assert result.returncode == 2, result.stdout
    for problem in BAD_LANDING_PROBLEMS:
        assert problem in result.stdout, result.stdout
    assert "5 problem(s) in 4 file(s)" in result.stdout, result.stdout
    assert_no_pii(result.stdout, values)
    assert raw_state_duckdb(wh.path) == before


class FailOnTable:
    """The engine's load, failing on one table after the tables before it were loaded."""

    def __init__(self, load, table: str):
        self.load, self.table = load, table

    def __call__(self, engine, landed, mode):
        from raw_loader.files import LandingError

        if landed.table.name == self.table:
            raise LandingError(landed.path, "the engine failed (simulated)")
        return self.load(engine, landed, mode)


def land_failing_on(engine_class, table: str, *args: str) -> int:
    """The loader's main(), in this process, with the engine failing on `table`."""
    from raw_loader.cli import main

    with pytest.MonkeyPatch.context() as patch:
        failing = FailOnTable(engine_class.load, table)
        patch.setattr(engine_class, "load", lambda self, landed, mode: failing(self, landed, mode))
        return main(list(args))


def test_a_landing_that_fails_in_the_engine_changes_no_raw_table_duckdb(tmp_path, monkeypatch):
    """The files are valid, the engine fails on the 6th of 10 tables (after 5 were
    replaced): the landing is rolled back as a whole."""
    import raw_loader.engines

    wh = Warehouse(root=tmp_path)
    assert load_raw(wh, "--target", "duckdb", "--from", str(SEEDS_DIR)).returncode == 0
    before = raw_state_duckdb(wh.path)
    directory = another_landing(tmp_path)
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(wh.path))
    status = land_failing_on(raw_loader.engines.DuckDBEngine, RAW_TABLES[5],
                             "--target", "duckdb", "--from", str(directory))
    assert status == 2
    assert raw_state_duckdb(wh.path) == before


def test_the_engines_own_error_carries_no_landed_value(tmp_path):
    """Past the checks, DuckDB's CSV reader echoes the record it could not read
    ("Original Line: ..."): the loader re-raises it without any value."""
    from raw_loader.contract import raw_tables
    from raw_loader.engines import DuckDBEngine
    from raw_loader.files import LandedFile, LandingError

    directory = landing(tmp_path)
    values = break_a_byte(directory / "sales_order_lines.csv")
    table = raw_tables()["sales_order_lines"]
    path = directory / "sales_order_lines.csv"
    header = tuple(path.read_bytes().split(b"\n", 1)[0].decode().split(","))
    # as inspect() would describe the file, without its record-by-record check
    landed = LandedFile(table, path, "csv", header, header)
    engine = DuckDBEngine("raw", str(tmp_path / "engine.duckdb"))
    try:
        with pytest.raises(LandingError) as raised:
            engine.load(landed, "replace")
    finally:
        engine.close()
    message = str(raised.value)
    assert "sales_order_lines.csv: DuckDB could not read it" in message
    assert "Original Line" not in message
    assert_no_pii(message, values)


def test_header_only_landing_loads_and_builds_on_duckdb(tmp_path):
    directory = landing(tmp_path)
    header_only(directory)
    wh = Warehouse(root=tmp_path / "warehouse")
    wh.root.mkdir()
    result = load_raw(wh, "--target", "duckdb", "--from", str(directory))
    assert result.returncode == 0, result.stdout
    with duckdb.connect(str(wh.path), read_only=True) as connection:
        counts = {table: connection.execute(f"select count(*) from raw.{table}").fetchone()[0] for table in RAW_TABLES}
    assert counts == dict.fromkeys(RAW_TABLES, 0)
    built = wh.dbt("build", "--vars", BULK_VARS, "--select", "path:models/staging", "path:models/restricted",
                   "--exclude", "resource_type:unit_test", "--indirect-selection", "cautious")
    assert built.returncode == 0, built.stdout[-5000:]
    assert "ERROR=0" in built.stdout and "SKIP=0" in built.stdout, built.stdout[-3000:]


# ---------------------------------------------------------------- PostgreSQL

def _postgres_env(database: str) -> dict:
    return dict(os.environ, DBT_POSTGRES_DBNAME=database)


def _postgres_state(database: str) -> dict:
    connection = _postgres_connection(database)
    with connection.cursor() as cursor:
        state = {}
        for table in [*RAW_TABLES, "_load_ledger"]:
            cursor.execute(f"select * from raw.{table}")
            state[table] = sorted(map(repr, cursor.fetchall()))
    connection.close()
    return state


@pytest.fixture
def postgres_database():
    recreate_postgres_database(TEST_DATABASE)  # skips without the server (fails on CI)
    yield TEST_DATABASE
    drop_postgres_database(TEST_DATABASE)


@pytest.mark.postgres
def test_postgres_header_only_and_failing_landings(tmp_path, postgres_database, monkeypatch):
    """A header-only landing loads (every table empty); a bad landing and a landing the
    engine fails mid-way both leave every raw table as it was."""
    import raw_loader.engines

    wh = Warehouse(root=tmp_path)
    env = _postgres_env(postgres_database)
    result = load_raw(wh, "--target", "postgres", "--from", str(SEEDS_DIR), env=env)
    assert result.returncode == 0, result.stdout
    before = _postgres_state(postgres_database)

    directory, values = bad_landing(tmp_path)
    result = load_raw(wh, "--target", "postgres", "--from", str(directory), env=env)
    assert result.returncode == 2, result.stdout
    for problem in BAD_LANDING_PROBLEMS:
        assert problem in result.stdout, result.stdout
    assert_no_pii(result.stdout, values)
    assert _postgres_state(postgres_database) == before

    monkeypatch.setenv("DBT_POSTGRES_DBNAME", postgres_database)
    assert land_failing_on(raw_loader.engines.PostgresEngine, RAW_TABLES[5],
                           "--target", "postgres", "--from", str(another_landing(tmp_path))) == 2
    assert _postgres_state(postgres_database) == before

    empty = landing(tmp_path, "empty")
    header_only(empty)

    result = load_raw(wh, "--target", "postgres", "--from", str(empty), env=env)
    assert result.returncode == 0, result.stdout
    after = _postgres_state(postgres_database)
    assert {table: len(after[table]) for table in RAW_TABLES} == dict.fromkeys(RAW_TABLES, 0)


# ---------------------------------------------------------------- MySQL / MariaDB

@pytest.mark.mysql
def test_mysql_header_only_and_failing_landings(tmp_path, monkeypatch):
    import raw_loader.engines

    client = shutil.which("mariadb") or shutil.which("mysql")
    if client is None:
        _unavailable("MySQL/MariaDB", "no mariadb or mysql client")
    server = [client, "-h", os.environ.get("DBT_MYSQL_HOST", "127.0.0.1"), "-u", os.environ.get("DBT_MYSQL_USER", "root")]
    probe = subprocess.run([*server, "-e", "select 1"], capture_output=True, text=True)
    if probe.returncode != 0:
        _unavailable("MySQL/MariaDB", probe.stderr.strip())
    schema = TEST_DATABASE + "_raw"

    def state() -> dict:
        answers = {}
        for table in [*RAW_TABLES, "_load_ledger"]:
            output = subprocess.run([*server, "--batch", "--skip-column-names", "--default-character-set=utf8mb4",
                                     "-e", f"select * from `{schema}`.`{table}`"],
                                    capture_output=True, check=True).stdout
            answers[table] = sorted(output.split(b"\n"))
        return answers

    subprocess.run([*server, "-e", f"drop database if exists `{schema}`"], check=True)
    wh = Warehouse(root=tmp_path)
    try:
        result = load_raw(wh, "--target", "mysql", "--schema", schema, "--from", str(SEEDS_DIR))
        assert result.returncode == 0, result.stdout
        before = state()
        assert land_failing_on(raw_loader.engines.MySQLEngine, RAW_TABLES[5], "--target", "mysql",
                               "--schema", schema, "--from", str(another_landing(tmp_path))) == 2
        assert state() == before
        empty = landing(tmp_path, "empty")
        header_only(empty)
        result = load_raw(wh, "--target", "mysql", "--schema", schema, "--from", str(empty))
        assert result.returncode == 0, result.stdout
        after = state()
        assert all(after[table] == [b""] for table in RAW_TABLES), after
    finally:
        subprocess.run([*server, "-e", f"drop database if exists `{schema}`"])
