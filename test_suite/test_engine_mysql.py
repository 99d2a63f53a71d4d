"""The same warehouse on MySQL/MariaDB (dbt-mysql 1.7), with the same results as on DuckDB.

dbt-mysql needs dbt-core 1.7, so the build runs the dbt of its own virtualenv
(.venv-mysql, or SALES_INSIGHTS_MYSQL_VENV), which the test creates from
requirements-mysql.txt through scripts/_env.sh when it is missing, as the scripts do.
On MySQL a schema is a database: the build goes into databases of its own, named after
SALES_INSIGHTS_TEST_DATABASE (default sales_insights_test: the profile's database and
`<name>_raw`, `<name>_core`, ... through the `schema_prefix` variable), which the test
drops first. In CI (CI=true) a server that cannot be reached, or a virtualenv that
cannot be created, is a failure; on a laptop without them the tests are skipped with
the reason.
"""
import importlib.util
import json
import os
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from conftest import (BOOKKEEPING_COLUMNS, CHANGE_LOG, COMPARED_SCHEMAS, DEVELOPMENT_KEY, PROFILES_DIR, PROJECT_ROOT,
                      SEEDS_DIR, Warehouse, mart_profile, profile_answers, profile_differences, profile_queries,
                      pseudonym, pseudonymization_key, run)
from open_data_exports import assert_same_export, duckdb_export, export_with_the_script
from test_engines import TEST_DATABASE, _unavailable, erased_personal_data_in_raw

pytestmark = pytest.mark.mysql

MYSQL = dict(
    host=os.environ.get("DBT_MYSQL_HOST", "127.0.0.1"),
    port=int(os.environ.get("DBT_MYSQL_PORT", "3306")),
    user=os.environ.get("DBT_MYSQL_USER", "root"),
    password=os.environ.get("DBT_MYSQL_PASSWORD", ""),
)
# The profile's own database (engine helpers) and the prefix of every layer's database.
DATABASE = TEST_DATABASE
PREFIX = DATABASE + "_"
# A separate set of databases for the production-target builds, which must not touch
# the warehouse the other tests compare.
PRODUCTION_PREFIX = DATABASE + "_prod_"
LAYERS = (
    "raw", "staging", "snapshots", "intermediate", "core", "sales", "inventory",
    "restricted", "disclosure_control", "open_data",
)
ANALYST_ROLE = os.environ.get("SALES_INSIGHTS_ANALYST_ROLE", "sales_insights_analyst")
PUBLIC_ROLE = os.environ.get("SALES_INSIGHTS_PUBLIC_ROLE", "sales_insights_public")
MYSQL_VENV = Path(os.environ.get("SALES_INSIGHTS_MYSQL_VENV", PROJECT_ROOT / ".venv-mysql"))
MYSQL_BUILD_TIMEOUT_SECONDS = 1800


def _connect(**overrides):
    import mysql.connector

    settings = dict(MYSQL, connection_timeout=5, charset="utf8mb4", collation="utf8mb4_bin", autocommit=True)
    settings.update(overrides)
    return mysql.connector.connect(**settings)


def _mysql_dbt():
    """The dbt of .venv-mysql, created (or brought up to date) by scripts/_env.sh, which
    also installs the hook that hands the pseudonymization key to each connection."""
    setup = run(
        ["bash", "-c", "source scripts/_env.sh && command -v dbt"],
        cwd=PROJECT_ROOT,
        env=dict(os.environ, DBT_TARGET="mysql", SALES_INSIGHTS_MYSQL_VENV=str(MYSQL_VENV)),
        timeout=1800,
    )
    dbt = MYSQL_VENV / "bin" / "dbt"
    if setup.returncode != 0 or setup.stdout.strip().splitlines()[-1:] != [str(dbt)]:
        _unavailable("dbt-mysql", f"could not create {MYSQL_VENV}: {setup.stdout[-2000:]}")
    return dbt


def _test_databases(prefix):
    """The databases a build with this prefix creates (and the profile's own, which holds
    the engine helpers)."""
    return [DATABASE] + [prefix + layer for layer in LAYERS]


