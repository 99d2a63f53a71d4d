"""The open-data schema: disclosure control checked from outside dbt, the generic tests
proven to fail on tables that break their rule, no personal data, and the export.

Run alone: bash -c 'source scripts/_env.sh && python -m pytest test_suite/test_open_data.py -x'
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from pycanon import anonymity
from scipy.optimize import linprog

import shutil

import duckdb

from conftest import PROJECT_ROOT, VENV_BIN, Warehouse, copy_project, query, run

MIN_CUSTOMERS = int(os.environ.get("SALES_INSIGHTS_SDC_MIN_CUSTOMERS", "5"))
P_PERCENT = float(os.environ.get("SALES_INSIGHTS_SDC_P_PERCENT", "10"))
OPEN_TABLES = {
    "open_sales_by_month_country_category": ["month_start_date", "country", "category"],
    "open_sales_by_quarter_segment_channel": ["fiscal_year", "fiscal_quarter", "customer_segment", "channel", "platform"],
    "open_inventory_by_month_category": ["month_start_date", "category"],
    "open_delivery_lead_times_by_month_ship_mode": ["month_start_date", "ship_mode"],
}
# Column names that betray an identifier, a pseudonym, a hash, free text or exact personal data.
IDENTIFYING_NAME = re.compile(
    r"(_id$|_key$|^id$|pseudonym|hash|fingerprint|name$|email|phone|birth|postal|zip|address|comment|note|text)"
)


def _table(db, name: str) -> pd.DataFrame:
    return db.execute(f"select * from open_data.{name}").fetchdf()


# --- the build -----------------------------------------------------------------------

def test_every_open_data_table_is_built_documented_and_tested(warehouse, db):
    manifest = warehouse.manifest
    models = {
        n["name"]: n for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["config"]["schema"] == "open_data"
    }
    assert set(models) == set(OPEN_TABLES)
    tests = defaultdict(set)
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("test_metadata"):
            for parent in node["depends_on"]["nodes"]:
                tests[parent].add(node["test_metadata"]["name"])
    for name, model in models.items():
        assert model["config"]["contract"]["enforced"], name
        assert model["config"]["meta"]["primary_key"] == OPEN_TABLES[name]
        assert all(c["description"].strip() for c in model["columns"].values()), name
        assert model["description"].strip()
        assert {"sdc_threshold", "sdc_dominance", "sdc_suppression_pattern", "unique_combination_of_columns"} <= tests[
            model["unique_id"]
        ], (name, tests[model["unique_id"]])
        built = {c for (c,) in query(db, f"select column_name from information_schema.columns "
                                         f"where table_schema = 'open_data' and table_name = '{name}'")}
        assert built == set(model["columns"]), name
    unit_tests = [u for u in manifest["unit_tests"].values() if u["model"] in OPEN_TABLES]
    assert len(unit_tests) >= 4


def test_published_cells_meet_the_threshold_and_suppressed_cells_are_missing_not_zero(any_db):
    # a table may publish every cell (global recoding, D135), but not all of them may
    hidden_cells = 0
    for name in OPEN_TABLES:
        table = _table(any_db, name)
        measures = [c for c in table.columns if c not in OPEN_TABLES[name] + ["suppression_status", "aggregation_level"]]
        hidden = table[table.suppression_status != "published"]
        shown = table[table.suppression_status == "published"]
        hidden_cells += len(hidden)
        assert len(shown) > 0, name
        assert hidden[measures].isna().all().all(), name
        assert shown[measures].notna().all().all(), name
        if "customers" in table:
            assert (shown.customers >= MIN_CUSTOMERS).all(), name
    assert hidden_cells > 0


# --- secondary suppression: an independent audit by linear programming -----------------

def _feasible_intervals(values: dict, lines: list[tuple[list, object]]) -> dict:
    """For every suppressed cell (value None), its smallest and largest value consistent
    with every published value and every line (cells adding up to a total), cells >= 0."""
    unknown = sorted((k for k, v in values.items() if v is None), key=str)
    if not unknown:
        return {}
    index = {k: i for i, k in enumerate(unknown)}
    a_eq, b_eq = [], []
    for members, total in lines:
        row = [0.0] * len(unknown)
        constant = 0.0
        for member in members:
            if values[member] is None:
                row[index[member]] += 1
            else:
                constant += float(values[member])
        if values[total] is None:
            row[index[total]] -= 1
        else:
            constant -= float(values[total])
        if any(row):
            a_eq.append(row)
            b_eq.append(-constant)
    intervals = {}
    for key, i in index.items():
        objective = [0.0] * len(unknown)
        bounds = []
        for sense in (1, -1):
            objective[i] = sense
            result = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=[(0, None)] * len(unknown),
                             method="highs")
            assert result.status in (0, 3), (key, result.message)
            bounds.append(sense * result.fun if result.status == 0 else float("inf"))
        intervals[key] = tuple(bounds)
    return intervals


def _sales_lines(db, measure: str):
    """Cells of the monthly and quarterly sales tables and the lines linking them, per
    fiscal quarter: country and category rows and columns of every month, and the
    quarter's segment × channel × platform cells adding up to its months' totals."""
    months = db.execute(
        f"select m.month_start_date, m.country, m.category, m.{measure}, d.fiscal_year, d.fiscal_quarter "
        "from open_data.open_sales_by_month_country_category as m "
        "inner join core.dim_date as d on m.month_start_date = d.date_day"
    ).fetchall()
    quarters = db.execute(
        f"select fiscal_year, fiscal_quarter, customer_segment, channel, platform, {measure} "
        "from open_data.open_sales_by_quarter_segment_channel"
    ).fetchall()
    systems = defaultdict(lambda: ({}, []))
    by_month = defaultdict(dict)
    for month, country, category, value, fiscal_year, fiscal_quarter in months:
        values, _ = systems[(fiscal_year, fiscal_quarter)]
        key = ("month", month, country, category)
        values[key] = value
        by_month[(fiscal_year, fiscal_quarter, month)][(country, category)] = key
    for (fiscal_year, fiscal_quarter, month), cells in by_month.items():
        _, lines = systems[(fiscal_year, fiscal_quarter)]
        countries = {c for c, _ in cells}
        categories = {g for _, g in cells}
        for country in countries:
            members = [k for (c, g), k in cells.items() if c == country and g != "All categories"]
            lines.append((members, cells[(country, "All categories")]))
        for category in categories:
            members = [k for (c, g), k in cells.items() if g == category and c != "All countries"]
            lines.append((members, cells[("All countries", category)]))
    for fiscal_year, fiscal_quarter, *cell, value in quarters:
        values, _ = systems[(fiscal_year, fiscal_quarter)]
        values[("quarter", fiscal_year, fiscal_quarter, *cell)] = value
    for (fiscal_year, fiscal_quarter), (values, lines) in systems.items():
        quarter_cells = [k for k in values if k[0] == "quarter"]
        month_totals = [k for k in values if k[0] == "month" and k[2:] == ("All countries", "All categories")]
        if quarter_cells:
            # quarter cells = sum of the month totals: one line whose "total" is a sum
            values[("quarter_total", fiscal_year, fiscal_quarter)] = None
            lines.append((quarter_cells, ("quarter_total", fiscal_year, fiscal_quarter)))
            lines.append((month_totals, ("quarter_total", fiscal_year, fiscal_quarter)))
    return systems


def _suppressed_cells(db, table: str) -> int:
    return db.execute(f"select count(*) from open_data.{table} where suppression_status <> 'published'").fetchone()[0]


def _month_margin_lines(db, table: str, dimension: str, total_label: str, measure: str):
    rows = db.execute(f"select month_start_date, {dimension}, {measure} from open_data.{table}").fetchall()
    systems = defaultdict(lambda: ({}, []))
    for month, member, value in rows:
        systems[month][0][(month, member)] = value
    for month, (values, lines) in systems.items():
        lines.append(([k for k in values if k[1] != total_label], (month, total_label)))
    return systems


@pytest.mark.parametrize("measure", ["revenue", "units"])
def test_no_suppressed_sales_cell_is_recoverable_from_the_published_tables(any_db, measure):
    exposed, audited = [], 0
    for quarter, (values, lines) in _sales_lines(any_db, measure).items():
        for key, (low, high) in _feasible_intervals(values, lines).items():
            if key[0] == "quarter_total":
                continue
            audited += 1
            if high - low < 0.01:
                exposed.append((key, low, high))
    # every suppressed cell of both tables is audited (a table may have none: D135)
    assert audited > 0
    assert audited == sum(_suppressed_cells(any_db, table) for table in (
        "open_sales_by_month_country_category", "open_sales_by_quarter_segment_channel"))
    assert not exposed, exposed[:10]


@pytest.mark.parametrize("table, dimension, total_label, measure", [
    ("open_inventory_by_month_category", "category", "All categories", "stock_value"),
    ("open_inventory_by_month_category", "category", "All categories", "stock_positions"),
    ("open_delivery_lead_times_by_month_ship_mode", "ship_mode", "All ship modes", "shipped_order_lines"),
])
def test_no_suppressed_cell_is_recoverable_from_its_month_total(any_db, table, dimension, total_label, measure):
    exposed, audited = [], 0
    for month, (values, lines) in _month_margin_lines(any_db, table, dimension, total_label, measure).items():
        for key, (low, high) in _feasible_intervals(values, lines).items():
            audited += 1
            if high - low < 0.01:
                exposed.append((key, low, high))
    # every suppressed cell is audited; a table may publish every cell (D135)
    assert audited == _suppressed_cells(any_db, table)
    assert not exposed, exposed[:10]


def _true_monthly_revenue(db) -> dict:
    """Every cell of the monthly sales table, margins included, from the owner-only
    contributions: what an intruder would like to know about the suppressed ones."""
    rows = db.execute("""
        with cells as (
            select month_start_date, country, category, sum(revenue) as revenue
            from disclosure_control.sdc_sales_contributions_by_month_country_category
            group by month_start_date, country, category
        )
        select month_start_date, country, category, revenue from cells
        union all
        select month_start_date, 'All countries', category, sum(revenue) from cells
        group by month_start_date, category
        union all
        select month_start_date, country, 'All categories', sum(revenue) from cells
        group by month_start_date, country
        union all
        select month_start_date, 'All countries', 'All categories', sum(revenue) from cells
        group by month_start_date
    """).fetchall()
    return {("month", month, country, category): float(revenue) for month, country, category, revenue in rows}


def test_every_suppressed_revenue_cell_keeps_a_protection_interval_of_p_percent(any_db):
    """Not recoverable exactly is not enough: from the published tables an intruder can
    only narrow a suppressed cell down to an interval, which must stay at least p % of
    the cell's true value wide (sliding protection), or an estimate would be as good as
    the published value the p % rule refused."""
    truth = _true_monthly_revenue(any_db)
    narrow, audited = [], 0
    for values, lines in _sales_lines(any_db, "revenue").values():
        for key, (low, high) in _feasible_intervals(values, lines).items():
            if key[0] != "month" or not truth.get(key):
                continue
            audited += 1
            if high - low < P_PERCENT / 100 * truth[key]:
                narrow.append((key, truth[key], low, high))
    # every suppressed monthly cell with revenue is audited (the generated set, whose
    # countries are large enough, may have none: D135)
    suppressed_with_revenue = sum(
        1 for (_, month, country, category, status) in any_db.execute(
            "select 'month', month_start_date, country, category, suppression_status "
            "from open_data.open_sales_by_month_country_category").fetchall()
        if status != "published" and truth.get(("month", month, country, category)))
    assert audited == suppressed_with_revenue
    assert not narrow, narrow[:10]


def test_the_audit_finds_a_cell_left_alone_in_its_line():
    """The audit itself can fail: one suppressed cell in a line is recovered exactly."""
    values = {"a": None, "b": Decimal("20"), "total": Decimal("50")}
    intervals = _feasible_intervals(values, [(["a", "b"], "total")])
    assert intervals["a"] == (30, 30)
    values = {"a": None, "b": None, "total": Decimal("50")}
    assert _feasible_intervals(values, [(["a", "b"], "total")])["a"] == (0, 50)


# --- global recoding (D135) ----------------------------------------------------------

def test_recoded_members_are_published_only_in_their_groups(any_warehouse, any_db):
    """A country or category that the model's meta `global_recoding` maps to a group never
    appears on its own, in any month, and the groups are there instead; in the quarterly
    table an unknown segment, channel or platform appears only in the pooled row,
    `Unknown` in all three."""
    models = {n["name"]: n for n in any_warehouse.manifest["nodes"].values() if n["resource_type"] == "model"}
    recoded = 0
    for name in OPEN_TABLES:
        for column, groups in models[name]["config"]["meta"].get("global_recoding", {}).items():
            published = {value for (value,) in query(any_db, f"select distinct {column} from open_data.{name}")}
            contributed = {value for (value,) in query(
                any_db, f"select distinct {column} from disclosure_control.{models[name]['config']['meta']['information_loss']['contributions']}")}
            assert not published & set(groups), (name, column, published & set(groups))
            assert published == contributed, (name, column)
            recoded += len(published & set(groups.values()))
    assert recoded >= 2
    pooled = query(any_db, """
        select customer_segment, channel, platform, count(*)
        from open_data.open_sales_by_quarter_segment_channel
        where customer_segment = 'Unknown' or channel = 'Unknown' or platform = 'Unknown'
        group by customer_segment, channel, platform
    """)
    assert [row[:3] for row in pooled] == [("Unknown", "Unknown", "Unknown")], pooled


# --- an independent k-anonymity check ------------------------------------------------

@pytest.mark.parametrize("table", [
    "open_sales_by_month_country_category",
    "open_sales_by_quarter_segment_channel",
    "open_delivery_lead_times_by_month_ship_mode",
])
def test_pycanon_finds_every_published_count_table_k_anonymous(any_db, table):
    data = _table(any_db, table)
    published = data[data.suppression_status == "published"]
    keys = OPEN_TABLES[table]
    # one record per customer of each cell: the cell's key is the quasi-identifier
    records = published.loc[published.index.repeat(published.customers.astype(int)), keys].astype(str)
    assert len(records) > 0
    assert anonymity.k_anonymity(records.reset_index(drop=True), keys) >= MIN_CUSTOMERS


# --- no personal data ----------------------------------------------------------------

def _upstream(manifest: dict, unique_id: str) -> set[str]:
    seen, stack = set(), [unique_id]
    while stack:
        node = manifest["nodes"].get(stack.pop())
        for parent in (node or {}).get("depends_on", {}).get("nodes", []):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def test_no_personal_column_reaches_the_open_data_schema(warehouse):
    manifest = warehouse.manifest
    pii_columns = {
        column.lower()
        for node in [*manifest["nodes"].values(), *manifest["sources"].values()]
        for column, spec in node.get("columns", {}).items()
        if spec.get("meta", {}).get("pii")
    }
    pii_models = {uid for uid, n in manifest["nodes"].items() if n["config"].get("meta", {}).get("pii")
                  or n["config"].get("schema") == "restricted"}
    assert len(pii_columns) >= 5 and pii_models
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["config"]["schema"] != "open_data":
            continue
        columns = set(node["columns"])
        assert not columns & pii_columns, (node["name"], columns & pii_columns)
        assert not [c for c in columns if IDENTIFYING_NAME.search(c)], node["name"]
        assert not _upstream(manifest, node["unique_id"]) & pii_models, node["name"]
        # open data reads only its own disclosure-control inputs, which read the marts
        for parent in node["depends_on"]["nodes"]:
            parent_node = manifest["nodes"][parent]
            assert parent_node["config"]["schema"] == "disclosure_control", (node["name"], parent)
            for grandparent in parent_node["depends_on"]["nodes"]:
                assert manifest["nodes"][grandparent]["config"]["schema"] == "core", (parent, grandparent)


def test_no_open_data_value_looks_like_an_identifier(any_db):
    identifiers = set()
    for table, column in [
        ("dim_customer", "customer_pseudonym"), ("dim_customer", "customer_key"), ("dim_product", "product_id"),
        ("dim_supplier", "supplier_id"), ("dim_carrier", "carrier_id"), ("dim_location", "location_id"),
        ("fct_sales", "order_id"), ("fct_sales", "order_line_key"),
    ]:
        identifiers |= {str(v) for (v,) in query(any_db, f"select distinct {column} from core.{table}")}
    identifiers -= {"unknown", "-1", "erased", "-2"}
    key_like = re.compile(r"^([0-9a-f]{16,}|.*@.*\..*|[A-Za-z]{1,4}[-_]?\d{3,}|\d{5,})$")
    problems = []
    for name in OPEN_TABLES:
        table = _table(any_db, name)
        for column in table.columns:
            if table[column].dtype != object:
                continue
            values = {str(v) for v in table[column].dropna()}
            if values & identifiers or any(key_like.match(v) for v in values):
                problems.append((name, column))
            if len(table) > 50 and len(values) == len(table):
                problems.append((name, column, "unique per row"))
    assert not problems, problems


# --- the generic tests fail on tables that break their rule ---------------------------

FIXTURE_TESTS = """
  - name: {name}
    tests:
      - sdc_threshold:
          contributions: ref('contributions')
          cell_columns: [cell]
          contributor_column: contributor
          min_units: open_data_min_customers
      - sdc_dominance:
          contributions: ref('contributions')
          cell_columns: [cell]
          contributor_column: contributor
          magnitude_column: amount
          rule: nk
      - sdc_dominance:
          contributions: ref('contributions')
          cell_columns: [cell]
          contributor_column: contributor
          magnitude_column: amount
          rule: p_percent
      - sdc_suppression_pattern:
          lines:
            - {{columns: [line], margin: "cell = 'total'"}}
          measures: [amount]
          additive_measures: [amount]
