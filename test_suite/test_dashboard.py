"""The dashboard: its data functions against the sample warehouse, and the running app in
a headless Chromium, one screenshot per page."""
import os
import subprocess
import sys
import time
import urllib.request
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest

from browser import PROJECT_ROOT, free_port, headless_page, require_chromium, save_readme_screenshot
from conftest import VENV_BIN

sys.path.insert(0, str(PROJECT_ROOT / "dashboard"))
import data  # noqa: E402

FY2025 = data.Filters(fiscal_years=(2025,))
# A test run leaves the work tree clean: the README's screenshots are refreshed only on request.
UPDATE_SCREENSHOTS = os.environ.get("SALES_INSIGHTS_UPDATE_SCREENSHOTS") == "1"


def test_filter_options_list_the_dimensions_of_the_sample(db):
    options = data.filter_options(db)
    assert options["fiscal_year"] and all(isinstance(year, int) for year in options["fiscal_year"])
    assert "Furniture" in options["category"]
    assert len(options["country"]) > 1 and len(options["customer_segment"]) > 1


def test_monthly_revenue_adds_up_to_the_fiscal_year_mart_to_the_cent(db):
    monthly = data.revenue_trend(db, FY2025)
    yearly = data.fiscal_year_growth(db, FY2025)
    assert isinstance(monthly.revenue.iloc[0], Decimal)
    assert len(yearly) == 1 and monthly.revenue.sum() == yearly.revenue.iloc[0]
    assert len(monthly) == 12


def test_filters_narrow_the_revenue(db):
    everything = data.fiscal_year_growth(db, FY2025).revenue.iloc[0]
    furniture = data.fiscal_year_growth(
        db, data.Filters(fiscal_years=(2025,), categories=("Furniture",))).revenue.iloc[0]
    furniture_germany = data.fiscal_year_growth(
        db, data.Filters(fiscal_years=(2025,), categories=("Furniture",), countries=("Germany",))
    ).revenue.iloc[0]
    assert 0 < furniture_germany < furniture < everything


def test_yoy_growth_is_recomputed_from_the_filtered_totals(db):
    yearly = data.fiscal_year_growth(db, data.Filters())
    for row in yearly.itertuples():
        if row.prior_fiscal_year_revenue:
            expected = (100 * (row.revenue - row.prior_fiscal_year_revenue)
                        / row.prior_fiscal_year_revenue).quantize(Decimal("0.01"))
            assert abs(row.revenue_yoy_growth_pct - expected) <= Decimal("0.01")


def test_top_lists_are_ranked_and_customers_are_pseudonymous(db):
    products = data.top_products(db, FY2025, limit=5)
    customers = data.top_customers(db, FY2025, limit=5)
    assert len(products) == 5 and list(products.revenue) == sorted(products.revenue, reverse=True)
    assert len(customers) == 5 and list(customers.revenue) == sorted(customers.revenue, reverse=True)
    assert all(len(pseudonym) == 64 for pseudonym in customers.customer_pseudonym)
    assert "customer_name" not in customers.columns


def test_inventory_availability_and_stock_outs(db):
    daily = data.availability(db, data.Filters(categories=("Furniture",)))
    assert ((daily.availability_pct >= 0) & (daily.availability_pct <= 100)).all()
    assert (daily.positions_in_stock + daily.stock_out_positions <= daily.positions).all()
    outs = data.stock_outs(db, data.Filters())
    assert outs.snapshot_date.nunique() == 1 and (outs.quantity_on_hand <= 0).all()


def test_environment_variance_has_one_row_per_snapshot_of_the_chosen_years(db):
    summary = data.environment_variance(db, data.Filters())
    assert summary.snapshot_date.is_unique and len(summary) > 0
    in_2025 = data.environment_variance(db, data.Filters(calendar_years=(2025,), categories=("Furniture",)))
    assert 0 < len(in_2025) < len(summary) and all(day.year == 2025 for day in in_2025.snapshot_date)
    assert list(in_2025.positions_compared) == list(
        summary[summary.snapshot_date.map(lambda day: day.year == 2025)].positions_compared)