def _drop_databases(cursor, databases):
    """Drop the databases, and the table privileges MySQL keeps on their tables by name
    after a drop (a later build must not inherit them)."""
    placeholders = ", ".join(["%s"] * len(databases))
    cursor.execute(
        "select distinct grantee, table_schema, table_name, privilege_type "
        f"from information_schema.table_privileges where table_schema in ({placeholders})",
        databases,
    )
    for grantee, schema, table, privilege in cursor.fetchall():
        # MariaDB lists a role as 'role'@'', and revokes from it by its bare name
        account = grantee[: -len("@''")] if grantee.endswith("@''") else grantee
        cursor.execute(f"revoke {privilege} on `{schema}`.`{table}` from {account}")
    for database in databases:
        cursor.execute(f"drop database if exists `{database}`")



@dataclass
class MySQLWarehouse(Warehouse):
    """A build on the MySQL target, into the databases named by `prefix`."""

    prefix: str = PREFIX
    profiles_dir: str = str(PROFILES_DIR)
    build_seconds: float = 0.0
    extra_vars: dict = field(default_factory=dict)

    def env(self):
        env = super().env()
        env.update(DBT_MYSQL_SCHEMA=DATABASE, DBT_PROFILES_DIR=self.profiles_dir)
        return env

    def dbt(self, *args, target="mysql"):
        return super().dbt(*args, "--target", target, "--vars", json.dumps({"schema_prefix": self.prefix, **self.extra_vars}),
                           timeout=MYSQL_BUILD_TIMEOUT_SECONDS)


@pytest.fixture(scope="module")
def mysql_dbt():
    try:
        _connect().close()
    except Exception as error:  # any connection failure means the engine is missing
        _unavailable("MySQL/MariaDB", error)
    return _mysql_dbt()


@pytest.fixture(scope="module")
def mysql_warehouse(mysql_dbt, tmp_path_factory):
    admin = _connect()
    with admin.cursor() as cursor:
        _drop_databases(cursor, _test_databases(PREFIX))
    admin.close()
    # its tests read the debug log (the statements dbt-mysql ran, and no key in them)
    warehouse = MySQLWarehouse(root=tmp_path_factory.mktemp("mysql"), dbt_executable=mysql_dbt, debug_log=True)
    started = time.monotonic()
    warehouse.build_result = warehouse.dbt("build")
    warehouse.build_seconds = time.monotonic() - started
    if (warehouse.target_dir / "run_results.json").exists():
        warehouse.build_run_results = warehouse.artifact("run_results.json")
    return warehouse


@pytest.fixture
def mysql_cursor(mysql_warehouse):
    assert mysql_warehouse.build_result.returncode == 0, mysql_warehouse.build_result.stdout[-3000:]
    connection = _connect()
    with connection.cursor() as cursor:
        yield cursor
    connection.close()


def _ran(run_results):
    return {
        r["unique_id"]: r["status"]
        for r in run_results["results"]
        if r["unique_id"].split(".")[0] in {"model", "seed", "snapshot", "test"}
    }


def test_mysql_build_succeeds_with_no_errors_and_no_warnings(mysql_warehouse):
    output = mysql_warehouse.build_result.stdout
    assert mysql_warehouse.build_result.returncode == 0, output[-5000:]
    assert re.search(r"Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0 ", output), output[-3000:]
    assert "[WARNING]" not in output, [line for line in output.splitlines() if "WARNING" in line]
    ran = _ran(mysql_warehouse.build_run_results)
    counts = {kind: sum(1 for node in ran if node.startswith(kind + ".")) for kind in ("seed", "snapshot", "model", "test")}
    assert counts["seed"] == 10 and counts["snapshot"] == 3 and counts["model"] >= 57 and counts["test"] >= 600, counts
    print(f"MySQL/MariaDB build: {mysql_warehouse.build_seconds:.0f} s, {counts}")


