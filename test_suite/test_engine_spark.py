"""The same warehouse on Spark (dbt-spark, `session` method: a local Spark inside dbt),
with the same results as on DuckDB.

Unit tests are excluded on this leg only: dbt-spark's unit-test fixtures are known to be
unreliable (docs/decisions.md). Every other node DuckDB's build ran must run and pass.
In CI (CI=true) a missing Java or pyspark is a failure; on a laptop a skip.
"""
import csv
import os
import shutil
import time
from dataclasses import dataclass
from decimal import Decimal

import jinja2
import pytest
import yaml

from conftest import PROJECT_ROOT, VENV_BIN, Warehouse, mart_profile, profile_differences, profile_queries
from open_data_exports import assert_same_export, duckdb_export, export_with_the_script
from test_engines import _unavailable

pytestmark = pytest.mark.spark

SPARK_BUILD_TIMEOUT_SECONDS = 3600


@dataclass
class SparkWarehouse(Warehouse):
    """A Spark warehouse directory and Derby metastore of its own, under `root`."""

    build_seconds: float = 0.0

    @property
    def spark_dir(self):
        return self.root / "spark"

    def env(self):
        env = super().env()
        env["DBT_SPARK_DIR"] = str(self.spark_dir)
        return env

    def dbt(self, *args, env=None, timeout=SPARK_BUILD_TIMEOUT_SECONDS):
        return super().dbt(*args, env=env, timeout=timeout)

    def server_side_parameters(self):
        """The Spark configuration of the shipped profile, rendered for this warehouse."""
        profile = yaml.safe_load((PROJECT_ROOT / "profiles.yml.example").read_text())
        parameters = profile["sales_insights"]["outputs"]["spark"]["server_side_parameters"]
        environment = self.env()

        def env_var(name, default=""):
            return environment.get(name, default)

        return {key: jinja2.Template(str(value)).render(env_var=env_var) for key, value in parameters.items()}


def _spark_missing_reason():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (Spark needs Java 17)"
    try:
        import pyspark  # noqa: F401
    except ImportError as error:
        return f"pyspark is not installed ({error})"
    return None


@pytest.fixture(scope="module")
def spark_warehouse(tmp_path_factory):
    reason = _spark_missing_reason()
    if reason:
        _unavailable("Spark", reason)
    warehouse = SparkWarehouse(root=tmp_path_factory.mktemp("spark"))
    started = time.monotonic()
    warehouse.build_result = warehouse.dbt(
        "build", "--target", "spark", "--exclude", "resource_type:unit_test", "--threads", "2"
    )
    warehouse.build_seconds = time.monotonic() - started
    if (warehouse.target_dir / "run_results.json").exists():
        warehouse.build_run_results = warehouse.artifact("run_results.json")
    return warehouse


SPARK_QUERY_SCRIPT = """
import json, sys
from pyspark.sql import SparkSession
request = json.load(sys.stdin)
builder = SparkSession.builder.master("local[1]").appName("sales_insights_test").enableHiveSupport()
for key, value in request["conf"].items():
    builder = builder.config(key, value)
session = builder.getOrCreate()
answers = [[[str(v) if v is not None else None for v in row] for row in session.sql(sql).collect()]
           for sql in request["statements"]]
session.stop()
print("SPARK_ANSWERS=" + json.dumps(answers))
"""


def spark_sql(warehouse, statements):
    """Run statements on the built warehouse in a Spark of their own (the embedded Derby
    metastore admits one JVM at a time: dbt's, then this one) and return their rows,
    every value as text (or None)."""
    import json
    import subprocess

    result = subprocess.run(
        [str(VENV_BIN / "python"), "-c", SPARK_QUERY_SCRIPT],
        input=json.dumps({"conf": warehouse.server_side_parameters(), "statements": statements}),
        cwd=warehouse.project_dir, env=warehouse.env(), capture_output=True, text=True, timeout=900,
    )
    answers = [line for line in result.stdout.splitlines() if line.startswith("SPARK_ANSWERS=")]
    assert result.returncode == 0 and answers, (result.stdout[-2000:], result.stderr[-3000:])
    return json.loads(answers[0].split("=", 1)[1])


def test_spark_build_succeeds_with_no_errors_and_no_warnings(spark_warehouse, warehouse):
    output = spark_warehouse.build_result.stdout
    assert spark_warehouse.build_result.returncode == 0, output[-5000:]
    assert "WARN=0 ERROR=0 SKIP=0" in output, output[-3000:]
    results = spark_warehouse.build_run_results["results"]
    failed = [
        (r["unique_id"], r["status"]) for r in results
        if r["status"] not in ("success", "pass") and not (r["unique_id"].startswith("exposure.") and r["status"] == "no-op")
    ]
    assert not failed, failed
    ran_on_spark = {r["unique_id"] for r in results}
    assert not [node for node in ran_on_spark if node.startswith("unit_test.")]
    # Every seed, snapshot, model and data test that DuckDB ran also ran on Spark: a test
    # that silently stopped running on one engine fails here.
    ran_on_duckdb = {
        r["unique_id"] for r in warehouse.build_run_results["results"] if not r["unique_id"].startswith("unit_test.")
    }
    assert ran_on_duckdb - ran_on_spark == set()
    counts = {kind: sum(1 for node in ran_on_spark if node.startswith(kind + ".")) for kind in ("seed", "snapshot", "model", "test")}
    assert counts["seed"] == 10 and counts["snapshot"] == 3 and counts["model"] >= 57 and counts["test"] >= 600, counts
    print(f"Spark build: {spark_warehouse.build_seconds:.0f} s, {counts}")