def test_headlines_count_orders_and_customers_over_order_lines(db):
    total = data.sales_headlines(db, data.Filters()).iloc[0]
    yearly = data.sales_headlines(db, data.Filters(), by_fiscal_year=True)
    orders, customers, revenue = db.execute("""
        select count(distinct sales.order_id), count(distinct customers.customer_pseudonym),
               sum(sales.sales_amount)
        from core.fct_sales as sales
        inner join core.dim_customer as customers on sales.customer_key = customers.customer_key
    """).fetchone()
    assert (total.orders, total.customers, total.revenue) == (orders, customers, revenue)
    # an order has one date: orders add up over years; customers who come back do not
    assert yearly.orders.sum() == orders and yearly.customers.sum() > customers
    growth = data.fiscal_year_growth(db, data.Filters())
    assert list(yearly.revenue) == list(growth.revenue)
    assert total.average_order_value == (revenue / orders).quantize(Decimal("0.01"))
    assert 0 < total.margin_coverage_pct < 100 and 0 < total.gross_margin_pct < 100


def test_inventory_headlines_take_the_latest_snapshot_of_the_period(db):
    latest = data.inventory_headlines(db, data.Filters()).iloc[0]
    expected = db.execute("""
        select snapshot_date, sum(quantity_on_hand) from inventory.inventory_stock_levels
        where snapshot_date = (select max(snapshot_date) from inventory.inventory_stock_levels)
        group by snapshot_date
    """).fetchone()
    assert (latest.latest_snapshot_date, latest.stock_on_hand) == expected
    daily = data.availability(db, data.Filters())
    assert daily.availability_pct.min() <= latest.availability_pct <= daily.availability_pct.max()
    yearly = data.inventory_headlines(db, data.Filters(), by_fiscal_year=True)
    assert yearly.stock_on_hand.iloc[-1] == latest.stock_on_hand and len(yearly) >= 3


def test_filters_a_figure_cannot_apply_are_reported():
    filters = data.Filters(customer_segments=("Corporate",), countries=("Germany",), products=("P-0060",))
    assert data.unapplied_filters(filters, data.INVENTORY_COLUMNS) == ["country", "customer_segment"]
    assert data.unapplied_filters(filters, data.ENVIRONMENT_COLUMNS) == [
        "country", "product_id", "customer_segment"]
    assert data.unapplied_filters(filters, data.ORDER_LINE_COLUMNS) == []


def test_filter_choices_cascade(db):
    everything = data.filter_options(db)
    assert everything["calendar_year"] == [2023, 2024, 2025, 2026]
    assert {"Retailer", "Direct"} <= set(everything["channel"])
    assert set(everything["platform"]) == {"Brick & Mortar", "E-Commerce"}
    germany = data.filter_options(db, data.Filters(countries=("Germany",), regions=("East",)))
    assert germany["region"] == [row[0] for row in db.execute(f"""
        select distinct areas.region {INDEPENDENT_FROM} where areas.country = 'Germany' order by 1
    """).fetchall()]
    assert set(germany["region"]) < set(everything["region"])
    assert "Dresden" in germany["city"] and "München" not in germany["city"]
    assert len(germany["country"]) == len(everything["country"])  # a choice never narrows itself
    furniture = data.filter_options(db, data.Filters(categories=("Furniture",)))["product_id"]
    assert 0 < len(furniture) < len(everything["product_id"])
    assert furniture == [row[0] for row in db.execute(f"""
        select distinct products.product_id {INDEPENDENT_FROM}
        where products.category = 'Furniture' order by 1
    """).fetchall()]
    names = data.product_names(db)
    assert set(everything["product_id"]) <= set(names) and names["P-0060"]


# The expected figures are computed here from the core fact and its dimensions, not from
# the marts or the dashboard's SQL. A case: the filters, and the same selection as a SQL
# predicate in which {shift} is how many years earlier the year filters select.
INDEPENDENT_FROM = """
    from core.fct_sales as sales
    inner join core.dim_date as dates on sales.order_date_key = dates.date_key
    inner join core.dim_product as products on sales.product_key = products.product_key
    inner join core.dim_customer as customers on sales.customer_key = customers.customer_key
    inner join core.dim_location as areas on sales.ship_to_location_key = areas.location_key
"""
CASES = {
    "calendar_year": (data.Filters(calendar_years=(2025,)), "dates.calendar_year = 2025 - {shift}"),
    "region": (data.Filters(countries=("Germany",), regions=("East",)),
               "areas.country = 'Germany' and areas.region = 'East'"),
    "city": (data.Filters(cities=("München", "Dresden")), "areas.city in ('München', 'Dresden')"),
    "product": (data.Filters(products=("P-0060", "P-0025")), "products.product_id in ('P-0060', 'P-0025')"),
    "channel": (data.Filters(channels=("Retailer",)), "sales.channel = 'Retailer'"),
    "platform": (data.Filters(platforms=("E-Commerce",)), "sales.platform = 'E-Commerce'"),
    "all_at_once": (
        data.Filters(fiscal_years=(2025, 2026), calendar_years=(2025,), countries=("Germany", "France"),
                     regions=("South", "West"), categories=("Furniture", "Technology"),
                     customer_segments=("Consumer", "Corporate"), channels=("Retailer", "Direct"),
                     platforms=("Brick & Mortar",)),
        "dates.fiscal_year in (2025 - {shift}, 2026 - {shift}) and dates.calendar_year = 2025 - {shift}"
        " and areas.country in ('Germany', 'France') and areas.region in ('South', 'West')"
        " and products.category in ('Furniture', 'Technology')"
        " and customers.customer_segment in ('Consumer', 'Corporate')"
        " and sales.channel in ('Retailer', 'Direct') and sales.platform = 'Brick & Mortar'"),
}