def test_mysql_runs_every_model_seed_snapshot_and_test_that_duckdb_runs(mysql_warehouse, warehouse):
    """dbt 1.7 ignores unit tests (a 1.8 feature) but must run every other node: a test
    written in syntax it does not understand would silently vanish."""
    assert mysql_warehouse.build_result.returncode == 0, mysql_warehouse.build_result.stdout[-3000:]
    on_mysql = _ran(mysql_warehouse.build_run_results)
    on_duckdb = _ran(warehouse.build_run_results)
    assert set(on_mysql) == set(on_duckdb), sorted(set(on_mysql) ^ set(on_duckdb))[:20]
    assert set(on_mysql.values()) <= {"success", "pass"}, {k: v for k, v in on_mysql.items() if v not in {"success", "pass"}}
    # HMAC-SHA-256 built from MySQL's SHA2, HEX, CONV and ^ reproduces RFC 4231
    assert on_mysql["test.sales_insights.assert_hmac_sha256_matches_rfc_4231_vectors"] == "pass"


def test_mysql_results_equal_duckdb(mysql_cursor, db):
    """Every table of the core, sales, inventory and open-data schemas: the same row count
    and the same exact sum of every numeric column as on DuckDB."""
    expected = mart_profile(db)
    assert len(expected) >= 23  # 8 core, 6 sales, 5 inventory, 4 open-data tables
    placeholders = ", ".join(["%s"] * len(COMPARED_SCHEMAS))
    mysql_cursor.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_schema in ({placeholders}) and table_type = 'BASE TABLE' and table_name <> %s",
        (*(PREFIX + schema for schema in COMPARED_SCHEMAS), CHANGE_LOG),
    )
    tables = {(schema[len(PREFIX):], table) for schema, table in mysql_cursor.fetchall()}
    assert tables == set(expected), sorted(tables ^ set(expected))
    answers = profile_answers(mysql_cursor, profile_queries(expected, quote="`", schema_prefix=PREFIX))
    differences = profile_differences(expected, answers)
    assert not differences, differences[:20]


