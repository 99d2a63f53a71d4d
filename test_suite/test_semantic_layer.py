"""The semantic layer: dbt's parser validates the semantic models and metrics, and
MetricFlow itself (`mf query`, from its own pinned virtualenv) answers with the same
figures as the dashboard, on the sample warehouse.

In CI (CI=true) a MetricFlow virtualenv that cannot be created is a failure; on a laptop
without the package index the MetricFlow tests are skipped with the reason.
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import PROFILES_DIR, PROJECT_ROOT, VENV_BIN, copy_project, run

sys.path.insert(0, str(PROJECT_ROOT / "dashboard"))
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import data  # noqa: E402
import dbt_parse_inputs  # noqa: E402

ON_CI = os.environ.get("CI", "").lower() == "true"

# metric -> (type, semantic model, measure, aggregation, measure expression) for simple
# metrics; (type, numerator, denominator) for ratios.
SIMPLE_METRICS = {
    "revenue": ("order_lines", "sales_amount", "sum", None),
    "units": ("order_lines", "quantity", "sum", None),
    "orders": ("order_lines", "order_count", "count_distinct", "order_id"),
    "customers": ("order_lines", "customer_count", "count_distinct", "customer_pseudonym"),
    "net_sales": ("order_lines", "net_sales_amount", "sum", None),
    "gross_margin": ("order_lines", "gross_margin_amount", "sum", None),
    "costed_net_sales": ("order_lines", "costed_net_sales_amount", "sum",
                         "case when gross_margin_amount is not null then net_sales_amount end"),
    "stock_on_hand": ("inventory_positions", "quantity_on_hand", "sum", None),
    "stock_positions": ("inventory_positions", "position_count", "sum", "1"),
    "stock_positions_in_stock": ("inventory_positions", "positions_in_stock_count", "sum",
                                 "case when quantity_available > 0 then 1 else 0 end"),
}
RATIO_METRICS = {
    "average_order_value": ("revenue", "orders"),
    "gross_margin_pct": ("gross_margin", "costed_net_sales"),
    "margin_coverage_pct": ("costed_revenue", "revenue"),
    "availability_pct": ("stock_positions_in_stock", "stock_positions"),
}
PRODUCTION_ONLY = {"stock_on_hand", "stock_positions", "stock_positions_in_stock"}


@pytest.fixture(scope="module")
def semantic_manifest(warehouse):
    assert warehouse.build_result.returncode == 0, "the warehouse build failed"
    return warehouse.artifact("semantic_manifest.json")


def test_every_metric_is_defined_on_the_right_measure(semantic_manifest):
    metrics = {metric["name"]: metric for metric in semantic_manifest["metrics"]}
    measures = {
        measure["name"]: (model, measure)
        for model in semantic_manifest["semantic_models"]
        for measure in model["measures"]
    }
    missing = sorted((set(SIMPLE_METRICS) | set(RATIO_METRICS)) - set(metrics))
    assert not missing, missing
    for name, metric in metrics.items():
        assert metric["label"] and (metric["description"] or "").strip(), name
    for name, (model_name, measure_name, agg, expr) in SIMPLE_METRICS.items():
        metric = metrics[name]
        assert metric["type"] == "simple", name
        assert metric["type_params"]["measure"]["name"] == measure_name, name
        model, measure = measures[measure_name]
        assert model["name"] == model_name and measure["agg"] == agg, name
        assert (measure["expr"] or None) == expr, (name, measure["expr"])
        filters = [f["where_sql_template"] for f in (metric["filter"] or {}).get("where_filters", [])]
        if name in PRODUCTION_ONLY:
            assert filters == ["{{ Dimension('inventory_position__environment') }} = 'production'\n"], filters
        else:
            assert not filters, (name, filters)
    for name, (numerator, denominator) in RATIO_METRICS.items():
        params = metrics[name]["type_params"]
        assert metrics[name]["type"] == "ratio", name
        assert (params["numerator"]["name"], params["denominator"]["name"]) == (numerator, denominator)


def test_stock_is_a_level_and_never_summed_over_snapshots(semantic_manifest):
    measures = {m["name"]: m for model in semantic_manifest["semantic_models"] for m in model["measures"]}
    for name in ("quantity_on_hand", "stock_value"):
        non_additive = measures[name]["non_additive_dimension"]
        assert non_additive["name"] == "snapshot_date" and non_additive["window_choice"] == "max", name


def test_every_measure_aggregates_over_a_time_dimension_of_its_model(semantic_manifest):
    for model in semantic_manifest["semantic_models"]:
        time_dimensions = {d["name"] for d in model["dimensions"] if d["type"] == "time"}
        assert (model["description"] or "").strip(), model["name"]
        for measure in model["measures"]:
            agg_time = measure.get("agg_time_dimension") or model["defaults"]["agg_time_dimension"]
            assert agg_time in time_dimensions, (model["name"], measure["name"])


def test_the_time_spine_carries_the_fiscal_calendar(semantic_manifest, db):
    spines = semantic_manifest["project_configuration"]["time_spines"]
    assert len(spines) == 1 and spines[0]["node_relation"]["alias"] == "metricflow_time_spine"
    assert spines[0]["primary_column"] == {"name": "date_day", "time_granularity": "day"}
    granularities = {g["name"]: g["column_name"] for g in spines[0]["custom_granularities"]}
    assert granularities == {"fiscal_year": "fiscal_year_start_date",
                             "fiscal_quarter": "fiscal_quarter_start_date"}
    # every day's fiscal periods start where dim_date's fiscal year and quarter start
    wrong = db.execute("""
        with periods as (
            select fiscal_year, fiscal_quarter, min(date_day) as first_day, count(*) as days
            from core.dim_date where not is_unknown_member
            group by fiscal_year, fiscal_quarter
        )
        select spine.date_day, spine.fiscal_year_start_date, spine.fiscal_quarter_start_date
        from core.metricflow_time_spine as spine
        inner join core.dim_date as dates on spine.date_day = dates.date_day
        inner join periods on dates.fiscal_year = periods.fiscal_year
            and dates.fiscal_quarter = periods.fiscal_quarter
        where periods.days >= 89  -- quarters cut by the calendar's ends start earlier
          and (spine.fiscal_quarter_start_date <> periods.first_day
               or spine.fiscal_year <> dates.fiscal_year
               or extract(month from spine.fiscal_year_start_date) <> 9
               or spine.fiscal_year_start_date > spine.date_day)
    """).fetchall()
    assert not wrong, wrong[:5]
    assert db.execute("select count(*) from core.metricflow_time_spine").fetchone()[0] == \
        db.execute("select count(*) from core.dim_date where not is_unknown_member").fetchone()[0]


# --- MetricFlow itself -------------------------------------------------------------

SALES_METRICS = ["revenue", "units", "orders", "customers", "average_order_value",
                 "net_sales", "gross_margin", "gross_margin_pct", "margin_coverage_pct"]
INVENTORY_METRICS = ["stock_on_hand", "availability_pct"]
CENT = Decimal("0.0051")  # the dashboard rounds to cents / hundredths of a percent
FILTERED = ("{{ Dimension('product__category') }} = 'Furniture' "
            "and {{ Dimension('ship_to_area__country') }} = 'Germany' "
            "and {{ Dimension('customer__customer_segment') }} = 'Corporate'")
# The dashboard's other filters: ship-to region and city, calendar year, product, channel
# and platform, each as MetricFlow's `--where` on the dimension and as data.Filters.
PERIOD_AND_CHANNEL = ("{{ Dimension('ship_to_area__region') }} = 'South' "
                      "and {{ Dimension('order_line__channel') }} = 'Retailer' "
                      "and {{ Dimension('order_line__platform') }} = 'Brick & Mortar' "
                      "and {{ TimeDimension('metric_time', 'day') }} >= '2025-01-01' "
                      "and {{ TimeDimension('metric_time', 'day') }} < '2026-01-01'")
PERIOD_AND_CHANNEL_FILTERS = data.Filters(regions=("South",), channels=("Retailer",),
                                          platforms=("Brick & Mortar",), calendar_years=(2025,))
PRODUCTS = "('P-0060', 'P-0071', 'P-0025')"
PRODUCT_AND_CITY = (f"{{{{ Dimension('product__product_id') }}}} in {PRODUCTS} "
                    "and {{ Dimension('ship_to_area__city') }} in ('München', 'Stuttgart', 'Milano', 'Paris')")
PRODUCT_AND_CITY_FILTERS = data.Filters(products=("P-0060", "P-0071", "P-0025"),
                                        cities=("München", "Stuttgart", "Milano", "Paris"))
QUERIES = {
    "whole_period": dict(metrics=SALES_METRICS + INVENTORY_METRICS),
    "fiscal_years": dict(metrics=SALES_METRICS + INVENTORY_METRICS, group_by=["metric_time__fiscal_year"]),
    "filtered": dict(metrics=SALES_METRICS, group_by=["metric_time__fiscal_year"], where=FILTERED),
    "period_and_channel": dict(metrics=SALES_METRICS, group_by=["metric_time__fiscal_year"],
                               where=PERIOD_AND_CHANNEL),
    "product_and_city": dict(metrics=SALES_METRICS, group_by=["metric_time__fiscal_year"],
                             where=PRODUCT_AND_CITY),
    "product_stock": dict(metrics=INVENTORY_METRICS, group_by=["metric_time__fiscal_year"],
                          where=f"{{{{ Dimension('product__product_id') }}}} in {PRODUCTS}"),
    "fiscal_quarters": dict(metrics=["gross_margin_pct"], group_by=["metric_time__fiscal_quarter"]),
    "snapshots": dict(metrics=["availability_pct", "stock_out_positions"], group_by=["metric_time__day"]),
}


@pytest.fixture(scope="module")
def mf():
    """The path of MetricFlow's `mf`, in the virtualenv that scripts/metricflow.sh sets up."""
    setup = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "metricflow.sh"), "--setup-only"],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=1200,
    )
    if setup.returncode != 0:
        message = f"MetricFlow's virtualenv could not be created: {setup.stdout[-3000:]}"
        if ON_CI:
            pytest.fail(message + " (CI=true: the semantic layer must be queried)")
        pytest.skip(message)
    return setup.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def metricflow(warehouse, mf, tmp_path_factory):
    """`mf query` run on the suite's warehouse for each of QUERIES: their rows, as dicts.

    All of them run first, while no test holds a connection: DuckDB lets one process
    write or several read, and MetricFlow opens the file for writing."""
    assert warehouse.build_result.returncode == 0, "the warehouse build failed"

    # mf reads <project>/target/semantic_manifest.json: a project directory whose target is
    # the suite's, so that neither the developer's target/ nor warehouse is touched.
    project = tmp_path_factory.mktemp("metricflow_project")
    (project / "dbt_project.yml").symlink_to(PROJECT_ROOT / "dbt_project.yml")
    (project / "target").symlink_to(warehouse.target_dir)
    env = dict(warehouse.env(), DBT_TARGET="duckdb", DBT_PROJECT_DIR=str(project),
               DBT_PROFILES_DIR=str(PROFILES_DIR))
    results = {}
    for name, spec in QUERIES.items():
        output = project / f"{name}.csv"
        command = [mf, "query", "--metrics", ",".join(spec["metrics"]), "--csv", str(output)]
        if spec.get("group_by"):
            command += ["--group-by", ",".join(spec["group_by"])]
        if spec.get("where"):
            command += ["--where", spec["where"]]
        # cwd: the profile's DuckDB plugin is imported from the project's engine_plugins/
        result = run(command, cwd=PROJECT_ROOT, env=env, timeout=600)
        assert result.returncode == 0 and output.exists(), (name, result.stdout[-5000:])
        with output.open(newline="") as handle:
            results[name] = list(csv.DictReader(handle))
    return results