def _expected(db, select: str, predicate: str, group: str, shift: int = 0) -> dict:
    rows = db.execute(f"""
        select {group}, {select} {INDEPENDENT_FROM}
        where {predicate.format(shift=shift)}
        group by {group} order by {group}
    """).fetchall()
    return {row[0]: row[1:] for row in rows}


@pytest.mark.parametrize("case", CASES)
def test_every_sales_figure_honours_every_filter(db, case):
    filters, predicate = CASES[case]
    everything = data.sales_headlines(db, data.Filters()).revenue.iloc[0]
    by_year = _expected(db, "sum(sales.sales_amount), sum(sales.quantity), count(distinct sales.order_id), "
                            "count(distinct customers.customer_pseudonym)", predicate, "dates.fiscal_year")
    assert by_year and sum(revenue for revenue, *_ in by_year.values()) < everything, case

    headlines = data.sales_headlines(db, filters, by_fiscal_year=True)
    assert {row.fiscal_year: (row.revenue, row.units, row.orders, row.customers)
            for row in headlines.itertuples()} == by_year, case
    statement = data.profit_and_loss(db, filters)
    assert dict(zip(statement.fiscal_year, statement.gross_sales_amount)) == {
        year: figures[0] for year, figures in by_year.items()}, case

    # growth compares with the whole prior year under the same filters
    prior = _expected(db, "sum(sales.sales_amount)", predicate, "dates.fiscal_year + 1", shift=1)
    growth = data.fiscal_year_growth(db, filters)
    assert {row.fiscal_year: (row.revenue, row.prior_fiscal_year_revenue) for row in growth.itertuples()} == {
        year: (figures[0], prior.get(year, (None,))[0]) for year, figures in by_year.items()}, case

    by_month = _expected(db, "sum(sales.sales_amount)", predicate, "dates.month_start_date")
    prior_months = _expected(db, "sum(sales.sales_amount)", predicate,
                             "cast(dates.month_start_date + interval '1 year' as date)", shift=1)
    trend = data.revenue_trend(db, filters)
    assert {row.month_start_date: (row.revenue, row.prior_year_revenue) for row in trend.itertuples()} == {
        month: (revenue, prior_months.get(month, (None,))[0]) for month, (revenue,) in by_month.items()}, case

    products = _expected(db, "sum(sales.sales_amount)", predicate, "products.product_id")
    top = data.top_products(db, filters, limit=10_000)
    assert dict(zip(top.product_id, top.revenue)) == {product: revenue for product, (revenue,) in products.items()}
    customers = _expected(db, "sum(sales.sales_amount)", predicate + " and customers.customer_pseudonym <> 'erased'",
                          "customers.customer_pseudonym")
    top = data.top_customers(db, filters, limit=100_000)
    assert dict(zip(top.customer_pseudonym, top.revenue)) == {
        customer: revenue for customer, (revenue,) in customers.items()}, case