"""
# Contributions per cell: ok = five equal contributors; few = two contributors (each can
# also estimate the other: p % fails too); dominated = one contributor holds 86 % (n = 1
# here) while the rest after the two largest is 15 % of it; estimable = the rest after
# the two largest is under 10 % of the largest, which alone holds under 85 %.
CONTRIBUTIONS = """cell,contributor,amount
ok,c1,10
ok,c2,10
ok,c3,10
ok,c4,10
ok,c5,10
few,c1,10
few,c2,10
dominated,c1,860
dominated,c2,10
dominated,c3,10
dominated,c4,10
dominated,c5,10
dominated,c6,10
dominated,c7,10
dominated,c8,10
dominated,c9,10
dominated,c10,10
dominated,c11,10
dominated,c12,10
dominated,c13,10
dominated,c14,10
dominated,c15,10
estimable,c1,50
estimable,c2,48
estimable,c3,1
estimable,c4,1
estimable,c5,1
ok2,c1,10
ok2,c2,10
ok2,c3,10
ok2,c4,10
ok2,c5,10
total,c1,20
total,c2,20
total,c3,20
total,c4,20
total,c5,20
"""
PUBLISHED_TABLES = {
    # a correct table: the risky cells are suppressed, two per line
    "published_good": "line,cell,suppression_status,amount\nL,ok,published,50\nL,few,primary,\nL,dominated,primary,\n"
                      "L,estimable,primary,\nL,total,published,1218\nM,ok2,published,50\n",
    "published_few": "line,cell,suppression_status,amount\nL,few,published,20\nL,dominated,primary,\n"
                     "L,estimable,primary,\n",
    "published_dominated": "line,cell,suppression_status,amount\nL,dominated,published,1000\nL,few,primary,\n"
                           "L,estimable,primary,\n",
    "published_estimable": "line,cell,suppression_status,amount\nL,estimable,published,101\nL,few,primary,\n"
                           "L,dominated,primary,\n",
    # one suppressed cell in its line: recoverable from the total
    "published_alone": "line,cell,suppression_status,amount\nL,ok,published,50\nL,few,primary,\nL,total,published,70\n",
    # a suppressed cell published as 0
    "published_zero": "line,cell,suppression_status,amount\nL,few,primary,0\nL,dominated,primary,\nL,ok,published,50\n",
    # visible cells exceed the published total
    "published_over_margin": "line,cell,suppression_status,amount\nL,ok,published,50\nL,ok2,published,50\n"
                             "L,total,published,60\n",
}
EXPECTED_FAILURES = {
    "published_good": set(),
    "published_few": {"sdc_threshold", "sdc_dominance_p_percent"},
    "published_dominated": {"sdc_dominance_nk"},
    "published_estimable": {"sdc_dominance_p_percent"},
    "published_alone": {"sdc_suppression_pattern"},
    "published_zero": {"sdc_suppression_pattern"},
    "published_over_margin": {"sdc_suppression_pattern"},
}


@pytest.fixture(scope="module")
def fixture_results(tmp_path_factory):
    """A throwaway dbt project that borrows the real generic tests and macros and runs
    them on small seeded tables, good and bad."""
    root = tmp_path_factory.mktemp("sdc_fixture")
    (root / "seeds").mkdir()
    (root / "tests").mkdir()
    os.symlink(PROJECT_ROOT / "macros", root / "macros")
    os.symlink(PROJECT_ROOT / "tests" / "generic", root / "tests" / "generic")
    (root / "dbt_project.yml").write_text(
        "name: sales_insights\nversion: '1.0'\nconfig-version: 2\nprofile: sdc_fixture\n"
        "seeds:\n  sales_insights:\n    +column_types: {amount: 'decimal(18,2)'}\n"
        "vars:\n  open_data_min_customers: 5\n  open_data_dominance_n: 1\n  open_data_dominance_k: 85\n"
        "  open_data_p_percent: 10\n"
        "flags:\n  require_generic_test_arguments_property: false\n"
    )
    (root / "profiles.yml").write_text(
        f"sdc_fixture:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: '{root / 'fixture.duckdb'}'\n      threads: 1\n"
    )
    (root / "seeds" / "contributions.csv").write_text(CONTRIBUTIONS)
    schema = "version: 2\nseeds:\n  - name: contributions\n"
    for name, content in PUBLISHED_TABLES.items():
        (root / "seeds" / f"{name}.csv").write_text(content)
        schema += FIXTURE_TESTS.format(name=name)
    (root / "seeds" / "_fixtures.yml").write_text(schema)
    env = dict(os.environ, DBT_PROFILES_DIR=str(root), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    result = run([str(VENV_BIN / "dbt"), "build", "--project-dir", str(root)], cwd=root, env=env)
    manifest = json.loads((root / "target" / "manifest.json").read_text())
    run_results = json.loads((root / "target" / "run_results.json").read_text())
    statuses = {}
    for r in run_results["results"]:
        node = manifest["nodes"][r["unique_id"]]
        if node["resource_type"] != "test":
            continue
        metadata = node["test_metadata"]
        test = metadata["name"] + (f"_{metadata['kwargs']['rule']}" if "rule" in metadata["kwargs"] else "")
        table = node["attached_node"].split(".")[-1]
        statuses[(table, test)] = r["status"]
    return result, statuses


def test_each_generic_disclosure_test_fails_on_a_table_that_breaks_its_rule(fixture_results):
    result, statuses = fixture_results
    assert statuses, result.stdout[-3000:]
    tests = {"sdc_threshold", "sdc_dominance_nk", "sdc_dominance_p_percent", "sdc_suppression_pattern"}
    for table, failing in EXPECTED_FAILURES.items():
        for test in tests:
            expected = "fail" if test in failing else "pass"
            assert statuses[(table, test)] == expected, (table, test, statuses[(table, test)], result.stdout[-2000:])


# --- the export ----------------------------------------------------------------------

def test_exported_values_take_their_contract_type_and_key_order_on_every_engine():
    """What MySQL or Spark hand back becomes what DuckDB hands back (D84); never rounded."""
    from open_data_export.export import sort_key, typed

    assert str(typed(Decimal("12.5"), "decimal(18,2)", "net_sales")) == "12.50"  # another engine's scale
    assert str(typed(Decimal("0.0600"), "decimal(9,2)", "share")) == "0.06"
    assert typed(Decimal("42"), "bigint", "customers") == 42 and type(typed(Decimal("42"), "bigint", "c")) is int
    assert typed(1, "boolean", "flag") is True and typed(0, "boolean", "flag") is False
    assert typed(datetime.datetime(2025, 3, 1), "date", "month_start_date") == datetime.date(2025, 3, 1)
    assert typed(None, "decimal(18,2)", "net_sales") is None
    assert typed("DE", "varchar", "country") == "DE"
    for value, data_type in [(Decimal("1.234"), "decimal(18,2)"), (Decimal("2.5"), "bigint"),
                             (datetime.datetime(2025, 3, 1, 12), "date")]:
        with pytest.raises(SystemExit):
            typed(value, data_type, "column")
    rows = [("b", 1), (None, 2), ("B", 3), ("a", 4), ("é", 5)]
    assert sorted(rows, key=lambda row: sort_key(row, [0])) == [("B", 3), ("a", 4), ("b", 1), ("é", 5), (None, 2)]


def _export(warehouse, out):
    return run(
        [sys.executable, "-m", "open_data_export", "--manifest", str(warehouse.target_dir / "manifest.json"),
         "--out", str(out), "--target", "duckdb", "--duckdb-path", str(warehouse.path)],
        cwd=PROJECT_ROOT, env=warehouse.env(),
    )


@pytest.fixture(scope="module", params=["sample", "generated"])
def exported(request, tmp_path_factory):
    """The export of the sample warehouse, then of the generated one."""
    warehouse = request.getfixturevalue("warehouse" if request.param == "sample" else "generated_warehouse")
    assert warehouse.build_result.returncode == 0, warehouse.build_result.stdout[-3000:]
    out = tmp_path_factory.mktemp("open_data_export") / "package"
    return _export(warehouse, out), out, warehouse


def test_the_export_refuses_a_warehouse_whose_last_build_was_red(warehouse, tmp_path):
    """A red build (a failing test on fct_sales, so everything after it skipped), then an
    export attempt: refused, naming the failing and skipped nodes, and the previous package
    is left as it was. A green build makes it publishable again; a build that started and
    never ended (killed) is refused too. No override exists."""
    assert warehouse.build_result.returncode == 0, warehouse.build_result.stdout[-3000:]
    project = copy_project(tmp_path / "project")
    red = Warehouse(root=tmp_path / "red", project_dir=project)
    red.root.mkdir()
    shutil.copy(warehouse.path, red.path)
    failing_test = project / "tests" / "fct_sales_fails_on_purpose.sql"
    failing_test.write_text("select order_line_key from {{ ref('fct_sales') }} limit 1\n")
    selection = ("build", "--select", "fct_sales+", "--exclude-resource-type", "unit_test")
    built = red.dbt(*selection)
    assert built.returncode != 0 and "ERROR=1" in built.stdout, built.stdout[-3000:]

    out = tmp_path / "package"
    out.mkdir()
    (out / "published_yesterday.txt").write_text("kept")
    refused = _export(red, out)
    assert refused.returncode != 0, refused.stdout[-3000:]
    assert "refusing to publish" in refused.stdout, refused.stdout[-3000:]
    assert "test.sales_insights.fct_sales_fails_on_purpose: fail" in refused.stdout, refused.stdout[-3000:]
    assert "model.sales_insights.open_sales_by_month_country_category: skipped" in refused.stdout, refused.stdout[-3000:]
    assert sorted(path.name for path in out.iterdir()) == ["published_yesterday.txt"]
    assert "--force" not in run([sys.executable, "-m", "open_data_export", "--help"], cwd=PROJECT_ROOT,
                                env=red.env()).stdout

    failing_test.unlink()
    rebuilt = red.dbt(*selection)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    published = _export(red, out)
    assert published.returncode == 0, published.stdout[-3000:]
    assert (out / "datapackage.json").exists()

    # a build killed after its start: a start row and no end row
    with duckdb.connect(str(red.path)) as connection:
        connection.execute(
            "insert into audit.dbt_run_log values ('killed-build', 'build', 'start', null, null, ?)",
            [datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).isoformat()],
        )
    killed = _export(red, tmp_path / "after_kill")
    assert killed.returncode != 0 and "did not finish" in killed.stdout, killed.stdout[-3000:]
    assert not (tmp_path / "after_kill").exists()


def test_the_export_is_a_valid_frictionless_data_package(exported):
    result, out, _ = exported
    assert result.returncode == 0, result.stdout[-3000:]
    validation = run([str(VENV_BIN / "frictionless"), "validate", str(out / "datapackage.json")], cwd=out,
                     env=dict(os.environ))
    assert validation.returncode == 0, validation.stdout[-3000:]
    assert "VALID" in validation.stdout


def test_the_package_metadata_comes_from_the_dbt_docs(exported):
    _, out, warehouse = exported
    package = json.loads((out / "datapackage.json").read_text())
    for key in ("name", "title", "description", "version", "created", "licenses", "sources"):
        assert package[key], key
    revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout.strip()
    assert revision and revision in package["sources"][0]["description"]
    models = {n["name"]: n for n in warehouse.manifest["nodes"].values() if n["resource_type"] == "model"}
    assert {r["name"] for r in package["resources"]} == set(OPEN_TABLES)
    for resource in package["resources"]:
        schema = resource["schema"]
        assert schema["primaryKey"] == OPEN_TABLES[resource["name"]]
        assert schema["missingValues"] == ["c"]
        model = models[resource["name"]]
        for field in schema["fields"]:
            assert field["description"] == " ".join(model["columns"][field["name"]]["description"].split())
            if model["columns"][field["name"]].get("meta", {}).get("count"):
                assert field["constraints"]["minimum"] == 0, field
        assert resource["hash"] == "sha256:" + hashlib.sha256((out / resource["path"]).read_bytes()).hexdigest()
        assert (out / "data" / f"{resource['name']}.parquet").stat().st_size > 0
    catalog = json.loads((out / "dcat.jsonld").read_text())
    for distribution in catalog["dcat:distribution"]:
        for key in ("dct:title", "dct:description", "dcat:accessURL", "dct:license", "dct:format", "spdx:checksum"):
            assert distribution[key], key
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, path = line.split("  ", 1)
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == digest, path
    assert "not published" in (out / "METHODOLOGY.md").read_text()


def test_suppressed_cells_are_the_declared_missing_value_in_the_csv(exported):
    _, out, warehouse = exported
    report = json.loads((out / "quality_report.json").read_text())
    print(f"\nopen-data suppression report ({warehouse.seeds_dir}):")
    for name, table in report["tables"].items():
        print(f"  {name}: {table}")
        csv = pd.read_csv(out / "data" / f"{name}.csv", dtype=str, keep_default_na=False)
        hidden = csv[csv.suppression_status != "published"]
        measures = [c for c in csv.columns if c not in OPEN_TABLES[name] + ["suppression_status", "aggregation_level"]]
        assert (hidden[measures] == "c").all().all(), name
        assert not (csv[measures] == "").any().any(), name
        assert table["suppressed_cells_with_a_value"] == 0
        assert table["published_cells"] + table["primary_suppressed_cells"] + table["secondary_suppressed_cells"] == len(csv)


# --- information loss: measured, published, and never silently larger (D128) ----------

# The shares of each table's cells and value suppressed, as measured when they were last
# recorded: the ceilings the export's quality report must stay under, per data set.
INFORMATION_LOSS_CEILINGS = json.loads((PROJECT_ROOT / "test_suite" / "open_data_information_loss.json").read_text())
LOSS_SHARES = ("suppressed_cell_share", "suppressed_value_share")


def _loss_above_ceiling(tables: dict, ceilings: dict) -> list:
    """Every table whose share of suppressed cells or value is missing or above its ceiling."""
    problems = []
    for name, ceiling in sorted(ceilings.items()):
        loss = tables.get(name, {}).get("information_loss", {})
        for share in LOSS_SHARES:
            if loss.get(share) is None or loss[share] > ceiling[share]:
                problems.append((name, share, loss.get(share), ceiling[share]))
    return problems


def test_the_information_loss_check_fails_when_a_share_grows():
    """The ceiling check itself can fail: a share one step above its ceiling, or missing."""
    ceilings = INFORMATION_LOSS_CEILINGS["sample"]
    at_ceiling = {name: {"information_loss": dict(shares)} for name, shares in ceilings.items()}
    assert _loss_above_ceiling(at_ceiling, ceilings) == []
    for name in ceilings:
        for share in LOSS_SHARES:
            grown = json.loads(json.dumps(at_ceiling))
            grown[name]["information_loss"][share] = round(ceilings[name][share] + 0.0001, 4)
            assert [(p[0], p[1]) for p in _loss_above_ceiling(grown, ceilings)] == [(name, share)]
    missing = {name: table for name, table in at_ceiling.items() if name != "open_inventory_by_month_category"}
    assert {p[0] for p in _loss_above_ceiling(missing, ceilings)} == {"open_inventory_by_month_category"}


def _independent_loss(warehouse, name: str, measure: str, contributions: str) -> tuple[float, float]:
    """The shares recomputed in SQL from the warehouse, independently of the exporter."""
    keys = OPEN_TABLES[name]
    join = " and ".join(f"t.{k} is not distinct from c.{k}" for k in keys)
    with duckdb.connect(str(warehouse.path), read_only=True) as connection:
        cells, suppressed_cells, value, suppressed_value = connection.execute(f"""
            with values_per_cell as (
                select {", ".join(keys)}, sum({measure}) as value
                from disclosure_control.{contributions}
                group by {", ".join(keys)}
            )
            select
                count(*),
                count(*) filter (where t.suppression_status <> 'published'),
                sum(c.value),
                sum(c.value) filter (where t.suppression_status <> 'published')
            from open_data.{name} as t
            left join values_per_cell as c on {join}
        """).fetchone()
    return suppressed_cells / cells, float(Decimal(suppressed_value or 0) / Decimal(value))


def test_information_loss_is_reported_and_stays_under_its_recorded_ceiling(exported, request):
    """The quality report gives each table's share of suppressed cells and of suppressed
    value (its main measure, from the owner-only contributions); the shares agree with an
    independent recomputation and never exceed the ceilings recorded in
    test_suite/open_data_information_loss.json, so that loss cannot grow unnoticed."""
    _, out, warehouse = exported
    data_set = request.node.callspec.params["exported"]
    tables = json.loads((out / "quality_report.json").read_text())["tables"]
    models = {n["name"]: n for n in warehouse.manifest["nodes"].values() if n["resource_type"] == "model"}
    print(f"\ninformation loss ({data_set}):")
    for name in OPEN_TABLES:
        loss = tables[name]["information_loss"]
        print(f"  {name}: {json.dumps({share: loss[share] for share in LOSS_SHARES})}")
        spec = models[name]["config"]["meta"]["information_loss"]
        assert loss["measure"] == spec["measure"] and loss["cells"] == tables[name]["rows"], (name, loss)
        assert loss["suppressed_cells"] == tables[name]["rows"] - tables[name]["published_cells"], (name, loss)
        cell_share, value_share = _independent_loss(warehouse, name, spec["measure"], spec["contributions"])
        assert loss["suppressed_cell_share"] == pytest.approx(cell_share, abs=0.00005), name
        assert loss["suppressed_value_share"] == pytest.approx(value_share, abs=0.00005), name
        assert 0 <= loss["suppressed_value_share"] < 1, name
    # the value share adds nothing to what the tables give: every month's total, which
    # also bounds the quarters, is published, so the suppressed sum is total minus published
    for name in OPEN_TABLES:
        csv = pd.read_csv(out / "data" / f"{name}.csv", dtype=str, keep_default_na=False)
        if "aggregation_level" in csv:
            totals = csv[csv.aggregation_level.isin(["month_total", "all_categories", "all_ship_modes"])]
            assert len(totals) == csv.month_start_date.nunique() and (totals.suppression_status == "published").all(), name
    assert not _loss_above_ceiling(tables, INFORMATION_LOSS_CEILINGS[data_set])


def test_the_docs_show_the_recorded_information_loss_of_the_sample():
    """docs/open_data.md's loss table is the ceiling file's sample row by row."""
    docs = (PROJECT_ROOT / "docs" / "open_data.md").read_text()
    def percent(share: float) -> str:
        return str((Decimal(str(share)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + " %"

    for name, shares in INFORMATION_LOSS_CEILINGS["sample"].items():
        row = f"| `{name}` | {percent(shares['suppressed_cell_share'])} | {percent(shares['suppressed_value_share'])} |"
        assert row in docs, row


# --- DCAT-AP 3 metadata, validated with SHACL (D129) -----------------------------------

SHAPES = PROJECT_ROOT / "open_data_export" / "shapes" / "dcat_ap_3.ttl"


def _shacl(document: dict) -> tuple[bool, list[tuple[str, str]]]:
    """Validate a JSON-LD document against the repository's DCAT-AP 3 shapes: whether it
    conforms, and each result's severity and message."""
    import pyshacl
    import rdflib

    data = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    found = [
        (str(results.value(result, sh.resultSeverity)).rsplit("#", 1)[-1], str(results.value(result, sh.resultMessage)))
        for result in results.subjects(rdflib.RDF.type, sh.ValidationResult)
    ]
    return conforms, sorted(found)