def _assert_sales_agree(metricflow_row, dashboard_row, where):
    mf = {name: Decimal(value) for name, value in metricflow_row.items() if name in SALES_METRICS}
    assert mf["revenue"] == dashboard_row.revenue, where
    for name in ("units", "orders", "customers"):
        assert mf[name] == int(getattr(dashboard_row, name)), (where, name)
    assert abs(mf["average_order_value"] - dashboard_row.average_order_value) <= CENT, where
    assert abs(mf["net_sales"] - dashboard_row.net_sales_amount) <= CENT, where
    assert abs(mf["gross_margin"] - dashboard_row.gross_margin_amount) <= CENT, where
    assert abs(100 * mf["gross_margin_pct"] - dashboard_row.gross_margin_pct) <= CENT, where
    assert abs(100 * mf["margin_coverage_pct"] - dashboard_row.margin_coverage_pct) <= CENT, where


def _assert_profit_and_loss_agrees(metricflow_row, statement_line, where):
    """The P&L page's lines that are metrics (D59): gross sales, net sales, gross margin."""
    mf = {name: Decimal(value) for name, value in metricflow_row.items() if name in SALES_METRICS}
    assert mf["revenue"] == statement_line.gross_sales_amount, where
    assert abs(mf["net_sales"] - statement_line.net_sales_amount) <= CENT, where
    assert abs(mf["gross_margin"] - statement_line.gross_margin_amount) <= CENT, where
    assert abs(100 * mf["gross_margin_pct"] - statement_line.gross_margin_pct) <= CENT, where
    assert abs(100 * mf["margin_coverage_pct"] - statement_line.margin_coverage_pct) <= CENT, where


