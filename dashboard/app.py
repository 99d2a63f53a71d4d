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


@st.cache_resource
def connection():
    return data.connect()


def sidebar_filters() -> data.Filters:
    options = data.filter_options(connection())
    st.sidebar.header("Filters")
    return data.Filters(
        fiscal_years=tuple(st.sidebar.multiselect("Fiscal year", options["fiscal_year"])),
        countries=tuple(st.sidebar.multiselect("Country", options["country"])),
        categories=tuple(st.sidebar.multiselect("Category", options["category"])),
        customer_segments=tuple(st.sidebar.multiselect("Customer segment", options["customer_segment"])),
    )


def note_unapplied(filters, columns):
    ignored = data.applied_filters(filters, columns)
    if ignored:
        st.caption(f"Not filtered by {', '.join(ignored)}: this mart has no such column.")


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
        note_unapplied(filters, data.TOP_PRODUCTS_COLUMNS)
        st.dataframe(data.to_float(data.top_products(connection(), filters)), hide_index=True)
    with right:
        st.subheader("Top customers by revenue (pseudonymized)")
        note_unapplied(filters, data.TOP_CUSTOMERS_COLUMNS)
        st.dataframe(data.to_float(data.top_customers(connection(), filters)), hide_index=True)


def profit_and_loss_page():
    filters = sidebar_filters()
    st.title("Profit and loss")
    note_unapplied(filters, data.PROFIT_AND_LOSS_COLUMNS)
    statement = data.profit_and_loss(connection(), filters).set_index("fiscal_year")
    statement.index = "FY" + statement.index.astype(str)
    st.dataframe(data.to_float(statement.T), width="stretch")


def inventory_page():
    filters = sidebar_filters()
    st.title("Inventory availability and stock-outs")
    headlines = data.inventory_headlines(connection(), filters)
    headline_tiles(headlines, {
        "stock_on_hand": ("Stock on hand (units, latest snapshot)", "{:,}"),
        "availability_pct": ("Availability % (all snapshots)", "{}%"),
        "latest_snapshot_date": ("Latest snapshot", "{}"),
    })
    note_unapplied(filters, data.INVENTORY_COLUMNS)
    daily = data.to_float(data.availability(connection(), filters))
    st.subheader("Positions in stock (%)")
    st.line_chart(daily, x="snapshot_date", y="availability_pct")
    st.subheader("Stock-outs per snapshot")
    st.bar_chart(daily, x="snapshot_date", y="stock_out_positions")
    st.subheader("Out of stock on the latest snapshot")
    st.dataframe(data.stock_outs(connection(), filters), hide_index=True)


def environment_page():
    st.title("Production vs test inventory")
    st.caption("The warehouse-management system's two environments, compared position by position.")
    summary = data.to_float(data.environment_variance(connection()))
    st.line_chart(summary, x="snapshot_date", y=["quantity_variance_rate_pct", "cost_deviation_rate_pct"])
    st.dataframe(summary, hide_index=True)


st.navigation([
    st.Page(revenue_page, title="Revenue and margin", default=True),
    st.Page(top_page, title="Top products and customers", url_path="top"),
    st.Page(profit_and_loss_page, title="Profit and loss", url_path="profit-and-loss"),
    st.Page(inventory_page, title="Inventory", url_path="inventory"),
    st.Page(environment_page, title="Production vs test", url_path="environments"),
]).run()