def test_growth_counts_the_prior_year_cells_the_current_year_lacks(db):
    """A narrow selection loses cells between years: the mart's per-cell prior-year
    revenue misses them, the dashboard does not."""
    filters = data.Filters(countries=("Germany",), categories=("Furniture",), channels=("Direct",))
    growth = data.fiscal_year_growth(db, filters).set_index("fiscal_year")
    cells_only = dict(db.execute("""
        select fiscal_year, sum(prior_fiscal_year_revenue) from sales.sales_performance_fiscal_year
        where country = 'Germany' and category = 'Furniture' and channel = 'Direct'
        group by fiscal_year
    """).fetchall())
    whole = dict(db.execute("""
        select fiscal_year + 1, sum(revenue) from sales.sales_performance_fiscal_year
        where country = 'Germany' and category = 'Furniture' and channel = 'Direct'
        group by fiscal_year
    """).fetchall())
    assert growth.prior_fiscal_year_revenue[2025] == whole[2025] != cells_only[2025]
    assert growth.revenue_yoy_growth_pct[2025] == (
        100 * (growth.revenue[2025] - whole[2025]) / whole[2025]).quantize(Decimal("0.01"))
    # the same for a month, with a fiscal-year filter: the prior year is not filtered away
    trend = data.revenue_trend(db, data.Filters(fiscal_years=(2026,), countries=("Germany",),
                                                categories=("Furniture",), channels=("Direct",)))
    october = trend.set_index("month_start_date").prior_year_revenue[date(2025, 10, 1)]
    assert october == db.execute("""
        select sum(revenue) from sales.sales_performance_monthly
        where month_start_date = date '2024-10-01'
          and country = 'Germany' and category = 'Furniture' and channel = 'Direct'
    """).fetchone()[0] > 0


# Filters every aggregated mart of a figure can apply: the mart is read, and gives what
# the line grain gives.
MART_CASES = [
    data.Filters(),
    data.Filters(fiscal_years=(2025,)),
    data.Filters(fiscal_years=(2025, 2026), categories=("Furniture",), customer_segments=("Corporate",)),
    data.Filters(countries=("Germany", "Italy"), channels=("Retailer",), platforms=("E-Commerce",)),
    data.Filters(calendar_years=(2025,), regions=("South",)),
    data.Filters(products=("P-0060", "P-0071")),
]


@pytest.mark.parametrize("filters", MART_CASES, ids=range(len(MART_CASES)))
def test_the_marts_give_the_figures_of_the_line_grain(db, filters):
    compared = {
        "revenue_trend": (data.revenue_trend, data.MONTHLY),
        "fiscal_year_growth": (data.fiscal_year_growth, data.FISCAL_YEARS),
        "top_products": (data.top_products, data.TOP_PRODUCTS),
        "top_customers": (data.top_customers, data.TOP_CUSTOMERS),
        "availability": (data.availability, data.INVENTORY_CATEGORIES),
        "inventory_headlines": (data.inventory_headlines, data.INVENTORY_CATEGORIES),
    }
    marts_read = 0
    for name, (function, mart) in compared.items():
        line_grain = data.INVENTORY_POSITIONS if mart is data.INVENTORY_CATEGORIES else data.ORDER_LINES
        if data._source(filters, mart, line_grain) is mart:
            marts_read += 1
        from_mart, from_lines = function(db, filters), function(db, filters, line_grain=True)
        assert len(from_lines) > 0, name
        assert from_mart.equals(from_lines), (name, from_mart.compare(from_lines)
                                              if from_mart.shape == from_lines.shape else from_mart)
    assert marts_read > 0


def test_profit_and_loss_agrees_with_the_metrics_definitions(db):
    for filters in (data.Filters(), data.Filters(countries=("Germany",), channels=("Retailer",))):
        statement = data.profit_and_loss(db, filters)
        headlines = data.sales_headlines(db, filters, by_fiscal_year=True)
        assert list(statement.fiscal_year) == list(headlines.fiscal_year) and len(statement) == 3
        for line, metrics in zip(statement.itertuples(), headlines.itertuples()):
            assert (line.gross_sales_amount, line.net_sales_amount, line.gross_margin_amount,
                    line.gross_margin_pct, line.margin_coverage_pct) == (
                metrics.revenue, metrics.net_sales_amount, metrics.gross_margin_amount,
                metrics.gross_margin_pct, metrics.margin_coverage_pct), line.fiscal_year
            # the costed lines' waterfall adds up (each line rounded once: a cent or two)
            net = line.costed_gross_sales_amount - line.costed_post_invoice_deduction_amount
            margin = (line.costed_net_sales_amount - line.manufacturing_cost_amount
                      - line.freight_cost_amount - line.other_cost_amount)
            assert abs(net - line.costed_net_sales_amount) <= Decimal("0.01")
            assert abs(margin - line.gross_margin_amount) <= Decimal("0.03")
            assert line.costed_gross_sales_amount < line.gross_sales_amount
    # the P&L mart is additive (D117): summing its cells gives the metric, to the cent
    cells = dict(db.execute("""
        select fiscal_year, sum(gross_margin_amount) from sales.sales_profit_and_loss group by fiscal_year
    """).fetchall())
    statement = data.profit_and_loss(db, data.Filters())
    assert all(cells[row.fiscal_year].quantize(Decimal("0.01"), ROUND_HALF_UP) == row.gross_margin_amount
               for row in statement.itertuples())
    assert list(data.PROFIT_AND_LOSS_LINES) == list(statement.columns[1:])