def test_the_open_data_export_from_mysql_equals_the_duckdb_export(mysql_warehouse, warehouse, tmp_path):
    """scripts/export_open_data.sh with DBT_TARGET=mysql, as the daily pipeline runs it,
    reads the prefixed databases and writes the same data files as from DuckDB, and the
    package passes frictionless. (Before the tests below change the warehouse.)"""
    assert mysql_warehouse.build_result.returncode == 0, mysql_warehouse.build_result.stdout[-3000:]
    expected = duckdb_export(warehouse, tmp_path / "duckdb")
    assert expected.returncode == 0, expected.stdout[-3000:]
    result = export_with_the_script(
        mysql_warehouse, "mysql", tmp_path / "mysql", mysql_warehouse.env(), {"schema_prefix": PREFIX}
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "datapackage valid: True" in result.stdout and "VALID" in result.stdout, result.stdout[-3000:]
    assert_same_export(tmp_path / "mysql", tmp_path / "duckdb", "mysql")


def test_mysql_incremental_rerun_rebuilds_its_months_and_changes_nothing(mysql_warehouse, mysql_cursor):
    """A second run of the base models, the change log and the incremental models: on the
    seed path every build lands every row again (D134), so the log names every month and
    the incremental models delete and insert them all (the project's multi-table delete,
    D90), leaving every row as the full build left it, the bookkeeping aside: none twice,
    none lost."""
    models = {"fct_sales": "core", "fct_inventory": "core", "int_order_lines_costed": "intermediate"}

    def rows():
        found = {}
        for model, layer in models.items():
            mysql_cursor.execute(
                "select column_name from information_schema.columns where table_schema = %s and table_name = %s "
                "and column_name not in (%s, %s, %s) order by ordinal_position",
                (f"{PREFIX}{layer}", model, *BOOKKEEPING_COLUMNS))
            columns = ", ".join(f"`{name}`" for (name,) in mysql_cursor.fetchall())
            mysql_cursor.execute(f"select {columns} from `{PREFIX}{layer}`.`{model}`")
            found[model] = Counter(mysql_cursor.fetchall())
        return found

    before = rows()
    rerun = mysql_warehouse.dbt("run", "--select", "base_sales_system__sales_order_lines",
                                "base_warehouse_system__inventory_snapshots", CHANGE_LOG, *models)
    assert rerun.returncode == 0, rerun.stdout[-3000:]
    # the project's delete, not dbt-mysql's `delete from ... where key in (subquery)`
    assert f"delete `{PREFIX}core`.`fct_sales`" in (mysql_warehouse.root / "logs" / "dbt.log").read_text()
    inserted = {result["unique_id"].split(".")[-1]: result["adapter_response"].get("rows_affected")
                for result in mysql_warehouse.artifact("run_results.json")["results"]}
    # every month was rebuilt: the delete had work
    assert all(inserted[model] for model in models), inserted
    after = rows()
    assert {model: sum(counts.values()) for model, counts in after.items()} == \
        {model: sum(counts.values()) for model, counts in before.items()}
    assert after == before


def test_mysql_pseudonyms_equal_duckdb_and_pythons_hmac(mysql_cursor, db):
    """Every customer's pseudonym is the same as on DuckDB and is Python's HMAC-SHA-256 of
    the customer number under the key the connection hook handed to the session."""
    mysql_cursor.execute(
        f"select customer_id, customer_pseudonym from `{PREFIX}restricted`.`pii_data_subjects` "
        "where data_subject_type = 'customer'"
    )
    on_mysql = dict(mysql_cursor.fetchall())
    on_duckdb = dict(db.execute(
        "select customer_id, customer_pseudonym from restricted.pii_data_subjects "
        "where data_subject_type = 'customer'"
    ).fetchall())
    assert len(on_mysql) > 1000 and on_mysql == on_duckdb
    assert not [c for c, p in on_mysql.items() if p != pseudonym(c)]
    mysql_cursor.execute(f"select customer_pseudonym from `{PREFIX}core`.`dim_customer`")
    in_dimension = {p for (p,) in mysql_cursor.fetchall()}
    assert in_dimension == {p for (p,) in db.execute("select customer_pseudonym from core.dim_customer").fetchall()}


def test_the_key_never_appears_in_what_dbt_mysql_keeps(mysql_warehouse):
    """The hook sets the key on the connection, outside the SQL dbt logs and keeps."""
    key = pseudonymization_key()
    for folder in (mysql_warehouse.target_dir, mysql_warehouse.root / "logs"):
        for path in folder.rglob("*"):
            if path.is_file():
                text = path.read_text(errors="ignore")
                assert key.decode() not in text and key.hex() not in text.lower(), path


def test_the_key_hook_is_installed_and_hands_any_key_to_the_session_unchanged(mysql_dbt):
    """dbt-mysql's connect() carries the hook in .venv-mysql, and its init_command sets
    the session variable to exactly the key, whatever characters it holds."""
    probe = run(
        [str(mysql_dbt.parent / "python"), "-c",
         "import dbt.adapters.mysql.connections as c; print(c.mysql.connector.connect.sales_insights_key_hook)"],
        cwd=PROJECT_ROOT, env=dict(os.environ),
    )
    assert probe.stdout.strip().endswith("True"), probe.stdout[-2000:]
    spec = importlib.util.spec_from_file_location(
        "mysql_pseudonymization_key", PROJECT_ROOT / "engine_plugins" / "mysql_pseudonymization_key.py"
    )
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    key = "a 'quoted', back\\slashed clé; longer than SHA-256's 64-byte block: " + secrets.token_hex(8)
    connection = _connect(init_command=hook.init_command(key))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "select @sales_insights_pseudonymization_key, collation(@sales_insights_pseudonymization_key)"
            )
            assert cursor.fetchone() == (key, "utf8mb4_bin")
    finally:
        connection.close()


def test_mysql_strings_compare_case_sensitively(mysql_cursor):
    """Every database, and every string column in it, has a binary collation, so 'P-1' and
    'p-1' are two products as on the other engines (MySQL's default collations ignore
    case: deduplication, uniqueness tests and the snapshots' change detection would
    differ)."""
    databases = _test_databases(PREFIX)
    placeholders = ", ".join(["%s"] * len(databases))
    mysql_cursor.execute(
        "select schema_name, default_collation_name from information_schema.schemata "
        f"where schema_name in ({placeholders})",
        databases,
    )
    collations = dict(mysql_cursor.fetchall())
    assert set(collations) == set(databases), collations
    assert set(collations.values()) == {"utf8mb4_bin"}, collations
    mysql_cursor.execute(
        "select table_schema, table_name, column_name, collation_name from information_schema.columns "
        f"where table_schema in ({placeholders}) and collation_name <> 'utf8mb4_bin'",
        databases,
    )
    assert mysql_cursor.fetchall() == []
    mysql_cursor.execute(
        f"select sum(location_type = 'store'), sum(location_type = 'STORE') from `{PREFIX}core`.`dim_location`"
    )
    lower_case, upper_case = mysql_cursor.fetchone()
    assert lower_case > 0 and upper_case == 0