def _compact_prefixes(node) -> set[str]:
    """The prefix of every compact IRI the document uses: in a key, a type or an @id."""
    prefixes = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "@context":
                if not key.startswith("@"):
                    prefixes.add(key.split(":", 1)[0])
                if key in ("@type", "@id") and isinstance(value, str) and not re.match(r"^(https?|mailto):", value):
                    if ":" in value:
                        prefixes.add(value.split(":", 1)[0])
                prefixes |= _compact_prefixes(value)
    elif isinstance(node, list):
        for item in node:
            prefixes |= _compact_prefixes(item)
    return prefixes


def test_the_dcat_metadata_is_complete_and_valid_dcat_ap_3(exported):
    from open_data_export.export import COUNTRY_CODES

    _, out, warehouse = exported
    text = (out / "dcat.jsonld").read_text()
    document = json.loads(text)
    assert _compact_prefixes(document) <= set(document["@context"]), _compact_prefixes(document) - set(document["@context"])
    conforms, results = _shacl(document)
    assert conforms and not results, results
    import rdflib

    graph = rdflib.Graph().parse(data=text, format="json-ld")
    # every property and class is an absolute IRI: no undeclared prefix was read as relative
    assert all(str(p).startswith("http") for _, p, _ in graph), sorted({str(p) for _, p, _ in graph})
    assert all(str(o).startswith("http") for _, _, o in graph.triples((None, rdflib.RDF.type, None)))
    # the temporal coverage is the data's: first month to the end of the last one
    months = sorted({row["month_start_date"] for name in OPEN_TABLES if "month_start_date" in OPEN_TABLES[name]
                     for row in pd.read_csv(out / "data" / f"{name}.csv", dtype=str).to_dict("records")})
    temporal = document["dct:temporal"]
    assert temporal["dcat:startDate"]["@value"] == months[0]
    last = datetime.date.fromisoformat(months[-1])
    following = datetime.date(last.year + last.month // 12, last.month % 12 + 1, 1)
    assert temporal["dcat:endDate"]["@value"] == (following - datetime.timedelta(days=1)).isoformat()
    assert document["dct:issued"]["@value"] == document["dct:modified"]["@value"] == temporal["dcat:endDate"]["@value"]
    # the spatial coverage names the member countries of a published group, never its label (D135)
    groups = next(n for n in warehouse.manifest["nodes"].values() if n["name"] == "open_sales_by_month_country_category"
                  )["config"]["meta"]["global_recoding"]["country"]
    published = set(pd.read_csv(out / "data" / "open_sales_by_month_country_category.csv", dtype=str).country)
    codes = {s["@id"].rsplit("/", 1)[-1] for s in document["dct:spatial"] if "@id" in s}
    names = {s["locn:geographicName"]["@value"] for s in document["dct:spatial"] if "@id" not in s}
    assert published & set(groups.values()) and not names & set(groups.values()), names
    assert {COUNTRY_CODES[c] for c, group in groups.items() if group in published} <= codes, codes
    # a distribution per file, its checksum and size the file's
    distributions = {d["dcat:downloadURL"]["@id"].rsplit("/", 1)[-1]: d for d in document["dcat:distribution"]}
    assert set(distributions) == {f"{name}.{kind}" for name in OPEN_TABLES for kind in ("csv", "parquet")}
    for file_name, distribution in distributions.items():
        data = (out / "data" / file_name).read_bytes()
        assert distribution["spdx:checksum"]["spdx:checksumValue"]["@value"] == hashlib.sha256(data).hexdigest()
        assert distribution["dcat:byteSize"]["@value"] == str(len(data))
        assert distribution["dct:conformsTo"]["@id"].endswith("datapackage.json")
    # nothing in it comes from the clock or the engine: the same bytes from every target
    package = json.loads((out / "datapackage.json").read_text())
    assert package["created"] not in text
    assert "duckdb" not in text.lower()


@pytest.mark.parametrize("mutation, property_", [
    (lambda d: d.pop("dct:title"), "dct:title"),
    (lambda d: d.pop("dct:description"), "dct:description"),
    (lambda d: d["dcat:distribution"][0].pop("dcat:accessURL"), "dcat:accessURL"),
    (lambda d: d["dct:publisher"].pop("foaf:name"), "foaf:name"),
    (lambda d: d["dcat:distribution"][1]["spdx:checksum"].pop("spdx:algorithm"), "spdx:algorithm"),
    (lambda d: d["dcat:distribution"][1]["spdx:checksum"].pop("spdx:checksumValue"), "spdx:checksumValue"),
], ids=["dataset-title", "dataset-description", "distribution-access-url", "agent-name", "checksum-algorithm",
        "checksum-value"])
def test_the_shapes_reject_the_metadata_without_a_mandatory_property(exported, mutation, property_):
    _, out, _ = exported
    document = json.loads((out / "dcat.jsonld").read_text())
    mutation(document)
    conforms, results = _shacl(document)
    assert not conforms
    assert any(severity == "Violation" and property_ in message for severity, message in results), results


def test_the_shapes_warn_about_a_missing_recommended_property(exported):
    _, out, _ = exported
    document = json.loads((out / "dcat.jsonld").read_text())
    document.pop("dcat:theme")
    conforms, results = _shacl(document)
    assert not conforms and [severity for severity, _ in results] == ["Warning"], results
