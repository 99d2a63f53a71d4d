"""The same warehouse on the other engines, with the same results as on DuckDB.

In CI (CI=true) an engine that cannot be reached is a failure; on a laptop without it
the engine's tests are skipped with the reason.
"""
import os
from decimal import Decimal

import pytest
import yaml

from conftest import (
    DEVELOPMENT_KEY,
    PROFILES_DIR,
    PROJECT_ROOT,
    VENV_BIN,
    Warehouse,
    declared_key_constraints,
    mart_profile,
    profile_answers,
    profile_differences,
    profile_queries,
    run,
)

pytestmark = pytest.mark.postgres

ON_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES = dict(
    host=os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
    port=int(os.environ.get("DBT_POSTGRES_PORT", "5432")),
    user=os.environ.get("DBT_POSTGRES_USER", "postgres"),
    password=os.environ.get("DBT_POSTGRES_PASSWORD", ""),
)
# Overridable so that two checkouts can run the suite against one server at the same time.
TEST_DATABASE = os.environ.get("SALES_INSIGHTS_TEST_DATABASE", "sales_insights_test")


def _unavailable(engine, reason):
    message = f"{engine} is not available: {reason}"
    if ON_CI:
        pytest.fail(message + " (CI=true: every engine must be tested)")
    pytest.skip(message)


def _postgres_connection(database):
    import psycopg2

    return psycopg2.connect(dbname=database, connect_timeout=5, **POSTGRES)


def _admin_statements(*statements: str) -> None:
    try:
        admin = _postgres_connection(os.environ.get("DBT_POSTGRES_ADMIN_DB", "test"))
    except Exception as error:  # any connection failure means the engine is missing
        _unavailable("PostgreSQL", error)
    admin.autocommit = True
    with admin.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    admin.close()


def recreate_postgres_database(name: str, template: str | None = None) -> None:
    """An empty database (or a copy of `template`) named `name`, replacing any earlier one."""
    _admin_statements(f"drop database if exists {name} with (force)",
                      f"create database {name}" + (f" template {template}" if template else ""))


def drop_postgres_database(name: str) -> None:
    _admin_statements(f"drop database if exists {name} with (force)")


@pytest.fixture(scope="module")
def postgres_warehouse(tmp_path_factory):
    recreate_postgres_database(TEST_DATABASE)
    warehouse = Warehouse(root=tmp_path_factory.mktemp("postgres"))
    os.environ["DBT_POSTGRES_DBNAME"] = TEST_DATABASE
    try:
        warehouse.build_result = warehouse.dbt("build", "--target", "postgres")
    finally:
        del os.environ["DBT_POSTGRES_DBNAME"]
    return warehouse


def test_a_seed_only_run_on_a_fresh_postgres_database_succeeds(tmp_path, monkeypatch):
    """`dbt seed` alone on an empty database: the on-run-end hook grants on schemas that
    no model has created yet (it used to fail on the restricted schema)."""
    database = TEST_DATABASE + "_seed_only"
    recreate_postgres_database(database)
    monkeypatch.setenv("DBT_POSTGRES_DBNAME", database)
    try:
        result = Warehouse(root=tmp_path).dbt("seed", "--target", "postgres", "--select", "carriers")
    finally:
        drop_postgres_database(database)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "ERROR=0" in result.stdout