def _reader(mysql_cursor, role):
    """A real user holding only `role`, as a connection with the role set."""
    user, password = f"{DATABASE}_reader"[:32], secrets.token_hex(12)
    mysql_cursor.execute(f"drop user if exists '{user}'@'%'")
    mysql_cursor.execute(f"create user '{user}'@'%' identified by '{password}'")
    mysql_cursor.execute(f"grant {role} to '{user}'@'%'")
    connection = _connect(user=user, password=password)
    connection.cursor().execute(f"set role {role}")
    return user, connection


def _assert_reads(connection, readable, unreadable):
    import mysql.connector

    with connection.cursor() as cursor:
        for table in readable:
            cursor.execute(f"select count(*) from `{PREFIX}{table}`")
            assert cursor.fetchone()[0] > 0, table
        for table in unreadable:
            with pytest.raises(mysql.connector.errors.ProgrammingError, match="denied"):
                cursor.execute(f"select count(*) from `{PREFIX}{table}`")


@pytest.mark.parametrize("role, readable, unreadable", [
    (
        ANALYST_ROLE,
        ["core`.`fct_sales", "sales`.`sales_profit_and_loss", "inventory`.`inventory_stock_levels"],
        ["restricted`.`pii_data_subjects", "staging`.`stg_sales_system__customers"],
    ),
    (
        PUBLIC_ROLE,
        ["open_data`.`open_sales_by_month_country_category", "open_data`.`open_delivery_lead_times_by_month_ship_mode"],
        ["restricted`.`pii_data_subjects", "disclosure_control`.`sdc_sales_contributions_by_month_country_category",
         "core`.`fct_sales"],
    ),
])
def test_mysql_roles_read_what_they_are_granted_and_no_personal_data(mysql_cursor, role, readable, unreadable):
    """A real user holding the analyst role reads the marts; one holding the public role
    reads the open data; neither reads the restricted PII model (nor staging, nor the
    disclosure-control inputs)."""
    user, connection = _reader(mysql_cursor, role)
    try:
        _assert_reads(connection, readable, unreadable)
    finally:
        connection.close()
        mysql_cursor.execute(f"drop user if exists '{user}'@'%'")


def test_mysql_tables_have_their_documented_indexes(mysql_warehouse, mysql_cursor):
    """Every table model whose config declares indexes (documented in its description)
    has them on MySQL, where dbt-mysql ignores the config and a post-hook adds them."""
    declared = {
        (node["schema"], node["alias"]): [", ".join(index["columns"]) for index in node["config"]["indexes"]]
        for node in mysql_warehouse.manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("indexes")
    }
    assert {table for _, table in declared} >= {
        "fct_sales", "fct_inventory", "dim_product", "dim_customer", "dim_location",
        "base_finance__post_invoice_deductions", "inventory_days_of_cover",
    }, declared
    mysql_cursor.execute(
        "select table_schema, table_name, group_concat(column_name order by seq_in_index separator ', ') "
        "from information_schema.statistics where table_schema like %s and index_name like 'ix\\_%' "
        "group by table_schema, table_name, index_name",
        (PREFIX.replace("_", "\\_") + "%",),
    )
    indexed = {}
    for schema, table, columns in mysql_cursor.fetchall():
        indexed.setdefault((schema, table), []).append(columns)
    assert {table: sorted(columns) for table, columns in indexed.items()} == {
        table: sorted(columns) for table, columns in declared.items()
    }