def _assert_inventory_agree(metricflow_row, dashboard_row, where):
    assert int(metricflow_row["stock_on_hand"]) == int(dashboard_row.stock_on_hand), where
    assert abs(100 * Decimal(metricflow_row["availability_pct"]) - dashboard_row.availability_pct) <= CENT, where


def _fiscal_years(db, rows, column):
    """MetricFlow names a fiscal period by its first day: the dashboard by its fiscal year."""
    return {db.execute("select fiscal_year from core.dim_date where date_day = cast(? as date)",
                       [row[column][:10]]).fetchone()[0]: row for row in rows}


def test_metricflow_and_the_dashboard_agree_on_the_whole_period(metricflow, db):
    [row] = metricflow["whole_period"]
    everything = data.Filters()
    _assert_sales_agree(row, data.sales_headlines(db, everything).iloc[0], "whole period")
    _assert_inventory_agree(row, data.inventory_headlines(db, everything).iloc[0], "whole period")


def test_metricflow_and_the_dashboard_agree_per_fiscal_year(metricflow, db):
    rows = _fiscal_years(db, metricflow["fiscal_years"], "metric_time__fiscal_year")
    everything = data.Filters()
    sales = data.sales_headlines(db, everything, by_fiscal_year=True)
    inventory = data.inventory_headlines(db, everything, by_fiscal_year=True)
    assert sorted(rows) == sorted(sales.fiscal_year) == sorted(inventory.fiscal_year) and len(rows) >= 3
    for dashboard_row in sales.itertuples():
        _assert_sales_agree(rows[dashboard_row.fiscal_year], dashboard_row, dashboard_row.fiscal_year)
    for dashboard_row in inventory.itertuples():
        _assert_inventory_agree(rows[dashboard_row.fiscal_year], dashboard_row, dashboard_row.fiscal_year)
    # and with the figures of the dashboard's other charts and its P&L
    for growth in data.fiscal_year_growth(db, everything).itertuples():
        assert Decimal(rows[growth.fiscal_year]["revenue"]) == growth.revenue, growth.fiscal_year
    for line in data.profit_and_loss(db, everything).itertuples():
        _assert_profit_and_loss_agrees(rows[line.fiscal_year], line, line.fiscal_year)