@pytest.mark.parametrize("key", [DEVELOPMENT_KEY.lower(), "0" * 32], ids=["default_in_lower_case", "32_zeros"])
def test_a_postgres_production_build_refuses_a_weak_key_before_creating_any_relation(tmp_path, key):
    """Through scripts/dbt.sh, which hands the key to the session in PGOPTIONS, on a copy
    of the shipped profile whose `prod` target is the postgres output (probe 6, issue 24)."""
    profiles = yaml.safe_load((PROFILES_DIR / "profiles.yml").read_text())
    profiles["sales_insights"]["outputs"]["prod"] = dict(profiles["sales_insights"]["outputs"]["postgres"])
    (tmp_path / "profiles.yml").write_text(yaml.safe_dump(profiles))
    database = TEST_DATABASE + "_prod_guard"
    recreate_postgres_database(database)
    env = {name: value for name, value in os.environ.items() if name != "PGOPTIONS"}
    env.update(
        SALES_INSIGHTS_PSEUDONYMIZATION_KEY=key, SALES_INSIGHTS_VENV=str(VENV_BIN.parent),
        DBT_PROFILES_DIR=str(tmp_path), DBT_POSTGRES_DBNAME=database,
        DBT_TARGET_PATH=str(tmp_path / "target"), DBT_LOG_PATH=str(tmp_path / "logs"),
    )
    try:
        result = run(
            [str(PROJECT_ROOT / "scripts" / "dbt.sh"), "build", "--target", "prod",
             "--select", "+base_sales_system__sales_order_lines", "--exclude-resource-type", "test",
             "--exclude-resource-type", "unit_test"],
            cwd=PROJECT_ROOT, env=env,
        )
        with _postgres_connection(database) as connection, connection.cursor() as cursor:
            cursor.execute("select table_schema, table_name from information_schema.tables "
                           "where table_schema not in ('pg_catalog', 'information_schema')")
            relations = cursor.fetchall()
        connection.close()
    finally:
        drop_postgres_database(database)
    assert result.returncode != 0
    assert "No seed, model or snapshot was run" in result.stdout, result.stdout[-3000:]
    assert relations == []


def test_postgres_build_succeeds_with_no_errors_and_no_warnings(postgres_warehouse):
    output = postgres_warehouse.build_result.stdout
    assert postgres_warehouse.build_result.returncode == 0, output[-5000:]
    assert "WARN=0 ERROR=0 SKIP=0" in output, output[-3000:]
    results = postgres_warehouse.artifact("run_results.json")["results"]
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 30


def erased_personal_data_in_raw(cursor, raw="raw"):
    """(landed order lines of erased customers, those of them still holding personal data),
    on any engine; a request matches as the models match it (docs/privacy.md)."""
    cursor.execute(f"""
        select
            count(*),
            coalesce(sum(case when coalesce(customer_name, '') <> 'erased' or customer_email is not null
                or customer_phone is not null or customer_birth_date is not null
                or postal_code is not null then 1 else 0 end), 0)
        from {raw}.sales_order_lines
        where upper(trim(customer_id)) in (select upper(trim(customer_id)) from {raw}.erasure_requests)
    """)
    return tuple(int(value) for value in cursor.fetchone())


def test_postgres_seed_path_and_erasure_command_leave_no_erased_personal_data_in_raw(postgres_warehouse):
    """The seeds are purged as they land (docs/privacy.md, D103), and the erasure command
    runs on PostgreSQL and finds nothing left."""
    assert postgres_warehouse.build_result.returncode == 0
    connection = _postgres_connection(TEST_DATABASE)
    with connection.cursor() as cursor:
        erased_lines, still_personal = erased_personal_data_in_raw(cursor)
    connection.close()
    assert erased_lines > 0 and still_personal == 0
    os.environ["DBT_POSTGRES_DBNAME"] = TEST_DATABASE
    try:
        erased = postgres_warehouse.dbt("run-operation", "purge_erased_landed_personal_data", "--target", "postgres")
    finally:
        del os.environ["DBT_POSTGRES_DBNAME"]
    assert erased.returncode == 0, erased.stdout[-3000:]
    assert "redacted the personal data of 0 landed order line(s)" in erased.stdout


def test_postgres_results_equal_duckdb(postgres_warehouse, db):
    assert postgres_warehouse.build_result.returncode == 0
    expected = mart_profile(db)
    assert len(expected) >= 19  # 8 core, 6 sales, 5 inventory tables
    connection = _postgres_connection(TEST_DATABASE)
    with connection.cursor() as cursor:
        answers = profile_answers(cursor, profile_queries(expected))
    connection.close()
    differences = profile_differences(expected, answers)
    assert not differences, differences[:20]


