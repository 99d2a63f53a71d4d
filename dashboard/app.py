"""The Sales Insights dashboard (Streamlit): `scripts/dashboard.sh` starts it.

Reads the sales and inventory marts of the selected dbt target (DBT_TARGET, DuckDB by
default) through `data.py`; declared as the `sales_insights_dashboard` and
`inventory_insights_dashboard` exposures.
"""
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402

st.set_page_config(page_title="Sales Insights", layout="wide")


# One connection per script run, opened on first use and closed when the run ends: the
# dashboard holds the DuckDB file only while it draws a page, so a build can write it
# between two clicks (a connection cached for the life of the server made the next
# ./scripts/build.sh fail on DuckDB's file lock).
_this_run = {"connection": None}


def connection():
    if _this_run["connection"] is None:
        problem = data.warehouse_problem()
        if problem:
            st.info(problem)
            st.stop()
        _this_run["connection"] = data.connect()
    return _this_run["connection"]


def close_connection():
    if _this_run["connection"] is not None:
        _this_run["connection"].close()
        _this_run["connection"] = None


@st.cache_data(show_spinner=False)
def filter_options(filters: data.Filters) -> dict[str, list]:
    return data.filter_options(connection(), filters)


@st.cache_data(show_spinner=False)
def product_names() -> dict[str, str]:
    return data.product_names(connection())


def sidebar_filters() -> data.Filters:
    """The sidebar's filters; the choices of region, city and product cascade from the
    countries, regions and categories chosen above them."""
    st.sidebar.header("Filters")
    sidebar = st.sidebar
    options = filter_options(data.Filters())
    sidebar.subheader("Period")
    fiscal_years = tuple(sidebar.multiselect("Fiscal year", options["fiscal_year"]))
    calendar_years = tuple(sidebar.multiselect("Calendar year", options["calendar_year"]))
    sidebar.subheader("Ship-to location")
    countries = tuple(sidebar.multiselect("Country", options["country"]))
    located = filter_options(data.Filters(countries=countries))
    regions = tuple(sidebar.multiselect("Region", located["region"]))
    cities = tuple(sidebar.multiselect(
        "City", filter_options(data.Filters(countries=countries, regions=regions))["city"]))
    sidebar.subheader("Product")
    categories = tuple(sidebar.multiselect("Category", options["category"]))
    names = product_names()
    products = tuple(sidebar.multiselect(
        "Product", filter_options(data.Filters(categories=categories))["product_id"],
        format_func=lambda product_id: f"{names.get(product_id, product_id)} ({product_id})"))
    sidebar.subheader("Customer")
    return data.Filters(
        fiscal_years=fiscal_years, calendar_years=calendar_years,
        countries=countries, regions=regions, cities=cities,
        categories=categories, products=products,
        customer_segments=tuple(sidebar.multiselect("Customer segment", options["customer_segment"])),
        channels=tuple(sidebar.multiselect("Channel", options["channel"])),
        platforms=tuple(sidebar.multiselect("Platform", options["platform"])),
    )


FILTER_LABELS = {
    "fiscal_year": "fiscal year", "calendar_year": "calendar year", "country": "country",
    "region": "region", "city": "city", "category": "category", "product_id": "product",
    "customer_segment": "customer segment", "channel": "channel", "platform": "platform",
}


def note_unapplied(filters, columns, why="its data has no such dimension"):
    ignored = data.unapplied_filters(filters, columns)
    if ignored:
        st.caption(f"Not filtered by {', '.join(FILTER_LABELS[column] for column in ignored)}: {why}.")


def headline_tiles(figures, formats):
    for column, (name, (label, form)) in zip(st.columns(len(formats)), formats.items()):
        value = figures[name].iloc[0] if len(figures) else None
        column.metric(label, "–" if value is None or pd.isna(value) else form.format(value))