def test_metricflow_and_the_dashboard_agree_under_filters(metricflow, db):
    rows = _fiscal_years(db, metricflow["filtered"], "metric_time__fiscal_year")
    filters = data.Filters(categories=("Furniture",), countries=("Germany",), customer_segments=("Corporate",))
    dashboard = data.sales_headlines(db, filters, by_fiscal_year=True)
    assert len(dashboard) >= 2 and sorted(rows) == sorted(dashboard.fiscal_year)
    for dashboard_row in dashboard.itertuples():
        _assert_sales_agree(rows[dashboard_row.fiscal_year], dashboard_row, dashboard_row.fiscal_year)
    # a narrower selection, so the filters were applied on both sides
    assert dashboard.revenue.sum() < data.sales_headlines(db, data.Filters()).revenue.iloc[0]


def test_metricflow_and_the_dashboard_charts_agree_by_quarter_and_snapshot(metricflow, db):
    quarters = {row["metric_time__fiscal_quarter"][:10]: row
                for row in metricflow["fiscal_quarters"]}
    trend = data.margin_trend(db, data.Filters())
    assert len(quarters) == len(trend) >= 12
    for row in trend.itertuples():
        first_day = db.execute(
            "select min(date_day) from core.dim_date where fiscal_year = ? and fiscal_quarter = ?",
            [row.fiscal_year, row.fiscal_quarter]).fetchone()[0]
        mf = Decimal(quarters[first_day.isoformat()]["gross_margin_pct"])
        assert abs(100 * mf - row.gross_margin_pct) <= CENT, (row.fiscal_year, row.fiscal_quarter)

    days = {row["metric_time__day"][:10]: row
            for row in metricflow["snapshots"]}
    daily = data.availability(db, data.Filters())
    assert len(days) == len(daily) > 30
    for row in daily.itertuples():
        mf = days[row.snapshot_date.isoformat()]
        assert int(mf["stock_out_positions"]) == row.stock_out_positions, row.snapshot_date
        assert abs(100 * Decimal(mf["availability_pct"]) - row.availability_pct) <= CENT, row.snapshot_date