def test_inventory_figures_honour_the_period_category_and_product(db):
    filters = data.Filters(calendar_years=(2025,), products=("P-0060", "P-0071", "P-0025"))
    expected = db.execute("""
        select positions.snapshot_date, count(*),
               sum(case when positions.quantity_available > 0 then 1 else 0 end),
               sum(case when positions.is_stock_out then 1 else 0 end),
               sum(positions.quantity_on_hand)
        from core.fct_inventory as positions
        inner join core.dim_product as products on positions.product_key = products.product_key
        where positions.environment = 'production' and extract(year from positions.snapshot_date) = 2025
          and products.product_id in ('P-0060', 'P-0071', 'P-0025')
        group by positions.snapshot_date order by positions.snapshot_date
    """).fetchall()
    daily = data.availability(db, filters)
    assert [(row.snapshot_date, row.positions, row.positions_in_stock, row.stock_out_positions)
            for row in daily.itertuples()] == [row[:4] for row in expected] and len(expected) > 5
    headline = data.inventory_headlines(db, filters).iloc[0]
    assert (headline.latest_snapshot_date, headline.stock_on_hand) == (expected[-1][0], expected[-1][4])
    outs = data.stock_outs(db, data.Filters(calendar_years=(2025,), categories=("Technology",)))
    latest_2025 = max(row[0] for row in expected)
    assert len(outs) > 0 and set(outs.snapshot_date) == {latest_2025} and set(outs.category) == {"Technology"}
    assert len(outs) == db.execute("""
        select count(*) from inventory.inventory_stock_levels
        where snapshot_date = ? and is_stock_out and category = 'Technology'
    """, [latest_2025]).fetchone()[0]