def test_mysql_restricted_model_grants_nothing_even_after_a_grant_by_hand(mysql_warehouse, mysql_cursor):
    """MySQL keeps table privileges by name across a drop: a rebuild must revoke a grant
    someone made by hand on the PII model, not inherit it."""
    table = f"`{PREFIX}restricted`.`pii_data_subjects`"
    mysql_cursor.execute(f"grant select on {table} to {ANALYST_ROLE}")
    rebuilt = mysql_warehouse.dbt("run", "--select", "pii_data_subjects")
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    mysql_cursor.execute(
        "select grantee, privilege_type from information_schema.table_privileges "
        "where table_schema = %s and table_name = 'pii_data_subjects'",
        (PREFIX + "restricted",),
    )
    assert mysql_cursor.fetchall() == []


def test_mysql_snapshot_closes_the_version_of_a_deleted_row(mysql_warehouse, mysql_cursor):
    """invalidate_hard_deletes: a product gone from the export gets its version closed
    (dbt-mysql's own snapshot merge ignored deletes; see macros/cross_db/mysql_adapter.sql)."""
    raw, snapshots = f"`{PREFIX}raw`.`products`", f"`{PREFIX}snapshots`.`snap_products`"
    mysql_cursor.execute(f"select min(product_id) from {snapshots} where dbt_valid_to is null")
    (product_id,) = mysql_cursor.fetchone()
    mysql_cursor.execute(f"create table `{PREFIX}raw`.`products_kept` as select * from {raw}")
    try:
        mysql_cursor.execute(f"delete from {raw} where trim(product_id) = %s", (product_id,))
        snapshot = mysql_warehouse.dbt("snapshot", "--select", "snap_products")
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


def test_mysql_seed_path_and_erasure_command_leave_no_erased_personal_data_in_raw(mysql_warehouse, mysql_cursor):
    """The seeds are purged as they land (docs/privacy.md, D103), and the erasure command
    runs on MySQL/MariaDB (and commits) and finds nothing left."""
    erased_lines, still_personal = erased_personal_data_in_raw(mysql_cursor, f"`{PREFIX}raw`")
    assert erased_lines > 0 and still_personal == 0
    erased = mysql_warehouse.dbt("run-operation", "purge_erased_landed_personal_data")
    assert erased.returncode == 0, erased.stdout[-3000:]
    assert "redacted the personal data of 0 landed order line(s)" in erased.stdout


def test_mysql_a_new_erasure_request_purges_the_snapshot_history(mysql_warehouse, mysql_cursor):
    """The snapshot's post-hook deletes on MySQL every version of a customer who asked to
    be erased (pseudonyms recomputed from the landed requests and the session's key), and
    the restricted model forgets them."""
    mysql_cursor.execute(
        f"select min(customer_id) from `{PREFIX}restricted`.`pii_data_subjects` where data_subject_type = 'customer'"
    )
    (customer_id,) = mysql_cursor.fetchone()
    snapshot_rows = f"select count(*) from `{PREFIX}snapshots`.`snap_customers` where customer_pseudonym = %s"
    mysql_cursor.execute(snapshot_rows, (pseudonym(customer_id),))
    assert mysql_cursor.fetchone()[0] >= 1
    requests = f"`{PREFIX}raw`.`erasure_requests`"
    mysql_cursor.execute(f"insert into {requests} (customer_id, requested_at) values (%s, '2026-11-20 09:00:00')", (customer_id,))
    try:
        purged = mysql_warehouse.dbt("build", "--select", "snap_customers", "pii_data_subjects")
        assert purged.returncode == 0, purged.stdout[-3000:]
        mysql_cursor.execute(snapshot_rows, (pseudonym(customer_id),))
        assert mysql_cursor.fetchone()[0] == 0
        mysql_cursor.execute(
            f"select count(*) from `{PREFIX}restricted`.`pii_data_subjects` where customer_id = %s", (customer_id,)
        )
        assert mysql_cursor.fetchone()[0] == 0
    finally:
        mysql_cursor.execute(f"delete from {requests} where customer_id = %s", (customer_id,))