@pytest.mark.parametrize("query, filters", [
    ("period_and_channel", PERIOD_AND_CHANNEL_FILTERS),
    ("product_and_city", PRODUCT_AND_CITY_FILTERS),
])
def test_metricflow_and_the_dashboard_agree_under_the_other_filters(metricflow, db, query, filters):
    rows = _fiscal_years(db, metricflow[query], "metric_time__fiscal_year")
    dashboard = data.sales_headlines(db, filters, by_fiscal_year=True)
    statement = data.profit_and_loss(db, filters)
    assert len(dashboard) >= 2 and sorted(rows) == sorted(dashboard.fiscal_year) == sorted(statement.fiscal_year)
    for dashboard_row in dashboard.itertuples():
        _assert_sales_agree(rows[dashboard_row.fiscal_year], dashboard_row, (query, dashboard_row.fiscal_year))
    for line in statement.itertuples():
        _assert_profit_and_loss_agrees(rows[line.fiscal_year], line, (query, line.fiscal_year))
    for growth in data.fiscal_year_growth(db, filters).itertuples():
        assert Decimal(rows[growth.fiscal_year]["revenue"]) == growth.revenue, (query, growth.fiscal_year)
    assert dashboard.revenue.sum() < data.sales_headlines(db, data.Filters()).revenue.iloc[0] / 4


def test_metricflow_and_the_dashboard_agree_on_a_products_stock(metricflow, db):
    rows = _fiscal_years(db, metricflow["product_stock"], "metric_time__fiscal_year")
    inventory = data.inventory_headlines(db, data.Filters(products=PRODUCT_AND_CITY_FILTERS.products),
                                         by_fiscal_year=True)
    assert sorted(rows) == sorted(inventory.fiscal_year) and len(rows) >= 3
    for dashboard_row in inventory.itertuples():
        _assert_inventory_agree(rows[dashboard_row.fiscal_year], dashboard_row, dashboard_row.fiscal_year)
    everything = data.inventory_headlines(db, data.Filters()).iloc[0]
    assert inventory.stock_on_hand.iloc[-1] < everything.stock_on_hand