def test_the_sidebar_cascades_and_the_page_shows_the_filtered_figures(warehouse, monkeypatch):
    """The app itself (Streamlit's AppTest, no browser): choosing a country narrows the
    regions, a region the cities, and the headline figures are those of the selection."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DBT_TARGET", "duckdb")
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(warehouse.path))
    try:
        _check_the_sidebar(AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=120),
                           warehouse)
    finally:
        _release_the_apps_connection(warehouse)


def _release_the_apps_connection(warehouse):
    """AppTest runs the app in this process. The app closes its read-only DuckDB
    connection at the end of every run, so with nothing cleared the warehouse can be
    opened for writing (a build) right after a page was drawn."""
    duckdb.connect(str(warehouse.path)).close()


def test_the_dashboard_before_a_build_says_to_build_first(tmp_path, monkeypatch):
    """No warehouse file yet: a plain message that names the build command, no traceback;
    and the file the dashboard looked for is not created."""
    from streamlit.testing.v1 import AppTest

    missing = tmp_path / "not_built_yet.duckdb"
    monkeypatch.setenv("DBT_TARGET", "duckdb")
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(missing))
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    assert any("build it first with ./scripts/build.sh" in info.value for info in app.info), [i.value for i in app.info]
    assert not missing.exists()


def _check_the_sidebar(app, warehouse):
    app.run()

    def sidebar():
        return {widget.label: widget for widget in app.sidebar.multiselect}

    assert list(sidebar()) == ["Fiscal year", "Calendar year", "Country", "Region", "City", "Category",
                               "Product", "Customer segment", "Channel", "Platform"]
    all_regions = sidebar()["Region"].options
    sidebar()["Country"].select("Germany").run()
    assert set(sidebar()["Region"].options) < set(all_regions)
    sidebar()["Region"].select("East").run()
    assert "Dresden" in sidebar()["City"].options and "München" not in sidebar()["City"].options
    sidebar()["Category"].select("Furniture").run()
    sidebar()["Channel"].select("Retailer").run()
    sidebar()["Calendar year"].select(2025).run()
    assert not app.exception
    chosen = data.Filters(calendar_years=(2025,), countries=("Germany",), regions=("East",),
                          categories=("Furniture",), channels=("Retailer",))
    with warehouse.connect() as connection:
        furniture = data.filter_options(connection, chosen)["product_id"]
        names = data.product_names(connection)
        expected = data.sales_headlines(connection, chosen).iloc[0]
        growth = data.fiscal_year_growth(connection, chosen)
    assert sidebar()["Product"].options == [f"{names[product]} ({product})" for product in furniture]
    tiles = {metric.label: metric.value for metric in app.metric}
    assert tiles["Revenue"] == f"{expected.revenue:,.0f}" and tiles["Orders"] == f"{expected.orders:,}"
    assert {label for label in tiles if label.endswith(" revenue")} == {
        f"FY{year} revenue" for year in growth.fiscal_year}
    assert any("same months a year earlier" in caption.value for caption in app.caption)


PAGES = {
    "": "Revenue and margin",  # the default page
    "top": "Top products and customers",
    "profit-and-loss": "Profit and loss",
    "inventory": "Inventory availability and stock-outs",
    "environments": "Production vs test inventory",
}


SERVER = {}  # when the Streamlit server was started and answered its health check


@pytest.fixture(scope="module")
def dashboard_url(warehouse):
    require_chromium()
    assert warehouse.build_result.returncode == 0, "the warehouse build failed"
    port = free_port()
    env = dict(os.environ, DBT_TARGET="duckdb", DBT_DUCKDB_PATH=str(warehouse.path))
    process = subprocess.Popen(
        [str(VENV_BIN / "streamlit"), "run", str(PROJECT_ROOT / "dashboard" / "app.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    SERVER["started"] = time.monotonic()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"streamlit did not start: {process.stdout.read()[-3000:]}")
                time.sleep(0.5)
        SERVER["ready"] = time.monotonic()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_every_page_renders_in_a_browser(dashboard_url, tmp_path, capsys):
    timings = {}
    with headless_page(width=1400, height=1000) as page:
        for path, title in PAGES.items():
            started = time.monotonic()
            page.goto(f"{dashboard_url}/{path}")
            page.get_by_role("heading", name=title).wait_for(timeout=60_000)
            # Streamlit shows its running indicator until the script has finished
            page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
                timeout=60_000)
            page.wait_for_timeout(1000)  # charts draw after the script ends
            timings[path] = round(time.monotonic() - started, 1)
            body = page.inner_text("body")
            assert page.locator('[data-testid="stException"]').count() == 0, body
            assert "Page not found" not in body and "nan" not in body.split(), body
            assert page.locator('[data-testid="stVegaLiteChart"], [data-testid="stDataFrame"]').count() > 0
            screenshot = tmp_path / f"dashboard_{path or 'revenue'}.png"
            page.screenshot(path=str(screenshot), full_page=True)
            assert screenshot.stat().st_size > 10_000
            if UPDATE_SCREENSHOTS:
                save_readme_screenshot(screenshot, PROJECT_ROOT / "docs" / "img" / screenshot.name)

        # the filters in use: the inventory page says which chosen filters it cannot apply
        rendered = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
        started = time.monotonic()
        page.goto(f"{dashboard_url}/inventory")
        page.get_by_role("heading", name=PAGES["inventory"]).wait_for(timeout=60_000)
        rendered.wait_for(timeout=60_000)
        for label, value in (("Country", "Germany"), ("Category", "Technology"), ("Calendar year", "2025")):
            choice = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text=label)
            choice.locator("input").click()
            page.keyboard.type(value)
            page.keyboard.press("Enter")
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
            rendered.wait_for(timeout=60_000)
        page.get_by_text("Not filtered by country: stock is held").wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        timings["inventory, filtered"] = round(time.monotonic() - started, 1)
        body = page.inner_text("body")
        assert page.locator('[data-testid="stException"]').count() == 0, body
        assert "2025-12-31" in body and "2026-08-31" not in body, body  # the latest snapshot of 2025
        screenshot = tmp_path / "dashboard_inventory_filtered.png"
        page.screenshot(path=str(screenshot), full_page=True)
        if UPDATE_SCREENSHOTS:
            save_readme_screenshot(screenshot, PROJECT_ROOT / "docs" / "img" / screenshot.name)
    startup = round(SERVER["ready"] - SERVER["started"], 1)
    with capsys.disabled():
        print(f"\ndashboard screenshots in {tmp_path}; server up in {startup} s; "
              f"seconds from request to rendered page (the first on a cold server): {timings}")