def test_postgres_grants_let_analysts_read_the_marts_but_not_personal_data(postgres_warehouse):
    import psycopg2

    assert postgres_warehouse.build_result.returncode == 0
    connection = _postgres_connection(TEST_DATABASE)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("set role sales_insights_analyst")
        for table in ("core.fct_sales", "sales.sales_profit_and_loss", "inventory.inventory_stock_levels"):
            cursor.execute(f"select count(*) from {table}")
            assert cursor.fetchone()[0] > 0, table
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cursor.execute("select count(*) from restricted.pii_data_subjects")
    connection.close()


def test_postgres_facts_have_their_documented_indexes(postgres_warehouse):
    connection = _postgres_connection(TEST_DATABASE)
    with connection.cursor() as cursor:
        cursor.execute(
            "select tablename, indexdef from pg_indexes where schemaname = 'core' "
            "and tablename in ('fct_sales', 'fct_inventory')"
        )
        definitions = cursor.fetchall()
    connection.close()
    indexed = {(table, definition.split("(", 1)[1].rstrip(")")) for table, definition in definitions}
    for expected in [
        ("fct_sales", "order_date_key"), ("fct_sales", "product_key"), ("fct_sales", "customer_key"),
        ("fct_inventory", "snapshot_date_key, environment"), ("fct_inventory", "product_key"),
    ]:
        assert any(table == expected[0] and expected[1] in columns for table, columns in indexed), (expected, indexed)


def test_postgres_builds_every_key_the_contracts_declare(postgres_warehouse):
    """The contracts' primary keys are PostgreSQL's unique indexes (on DuckDB they are
    left out: D87)."""
    declared = declared_key_constraints(postgres_warehouse.manifest)
    assert len(declared) >= 15, declared
    connection = _postgres_connection(TEST_DATABASE)
    with connection.cursor() as cursor:
        cursor.execute(
            "select constraints.table_name, columns.column_name "
            "from information_schema.table_constraints as constraints "
            "inner join information_schema.key_column_usage as columns "
            "on constraints.constraint_schema = columns.constraint_schema "
            "and constraints.constraint_name = columns.constraint_name "
            "where constraints.constraint_type = 'PRIMARY KEY'"
        )
        built: dict[str, set[str]] = {}
        for table, column in cursor.fetchall():
            built.setdefault(table, set()).add(column)
    connection.close()
    assert {table: built.get(table) for table in declared} == declared