DESCRIBED_TABLES = ("core.fct_sales", "snapshots.snap_products", "raw.sales_order_lines",
                   "staging.stg_sales_system__products")


@pytest.fixture(scope="module")
def built_answers(spark_warehouse, warehouse):
    """The read-only questions about the build, asked in one Spark (each one starts a
    JVM): every compared table's profile, beside DuckDB's, and how the tables are stored."""
    assert spark_warehouse.build_result.returncode == 0
    with warehouse.connect() as duckdb_connection:
        expected = mart_profile(duckdb_connection)
    queries = profile_queries(expected, quote="`")
    described = [f"describe table extended {table}" for table in DESCRIBED_TABLES]
    answers = spark_sql(spark_warehouse, [*queries.values(), *described])
    profiles = {relation: rows[0] for relation, rows in zip(queries, answers)}
    return expected, profiles, dict(zip(DESCRIBED_TABLES, answers[len(queries):]))


def test_spark_results_equal_duckdb(built_answers):
    expected, answers, _ = built_answers
    assert len(expected) >= 19  # 8 core, 6 sales, 5 inventory tables
    differences = profile_differences(expected, answers, wide_decimals_to_the_cent=True)
    assert not differences, differences[:20]


def test_spark_tables_are_parquet(built_answers):
    """The tables are parquet, as docs/decisions.md says, not Hive text tables."""
    _, _, descriptions = built_answers
    for table, rows in descriptions.items():
        details = {row[0]: row[1] for row in rows}
        assert (details.get("Provider") or "").lower() == "parquet", (table, details.get("Provider"))


def test_the_open_data_export_from_spark_equals_the_duckdb_export(spark_warehouse, warehouse, tmp_path):
    """scripts/export_open_data.sh with DBT_TARGET=spark, as the daily pipeline runs it,
    reads the tables' parquet files under DBT_SPARK_DIR and writes the same data files
    as from DuckDB, and the package passes frictionless. (Before the snapshot test below
    changes the warehouse.)"""
    assert spark_warehouse.build_result.returncode == 0
    expected = duckdb_export(warehouse, tmp_path / "duckdb")
    assert expected.returncode == 0, expected.stdout[-3000:]
    result = export_with_the_script(spark_warehouse, "spark", tmp_path / "spark", spark_warehouse.env())
    assert result.returncode == 0, result.stdout[-3000:]
    assert "datapackage valid: True" in result.stdout and "VALID" in result.stdout, result.stdout[-3000:]
    assert_same_export(tmp_path / "spark", tmp_path / "duckdb", "spark")


def test_spark_snapshot_on_parquet_keeps_history(spark_warehouse):
    """A product change becomes a new SCD2 version on Spark too: the parquet snapshot's
    rewrite (docs/decisions.md) closes the old version and adds the new one."""
    assert spark_warehouse.build_result.returncode == 0
    # one Spark for the whole change (each one starts a JVM): the product is the first one
    # current in the snapshot; raw.products has the seed's columns (inserted by name)
    first_current_product = "(select min(product_id) from snapshots.snap_products where dbt_valid_to is null)"
    changed_columns = {"unit_list_price": "'999.99'", "updated_at": "'2026-03-01 00:00:00'"}
    with (spark_warehouse.seeds_dir / "products.csv").open(newline="") as seed:
        columns = next(csv.reader(seed))
    select_list = ", ".join(
        f"case when trim(product_id) = {first_current_product} then {changed_columns[c]} else {c} end as {c}"
        if c in changed_columns else c
        for c in columns
    )
    product_id = spark_sql(spark_warehouse, [
        f"select {first_current_product}",
        "drop table if exists raw.products_changed",
        f"create table raw.products_changed using parquet as select {select_list} from raw.products",
        f"insert overwrite table raw.products ({', '.join(columns)}) select {', '.join(columns)} from raw.products_changed",
        "drop table raw.products_changed",
    ])[0][0][0]
    # staging is tables on Spark (D39): rebuild the path from the product base model to
    # dim_product, with the tests of those nodes (the marts below it took 4 minutes more)
    rebuild = spark_warehouse.dbt(
        "build", "--target", "spark", "--select", "base_sales_system__products+,+dim_product",
        "--indirect-selection", "cautious", "--exclude", "resource_type:seed",
        "--exclude", "resource_type:unit_test", "--threads", "2",
    )
    assert rebuild.returncode == 0, rebuild.stdout[-4000:]
    versions, history = spark_sql(spark_warehouse, [
        f"select unit_list_price, cast(valid_from as string), cast(valid_to as string), is_current "
        f"from core.dim_product where product_id = '{product_id}' order by valid_from",
        "select count(*), count(distinct dbt_scd_id), sum(case when dbt_valid_to is null then 1 else 0 end), "
        "count(distinct product_id) from snapshots.snap_products",
    ])
    assert len(versions) == 2, versions
    (old_price, old_from, old_to, old_current), (new_price, new_from, new_to, new_current) = versions
    assert Decimal(new_price) == Decimal("999.99") and Decimal(old_price) != Decimal(new_price)
    assert (old_current, new_current) == ("False", "True")
    assert old_to.startswith("2026-03-01 00:00:00") and new_from.startswith("2026-03-01 00:00:00")
    assert old_from.startswith("1900-01-01") and new_to.startswith("9999-12-31")
    rows, distinct_versions, current_versions, products = (int(v) for v in history[0])
    assert rows == distinct_versions and current_versions == products and rows == products + 1, history
