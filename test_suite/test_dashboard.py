"""The dashboard: its data functions against the sample warehouse, and the running app in
a headless Chromium, one screenshot per page."""
import os
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal

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


def test_profit_and_loss_matches_the_mart(db):
    statement = data.profit_and_loss(db, FY2025)
    gross_margin = db.execute(
        "select sum(gross_margin_amount) from sales.sales_profit_and_loss where fiscal_year = 2025"
    ).fetchone()[0]
    assert statement.gross_margin_amount.iloc[0] == gross_margin


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


def test_environment_variance_has_one_row_per_snapshot(db):
    summary = data.environment_variance(db)
    assert summary.snapshot_date.is_unique and len(summary) > 0


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


def test_filters_a_mart_cannot_apply_are_reported():
    filters = data.Filters(customer_segments=("Corporate",), countries=("Germany",))
    assert data.applied_filters(filters, data.TOP_PRODUCTS_COLUMNS) == ["country", "customer_segment"]
    assert data.applied_filters(filters, data.MONTHLY_COLUMNS) == []


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
    startup = round(SERVER["ready"] - SERVER["started"], 1)
    with capsys.disabled():
        print(f"\ndashboard screenshots in {tmp_path}; server up in {startup} s; "
              f"seconds from request to rendered page (the first on a cold server): {timings}")