def revenue_page():
    filters = sidebar_filters()
    st.title("Revenue and margin")
    headlines = data.sales_headlines(connection(), filters)
    headline_tiles(headlines, {
        "revenue": ("Revenue", "{:,.0f}"),
        "units": ("Units", "{:,}"),
        "orders": ("Orders", "{:,}"),
        "average_order_value": ("Average order value", "{:,.2f}"),
        "customers": ("Distinct customers", "{:,}"),
        "gross_margin_pct": ("Gross margin %", "{}%"),
    })
    coverage = headlines.margin_coverage_pct.iloc[0]
    if not pd.isna(coverage):
        st.caption(f"Gross margin over the order lines with every reference rate: {coverage}% of revenue.")
    st.subheader("By fiscal year")
    st.dataframe(data.to_float(data.sales_headlines(connection(), filters, by_fiscal_year=True)),
                 hide_index=True)
    growth = data.fiscal_year_growth(connection(), filters)
    if filters.calendar_years:
        st.caption("Each fiscal year counts only its months in the chosen calendar years, "
                   "against the same months a year earlier.")
    for column, row in zip(st.columns(max(len(growth), 1)), growth.itertuples()):
        column.metric(f"FY{row.fiscal_year} revenue", f"{row.revenue:,.2f}",
                      None if pd.isna(row.revenue_yoy_growth_pct) else f"{row.revenue_yoy_growth_pct}% YoY")
    trend = data.to_float(data.revenue_trend(connection(), filters))
    st.subheader("Revenue by month, against the same month a year earlier")
    st.line_chart(trend, x="month_start_date", y=["revenue", "prior_year_revenue"])
    st.subheader("Year-over-year growth by month (%)")
    st.bar_chart(trend, x="month_start_date", y="revenue_yoy_growth_pct")
    st.subheader("Gross margin by fiscal quarter (%)")
    margin = data.to_float(data.margin_trend(connection(), filters))
    margin["quarter"] = "FY" + margin.fiscal_year.astype(str) + " Q" + margin.fiscal_quarter.astype(str)
    st.line_chart(margin, x="quarter", y="gross_margin_pct")


def top_page():
    filters = sidebar_filters()
    st.title("Top products and customers")
    left, right = st.columns(2)
    with left:
        st.subheader("Top products by revenue")
        st.dataframe(data.to_float(data.top_products(connection(), filters)), hide_index=True)
    with right:
        st.subheader("Top customers by revenue (pseudonymized)")
        st.dataframe(data.to_float(data.top_customers(connection(), filters)), hide_index=True)


def profit_and_loss_page():
    filters = sidebar_filters()
    st.title("Profit and loss")
    st.caption("Gross and net sales cover every order line that has them; the waterfall from "
               "gross sales to gross margin covers the costed lines (every reference rate known), "
               "so it adds up and its margin is the semantic layer's gross_margin.")
    statement = data.profit_and_loss(connection(), filters).set_index("fiscal_year")
    statement.index = "FY" + statement.index.astype(str)
    statement = statement.rename(columns=data.PROFIT_AND_LOSS_LINES)
    # tall enough for every line: the statement is read whole, not scrolled
    st.dataframe(data.to_float(statement.T), width="stretch", height=35 * (len(statement.columns) + 1) + 3)


def inventory_page():
    filters = sidebar_filters()
    st.title("Inventory availability and stock-outs")
    headlines = data.inventory_headlines(connection(), filters)
    note_unapplied(filters, data.INVENTORY_COLUMNS, "stock is held at the company's sites, not sold to "
                   "ship-to areas or customers")
    headline_tiles(headlines, {
        "stock_on_hand": ("Stock on hand (units, latest snapshot)", "{:,}"),
        "availability_pct": ("Availability % (all snapshots)", "{}%"),
        "latest_snapshot_date": ("Latest snapshot", "{}"),
    })
    daily = data.to_float(data.availability(connection(), filters))
    st.subheader("Positions in stock (%)")
    st.line_chart(daily, x="snapshot_date", y="availability_pct")
    st.subheader("Stock-outs per snapshot")
    st.bar_chart(daily, x="snapshot_date", y="stock_out_positions")
    st.subheader("Out of stock on the latest snapshot")
    st.dataframe(data.stock_outs(connection(), filters), hide_index=True)


def environment_page():
    filters = sidebar_filters()
    st.title("Production vs test inventory")
    st.caption("The warehouse-management system's two environments, compared position by position.")
    note_unapplied(filters, data.ENVIRONMENT_COLUMNS, "the comparison covers the whole network")
    summary = data.to_float(data.environment_variance(connection(), filters))
    st.line_chart(summary, x="snapshot_date", y=["quantity_variance_rate_pct", "cost_deviation_rate_pct"])
    st.dataframe(summary, hide_index=True)


try:
    st.navigation([
        st.Page(revenue_page, title="Revenue and margin", default=True),
        st.Page(top_page, title="Top products and customers", url_path="top"),
        st.Page(profit_and_loss_page, title="Profit and loss", url_path="profit-and-loss"),
        st.Page(inventory_page, title="Inventory", url_path="inventory"),
        st.Page(environment_page, title="Production vs test", url_path="environments"),
    ]).run()
finally:
    close_connection()