@pytest.fixture(scope="module")
def mysql_production_build(mysql_dbt, tmp_path_factory):
    """Build the sales order lines on a copy of the shipped profile whose `prod` target is
    the mysql output, in databases of their own, with a given key (None: the default)."""
    profiles = yaml.safe_load((PROFILES_DIR / "profiles.yml").read_text())
    outputs = profiles["sales_insights"]["outputs"]
    outputs["prod"] = dict(outputs["mysql"])
    profiles_dir = tmp_path_factory.mktemp("mysql_prod_profiles")
    (profiles_dir / "profiles.yml").write_text(yaml.safe_dump(profiles))

    admin = _connect()
    with admin.cursor() as cursor:
        _drop_databases(cursor, [PRODUCTION_PREFIX + layer for layer in LAYERS])
    admin.close()

    def build(key):
        warehouse = MySQLWarehouse(
            root=tmp_path_factory.mktemp("mysql_prod"), dbt_executable=mysql_dbt,
            prefix=PRODUCTION_PREFIX, profiles_dir=str(profiles_dir),
        )
        previous = os.environ.pop("SALES_INSIGHTS_PSEUDONYMIZATION_KEY", None)
        if key is not None:
            os.environ["SALES_INSIGHTS_PSEUDONYMIZATION_KEY"] = key
        try:
            return warehouse.dbt(
                "build", "--select", "+base_sales_system__sales_order_lines",
                "--exclude", "resource_type:test", target="prod",
            )
        finally:
            os.environ.pop("SALES_INSIGHTS_PSEUDONYMIZATION_KEY", None)
            if previous is not None:
                os.environ["SALES_INSIGHTS_PSEUDONYMIZATION_KEY"] = previous

    yield build
    admin = _connect()
    with admin.cursor() as cursor:
        _drop_databases(cursor, [PRODUCTION_PREFIX + layer for layer in LAYERS])
    admin.close()


def test_a_mysql_production_build_refuses_the_unsafe_development_key(mysql_production_build):
    result = mysql_production_build(None)
    assert result.returncode != 0
    assert "production target and SALES_INSIGHTS_PSEUDONYMIZATION_KEY is the unsafe development default" in result.stdout
    assert "OK created sql table model" not in result.stdout


def test_a_mysql_key_shorter_than_32_bytes_never_builds(mysql_production_build):
    result = mysql_production_build("too-short-a-key")
    assert result.returncode != 0
    assert "shorter than 32 bytes" in result.stdout


def test_a_mysql_production_build_runs_with_a_proper_key(mysql_production_build):
    result = mysql_production_build("0123456789abcdef0123456789abcdef-a-test-only-key")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "OK created sql table model" in result.stdout


# The development default however spaced or cased, and a key that is not random, are
# refused on MySQL too (dbt 1.7), before any table is created (probe 6 of issue 24).
WEAK_PRODUCTION_KEYS = {
    "default_with_a_leading_space": " " + DEVELOPMENT_KEY,
    "default_in_lower_case": DEVELOPMENT_KEY.lower(),
    "32_zeros": "0" * 32,
}


@pytest.mark.parametrize("key", WEAK_PRODUCTION_KEYS.values(), ids=WEAK_PRODUCTION_KEYS.keys())
def test_a_mysql_production_build_refuses_a_weak_key_before_creating_any_table(mysql_production_build, key):
    databases = [PRODUCTION_PREFIX + layer for layer in LAYERS]
    admin = _connect()
    with admin.cursor() as cursor:
        _drop_databases(cursor, databases)
    result = mysql_production_build(key)
    with admin.cursor() as cursor:
        cursor.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({', '.join(['%s'] * len(databases))})",
            databases,
        )
        tables = cursor.fetchall()
    admin.close()
    assert result.returncode != 0
    assert "No seed, model or snapshot was run" in result.stdout, result.stdout[-3000:]
    assert tables == []


# ---------------------------------------------------------------- landing batches (D130)

BATCHES_PREFIX = DATABASE + "_batches_"
FULL_PREFIX = DATABASE + "_full_"
BATCHES_DATABASES = [prefix + layer for prefix in (BATCHES_PREFIX, FULL_PREFIX) for layer in (*LAYERS, "audit")]