# --- scripts/metricflow.sh parses only when the project changed (D125) ----------------

def test_a_query_parses_the_project_only_when_something_dbt_parses_changed(warehouse, mf, tmp_path):
    """scripts/metricflow.sh runs `dbt parse` before `mf` when a file, the profile or the
    environment that dbt parses changed since target/semantic_manifest.json was written,
    and not otherwise. dbt rewrites the manifest on every parse, so its time tells; run in
    a copy of the project, on a copy of the suite's warehouse."""
    assert warehouse.build_result.returncode == 0, "the warehouse build failed"
    project = copy_project(tmp_path / "project")
    shutil.copy(warehouse.path, tmp_path / "warehouse.duckdb")
    env = dict(warehouse.env(), DBT_TARGET="duckdb", DBT_DUCKDB_PATH=str(tmp_path / "warehouse.duckdb"),
               SALES_INSIGHTS_VENV=str(VENV_BIN.parent), SALES_INSIGHTS_METRICFLOW_VENV=str(Path(mf).parents[1]))
    manifest = project / "target" / "semantic_manifest.json"
    answer = tmp_path / "revenue.csv"

    def query() -> tuple[int, str]:
        """The manifest's modification time after a query of revenue, and the answer."""
        result = run(["bash", str(project / "scripts" / "metricflow.sh"), "query", "--metrics", "revenue",
                      "--group-by", "metric_time__fiscal_year", "--csv", str(answer)],
                     cwd=tmp_path, env=env, timeout=600)
        assert result.returncode == 0, result.stdout[-5000:]
        return manifest.stat().st_mtime_ns, answer.read_text()

    first_parse, revenue = query()
    assert len(revenue.splitlines()) >= 4
    assert query() == (first_parse, revenue)  # nothing changed: no parse
    model = project / "models" / "marts" / "core" / "dim_date.sql"
    os.utime(model)
    assert query() == (first_parse, revenue)  # a file's time alone is no change

    model.write_text(model.read_text() + "-- changed\n")
    second_parse, again = query()
    assert second_parse > first_parse and again == revenue
    [node] = [node for node in json.loads((project / "target" / "manifest.json").read_text())["nodes"].values()
              if node["resource_type"] == "model" and node["name"] == "dim_date"]
    assert node["raw_code"].rstrip().endswith("-- changed")
    assert query() == (second_parse, revenue)

    # the environment is parsed too: DuckDB names the warehouse's database after its file
    shutil.move(tmp_path / "warehouse.duckdb", tmp_path / "other.duckdb")
    env["DBT_DUCKDB_PATH"] = str(tmp_path / "other.duckdb")
    third_parse, again = query()
    assert third_parse > second_parse and again == revenue
    assert {model["node_relation"]["database"] for model in json.loads(manifest.read_text())["semantic_models"]} \
        == {"other"}


def test_every_environment_variable_the_project_parses_is_in_the_parse_fingerprint():
    """scripts/dbt_parse_inputs.py hashes the variables named with the project's prefixes:
    an env_var() named otherwise would change a parse without changing the fingerprint."""
    sources = [PROJECT_ROOT / "profiles.yml.example"] + [
        path for directory in dbt_parse_inputs.project_paths(PROJECT_ROOT) if directory.is_dir()
        for path in directory.rglob("*") if path.suffix in (".sql", ".yml", ".yaml", ".md")]
    sources += [PROJECT_ROOT / name for name in dbt_parse_inputs.PROJECT_FILES if (PROJECT_ROOT / name).is_file()]
    names = {name for path in sources
             for name in re.findall(r"env_var\(\s*['\"]([^'\"]+)['\"]", path.read_text(encoding="utf-8"))}
    assert {"DBT_TARGET", "SALES_INSIGHTS_SDC_MIN_CUSTOMERS"} <= names
    assert not {name for name in names if not name.startswith(dbt_parse_inputs.ENVIRONMENT_PREFIXES)}
