"""The generated docs as an analyst sees them: a real headless Chromium opens fct_sales'
page, reads its column descriptions and its lineage graph back to the raw sources."""
import os
import shutil

import pytest

from browser import PROJECT_ROOT, headless_page, require_chromium, serve_directory

FCT_SALES = "model.sales_insights.fct_sales"
UPSTREAM_SOURCES = (
    "source.sales_insights.sales_system.sales_order_lines",
    "source.sales_insights.warehouse_system.inventory_snapshots",
)
README_SCREENSHOT = PROJECT_ROOT / "docs" / "img" / "lineage_fct_sales.png"
# A test run leaves the work tree clean: the README's copy is refreshed only on request.
UPDATE_SCREENSHOTS = os.environ.get("SALES_INSIGHTS_UPDATE_SCREENSHOTS") == "1"

# The graph is drawn by cytoscape on a canvas: its labels are not in the DOM, so the
# test reads the nodes from the cytoscape instance dbt docs keeps on `window.graph`.
VISIBLE_NODES = "() => window.graph.nodes().filter(n => n.visible()).map(n => [n.id(), n.data('label')])"


@pytest.fixture(scope="module")
def docs_url(warehouse):
    require_chromium()
    assert warehouse.docs_result is not None and warehouse.docs_result.returncode == 0, (
        "dbt docs generate failed; see test_docs.py")
    with serve_directory(warehouse.target_dir) as url:
        yield url


def test_fct_sales_page_shows_its_columns_and_its_lineage_from_the_raw_sources(
        docs_url, warehouse, tmp_path, capsys):
    columns = warehouse.manifest["nodes"][FCT_SALES]["columns"]
    described_column = columns["product_key"]["description"]
    assert described_column == "The product version valid on the order date (dim_product)."

    with headless_page() as page:
        page.goto(f"{docs_url}/#!/model/{FCT_SALES}")
        # the model page: its name, then its columns table with their descriptions
        page.get_by_text(described_column).first.wait_for(state="visible", timeout=60_000)
        body = page.inner_text("body")
        assert "fct_sales" in body
        for column in ("order_line_key", "product_key", "customer_key"):
            assert column in body, column
        assert columns["ship_date_key"]["description"] in body

        # the lineage graph of this model, opened from its page, full screen, upstream only
        page.locator(".launcher-btn a").click()
        page.wait_for_function(f"() => window.graph && window.graph.$id('{FCT_SALES}').length > 0",
                               timeout=60_000)
        page.locator('a[ng-click="showExpanded()"]').click()
        selection = page.locator('input[ng-model="selectorService.selection.dirty.include"]')
        assert selection.input_value() == "+fct_sales+"
        selection.fill("+fct_sales")
        page.locator("#submit-graph-selection").click()
        page.wait_for_function(
            f"() => window.graph.$id('{UPSTREAM_SOURCES[0]}').visible()", timeout=60_000)
        page.wait_for_timeout(1500)  # let the layout settle before the screenshot
        visible = dict(page.evaluate(VISIBLE_NODES))

        screenshot = tmp_path / "lineage_fct_sales.png"
        page.screenshot(path=str(screenshot))
    with capsys.disabled():
        print(f"\nlineage screenshot: {screenshot}")

    assert FCT_SALES in visible
    for source in UPSTREAM_SOURCES:
        assert source in visible, (source, sorted(visible))
    assert visible[UPSTREAM_SOURCES[0]] == "sales_system.sales_order_lines"
    assert "model.sales_insights.stg_sales_system__order_lines" in visible
    # upstream only: the marts built on fct_sales are not in this graph
    assert "model.sales_insights.sales_profit_and_loss" not in visible

    assert 10_000 < screenshot.stat().st_size < 500_000, "blank, or too large for the README"
    if UPDATE_SCREENSHOTS:
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(screenshot, README_SCREENSHOT)