def _differing_tables(cursor, left_prefix: str, right_prefix: str) -> list:
    """(table, rows only left, rows only right) for every model table that differs, the
    bookkeeping left out (two loads of the same files are two batches: conftest.BOOKKEEPING_COLUMNS)."""
    schemas = [left_prefix + layer for layer in LAYERS if layer not in ("raw", "snapshots")]
    cursor.execute("select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' "
                   "and table_schema in (" + ", ".join(["%s"] * len(schemas)) + ") and table_name <> %s",
                   [*schemas, CHANGE_LOG])
    differing = []
    for schema, table in cursor.fetchall():
        layer = schema[len(left_prefix):]
        cursor.execute("select column_name from information_schema.columns where table_schema = %s "
                       "and table_name = %s and column_name not in (%s, %s, %s) order by ordinal_position",
                       (schema, table, *BOOKKEEPING_COLUMNS))
        columns = ", ".join(f"`{name}`" for (name,) in cursor.fetchall())
        left, right = f"`{schema}`.`{table}`", f"`{right_prefix}{layer}`.`{table}`"
        counts = []
        for first, second in ((left, right), (right, left)):
            cursor.execute(f"select count(*) from (select {columns} from {first} "
                           f"except all select {columns} from {second}) as only_first")
            counts.append(cursor.fetchone()[0])
        if any(counts):
            differing.append((f"{layer}.{table}", *counts))
    return differing


def test_a_mysql_build_by_landing_batches_equals_a_full_build(mysql_dbt, tmp_path_factory):
    """The sample bulk-loaded and built, then one more day (new lines, late corrections,
    a re-dated day, an erasure request, a late product version, corrected freight rates)
    landed and built incrementally: the base models replace only the keys landed since
    (delete+insert, by the `record_key` index), the facts only the orders or months of the
    logged changes (D134, D136), and
    every model equals a full refresh of the same landings, row for row. (No data tests:
    the equality is the check here; the incremental day with every test runs in
    test_scale.py.)"""
    from test_scale import INCREMENTED_TABLES, REPLACED_TABLES, increment, load_raw

    admin = _connect()
    with admin.cursor() as cursor:
        _drop_databases(cursor, BATCHES_DATABASES)
    admin.close()
    root = tmp_path_factory.mktemp("mysql_batches")
    day = root / "next_day"
    increment(day)
    bulk = {"raw_data_from_seeds": False}
    batches = MySQLWarehouse(root=root / "batches", dbt_executable=mysql_dbt, prefix=BATCHES_PREFIX, extra_vars=bulk)
    full = MySQLWarehouse(root=root / "full", dbt_executable=mysql_dbt, prefix=FULL_PREFIX, extra_vars=bulk)
    for warehouse in (batches, full):
        warehouse.root.mkdir()
        loaded = load_raw(warehouse, "--target", "mysql", "--schema", warehouse.prefix + "raw",
                          "--from", str(SEEDS_DIR))
        assert loaded.returncode == 0, loaded.stdout
        # both build the first landing: the snapshots then hold the same history, and the
        # day's late product version makes a second version in both
        built = warehouse.dbt("build", "--exclude", "resource_type:test")
        assert built.returncode == 0, built.stdout[-3000:]
        appended = load_raw(warehouse, "--target", "mysql", "--schema", warehouse.prefix + "raw", "--from", str(day),
                            "--mode", "append", "--tables", *INCREMENTED_TABLES)
        assert appended.returncode == 0, appended.stdout
        replaced = load_raw(warehouse, "--target", "mysql", "--schema", warehouse.prefix + "raw", "--from", str(day),
                            "--tables", *REPLACED_TABLES)
        assert replaced.returncode == 0, replaced.stdout
    incremental = batches.dbt("build", "--exclude", "resource_type:test")
    assert incremental.returncode == 0 and "ERROR=0" in incremental.stdout, incremental.stdout[-3000:]
    assert "incremental model " + BATCHES_PREFIX + "staging.base_sales_system__sales_order_lines" in incremental.stdout
    refreshed = full.dbt("build", "--exclude", "resource_type:test", "--full-refresh")
    assert refreshed.returncode == 0, refreshed.stdout[-3000:]
    connection = _connect()
    with connection.cursor() as cursor:
        assert not _differing_tables(cursor, BATCHES_PREFIX, FULL_PREFIX)
        _drop_databases(cursor, BATCHES_DATABASES)
    connection.close()