def test_postgres_public_role_reads_open_data_and_nothing_else(postgres_warehouse):
    import psycopg2

    assert postgres_warehouse.build_result.returncode == 0
    connection = _postgres_connection(TEST_DATABASE)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("set role sales_insights_public")
        cursor.execute("select count(*) from open_data.open_sales_by_month_country_category")
        assert cursor.fetchone()[0] > 0
        for table in ("disclosure_control.sdc_sales_contributions_by_month_country_category", "core.fct_sales"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cursor.execute(f"select count(*) from {table}")
    connection.close()


def test_the_dashboard_reads_the_same_figures_from_postgres(postgres_warehouse, db, monkeypatch):
    """The dashboard on DBT_TARGET=postgres: every data function returns what it returns
    on DuckDB (percentages within a hundredth: DuckDB divides decimals in double)."""
    import sys

    import pandas as pd

    from conftest import PROJECT_ROOT

    assert postgres_warehouse.build_result.returncode == 0
    sys.path.insert(0, str(PROJECT_ROOT / "dashboard"))
    import data

    monkeypatch.setenv("DBT_POSTGRES_DBNAME", TEST_DATABASE)
    connection = data.connect("postgres")
    fy2025 = data.Filters(fiscal_years=(2025,), categories=("Furniture", "Technology"))
    # filters only the line grain can apply, with the year filters shifted for growth
    lines = data.Filters(calendar_years=(2025,), countries=("Germany",), cities=("München", "Dresden"),
                         channels=("Retailer", "Direct"), platforms=("Brick & Mortar",))
    products = data.Filters(fiscal_years=(2025, 2026), products=("P-0060", "P-0071", "P-0025"))
    calls = {
        "filter_options": lambda c: pd.DataFrame({k: [tuple(v)] for k, v in data.filter_options(c).items()}),
        "filter_options_cascaded": lambda c: pd.DataFrame({k: [tuple(v)] for k, v in data.filter_options(
            c, data.Filters(countries=("Germany",), regions=("East",), categories=("Furniture",))).items()}),
        "product_names": lambda c: pd.DataFrame(sorted(data.product_names(c).items()),
                                                columns=["product_id", "product_name"]),
        "sales_headlines": lambda c: data.sales_headlines(c, data.Filters()),
        "sales_headlines_by_year": lambda c: data.sales_headlines(c, fy2025, by_fiscal_year=True),
        "sales_headlines_lines": lambda c: data.sales_headlines(c, lines, by_fiscal_year=True),
        "revenue_trend": lambda c: data.revenue_trend(c, fy2025),
        "revenue_trend_lines": lambda c: data.revenue_trend(c, lines),
        "fiscal_year_growth": lambda c: data.fiscal_year_growth(c, data.Filters()),
        "fiscal_year_growth_lines": lambda c: data.fiscal_year_growth(c, lines),
        "margin_trend": lambda c: data.margin_trend(c, fy2025),
        "profit_and_loss": lambda c: data.profit_and_loss(c, fy2025),
        "profit_and_loss_lines": lambda c: data.profit_and_loss(c, lines),
        "top_products": lambda c: data.top_products(c, fy2025),
        "top_products_lines": lambda c: data.top_products(c, lines),
        "top_customers": lambda c: data.top_customers(c, fy2025),
        "top_customers_lines": lambda c: data.top_customers(c, lines),
        "inventory_headlines": lambda c: data.inventory_headlines(c, data.Filters(), by_fiscal_year=True),
        "inventory_headlines_products": lambda c: data.inventory_headlines(c, products, by_fiscal_year=True),
        "availability": lambda c: data.availability(c, fy2025),
        "availability_products": lambda c: data.availability(c, products),
        "stock_outs": lambda c: data.stock_outs(c, data.Filters()),
        "stock_outs_2025": lambda c: data.stock_outs(c, data.Filters(calendar_years=(2025,))),
        "environment_variance": lambda c: data.environment_variance(c, data.Filters(calendar_years=(2025,))),
    }
    differences = []
    try:
        for name, call in calls.items():
            expected, actual = call(db), call(connection)
            assert list(actual.columns) == list(expected.columns), name
            assert len(actual) == len(expected) > 0, name
            for column in expected.columns:
                for want, got in zip(expected[column], actual[column]):
                    if pd.isna(want) and pd.isna(got):
                        continue
                    if column.endswith("_pct"):
                        if abs(Decimal(str(want)) - Decimal(str(got))) > Decimal("0.01"):
                            differences.append((name, column, want, got))
                    elif str(want) != str(got) and not (
                            isinstance(want, (int, float, Decimal)) and Decimal(str(want)) == Decimal(str(got))):
                        differences.append((name, column, want, got))
    finally:
        connection.close()
    assert not differences, differences[:20]


def test_the_open_data_export_from_postgres_equals_the_duckdb_export(postgres_warehouse, warehouse, tmp_path):
    """scripts/export_open_data.sh with DBT_TARGET=postgres reads the warehouse's run log
    (the last build was green) and the open-data tables, and writes the same package as
    from DuckDB."""
    from open_data_exports import assert_same_export, duckdb_export, export_with_the_script

    assert postgres_warehouse.build_result.returncode == 0, postgres_warehouse.build_result.stdout[-3000:]
    expected = duckdb_export(warehouse, tmp_path / "duckdb")
    assert expected.returncode == 0, expected.stdout[-3000:]
    env = dict(postgres_warehouse.env(), DBT_POSTGRES_DBNAME=TEST_DATABASE)
    result = export_with_the_script(postgres_warehouse, "postgres", tmp_path / "postgres", env)
    assert result.returncode == 0, result.stdout[-3000:]
    assert_same_export(tmp_path / "postgres", tmp_path / "duckdb", "postgres")
