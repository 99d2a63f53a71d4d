"""Data access for the dashboard: pure functions of a connection and the filters.

Each function reads one mart and returns a DataFrame; money stays `Decimal` (the app
converts to float only to draw). Percentages are display ratios, cast to decimal(18, 2)
(DuckDB divides decimals in double precision). The SQL is portable between DuckDB and
PostgreSQL; placeholders are written `?` and adapted to the driver.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd


@dataclass(frozen=True)
class Filters:
    """Empty tuple = no filter on that dimension."""

    fiscal_years: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    customer_segments: tuple[str, ...] = ()


def connect(target: str | None = None):
    """A read-only connection to the warehouse of a dbt target (the profile's settings)."""
    target = target or os.environ.get("DBT_TARGET", "duckdb")
    if target == "duckdb":
        import duckdb

        return duckdb.connect(os.environ.get("DBT_DUCKDB_PATH", "sales_insights.duckdb"), read_only=True)
    if target == "postgres":
        import psycopg2

        connection = psycopg2.connect(
            host=os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
            port=int(os.environ.get("DBT_POSTGRES_PORT", "5432")),
            user=os.environ.get("DBT_POSTGRES_USER", "postgres"),
            password=os.environ.get("DBT_POSTGRES_PASSWORD", ""),
            dbname=os.environ.get("DBT_POSTGRES_DBNAME", "test"),
        )
        connection.set_session(readonly=True, autocommit=True)
        return connection
    raise ValueError(f"the dashboard reads the duckdb or postgres target, not {target!r}")


def query(connection, sql: str, params: list | tuple = ()) -> pd.DataFrame:
    """Run a query; `?` placeholders work on DuckDB and psycopg2 alike."""
    if connection.__class__.__module__.startswith("psycopg2"):
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), list(params))
            rows, names = cursor.fetchall(), [d[0] for d in cursor.description]
    else:
        result = connection.execute(sql, list(params))
        rows, names = result.fetchall(), [d[0] for d in result.description]
    frame = pd.DataFrame.from_records(rows, columns=names)
    for position, name in enumerate(names):
        # pandas turns a decimal column with a missing value into float: keep it exact
        if any(isinstance(row[position], Decimal) for row in rows):
            frame[name] = pd.Series([row[position] for row in rows], dtype=object)
    return frame


_FILTER_COLUMNS = {
    "fiscal_years": "fiscal_year",
    "countries": "country",
    "categories": "category",
    "customer_segments": "customer_segment",
}


def _where(filters: Filters, columns: tuple[str, ...]) -> tuple[str, list]:
    """The `where` clause of the filters that apply to a mart with these columns."""
    clauses, params = ["1 = 1"], []
    for field, column in _FILTER_COLUMNS.items():
        values = getattr(filters, field)
        if values and column in columns:
            clauses.append(f"{column} in ({', '.join('?' for _ in values)})")
            params.extend(values)
    return " and ".join(clauses), params


def applied_filters(filters: Filters, columns: tuple[str, ...]) -> list[str]:
    """The filters a mart cannot apply (the app says so rather than silently ignore them)."""
    return [column for field, column in _FILTER_COLUMNS.items()
            if getattr(filters, field) and column not in columns]


def filter_options(connection) -> dict[str, list]:
    options = {}
    for column in _FILTER_COLUMNS.values():
        frame = query(connection, f"select distinct {column} from sales.sales_performance_fiscal_year "
                                  f"where {column} is not null order by {column}")
        options[column] = frame[column].tolist()
    return options


MONTHLY_COLUMNS = ("fiscal_year", "country", "category", "customer_segment")


def revenue_trend(connection, filters: Filters) -> pd.DataFrame:
    """Revenue by month with the same month a year earlier and the growth between them."""
    where, params = _where(filters, MONTHLY_COLUMNS)
    return query(connection, f"""
        with monthly as (
            select month_start_date, sum(revenue) as revenue,
                   sum(prior_year_revenue) as prior_year_revenue, sum(units) as units
            from sales.sales_performance_monthly
            where {where}
            group by month_start_date
        )
        select month_start_date, revenue, prior_year_revenue, units,
               cast(round(100 * (revenue - prior_year_revenue) / nullif(prior_year_revenue, 0), 2)
                   as decimal(18, 2)) as revenue_yoy_growth_pct
        from monthly
        order by month_start_date
    """, params)


FISCAL_YEAR_COLUMNS = ("fiscal_year", "country", "category", "customer_segment")


def fiscal_year_growth(connection, filters: Filters) -> pd.DataFrame:
    where, params = _where(filters, FISCAL_YEAR_COLUMNS)
    return query(connection, f"""
        with yearly as (
            select fiscal_year, sum(revenue) as revenue,
                   sum(prior_fiscal_year_revenue) as prior_fiscal_year_revenue
            from sales.sales_performance_fiscal_year
            where {where}
            group by fiscal_year
        )
        select fiscal_year, revenue, prior_fiscal_year_revenue,
               cast(round(100 * (revenue - prior_fiscal_year_revenue)
                     / nullif(prior_fiscal_year_revenue, 0), 2) as decimal(18, 2)) as revenue_yoy_growth_pct
        from yearly
        order by fiscal_year
    """, params)


PROFIT_AND_LOSS_COLUMNS = ("fiscal_year", "country", "category")

# The line-grain sales fact, described by the dimension versions valid on the order date:
# the only grain at which orders and customers can be counted distinct for any filter.
ORDER_LINE_COLUMNS = ("fiscal_year", "country", "category", "customer_segment")
_ORDER_LINES = """
    select
        dates.fiscal_year,
        dates.fiscal_quarter,
        ship_to_areas.country,
        products.category,
        customers.customer_segment,
        order_lines.order_id,
        order_lines.customer_pseudonym,
        order_lines.quantity,
        order_lines.sales_amount,
        order_lines.net_sales_amount,
        order_lines.gross_margin_amount,
        case when order_lines.gross_margin_amount is not null
            then order_lines.net_sales_amount end as costed_net_sales_amount,
        case when order_lines.gross_margin_amount is not null
            then order_lines.sales_amount end as costed_sales_amount
    from sales.sales_order_lines_costed as order_lines
    inner join core.dim_date as dates on order_lines.order_date_key = dates.date_key
    inner join core.dim_product as products on order_lines.product_key = products.product_key
    inner join core.dim_customer as customers on order_lines.customer_key = customers.customer_key
    inner join core.dim_location as ship_to_areas
        on order_lines.ship_to_location_key = ship_to_areas.location_key
"""


def _percentage(numerator: str, denominator: str) -> str:
    return f"cast(round(100 * {numerator} / nullif({denominator}, 0), 2) as decimal(18, 2))"


def sales_headlines(connection, filters: Filters, by_fiscal_year: bool = False) -> pd.DataFrame:
    """Revenue, units, orders, average order value, distinct customers, net sales and gross
    margin of the selection (one row), or one row per fiscal year. The semantic layer's
    metrics of the same names (models/marts/sales/_sales__semantic_models.yml) agree.

    Gross margin % compares like with like: margin over the net sales of the same lines,
    those with every reference rate (a line without a cost never lowers the margin);
    margin coverage % is their share of revenue."""
    where, params = _where(filters, ORDER_LINE_COLUMNS)
    group = "fiscal_year" if by_fiscal_year else None
    return query(connection, f"""
        with order_lines as ({_ORDER_LINES}),

        totals as (
            select {group + ',' if group else ''}
                   sum(sales_amount) as revenue, sum(quantity) as units,
                   count(distinct order_id) as orders,
                   count(distinct customer_pseudonym) as customers,
                   sum(net_sales_amount) as net_sales_amount,
                   sum(gross_margin_amount) as gross_margin_amount,
                   sum(costed_net_sales_amount) as costed_net_sales_amount,
                   sum(costed_sales_amount) as costed_sales_amount
            from order_lines
            where {where}
            {'group by ' + group if group else ''}
        )

        select {group + ',' if group else ''}
               revenue, units, orders, customers,
               cast(round(revenue / nullif(orders, 0), 2) as decimal(18, 2)) as average_order_value,
               cast(round(net_sales_amount, 2) as decimal(18, 2)) as net_sales_amount,
               cast(round(gross_margin_amount, 2) as decimal(18, 2)) as gross_margin_amount,
               {_percentage('gross_margin_amount', 'costed_net_sales_amount')} as gross_margin_pct,
               {_percentage('costed_sales_amount', 'revenue')} as margin_coverage_pct
        from totals
        {'order by ' + group if group else ''}
    """, params)


def margin_trend(connection, filters: Filters) -> pd.DataFrame:
    """Net sales, gross margin and margin % by fiscal quarter, as in sales_headlines."""
    where, params = _where(filters, ORDER_LINE_COLUMNS)
    return query(connection, f"""
        with order_lines as ({_ORDER_LINES}),

        quarterly as (
            select fiscal_year, fiscal_quarter, sum(net_sales_amount) as net_sales_amount,
                   sum(gross_margin_amount) as gross_margin_amount,
                   sum(costed_net_sales_amount) as costed_net_sales_amount
            from order_lines
            where {where}
            group by fiscal_year, fiscal_quarter
        )

        select fiscal_year, fiscal_quarter,
               cast(round(net_sales_amount, 2) as decimal(18, 2)) as net_sales_amount,
               cast(round(gross_margin_amount, 2) as decimal(18, 2)) as gross_margin_amount,
               {_percentage('gross_margin_amount', 'costed_net_sales_amount')} as gross_margin_pct
        from quarterly
        order by fiscal_year, fiscal_quarter
    """, params)


def profit_and_loss(connection, filters: Filters) -> pd.DataFrame:
    """The P&L lines from gross sales to gross margin, one column per fiscal year."""
    where, params = _where(filters, PROFIT_AND_LOSS_COLUMNS)
    return query(connection, f"""
        select fiscal_year,
               sum(gross_sales_amount) as gross_sales_amount,
               sum(post_invoice_deduction_amount) as post_invoice_deduction_amount,
               sum(net_sales_amount) as net_sales_amount,
               sum(manufacturing_cost_amount) as manufacturing_cost_amount,
               sum(freight_cost_amount) as freight_cost_amount,
               sum(other_cost_amount) as other_cost_amount,
               sum(gross_margin_amount) as gross_margin_amount
        from sales.sales_profit_and_loss
        where {where}
        group by fiscal_year
        order by fiscal_year
    """, params)


TOP_PRODUCTS_COLUMNS = ("fiscal_year", "category")


def top_products(connection, filters: Filters, limit: int = 10) -> pd.DataFrame:
    where, params = _where(filters, TOP_PRODUCTS_COLUMNS)
    return query(connection, f"""
        select product_id, product_name, category, sum(units) as units, sum(revenue) as revenue
        from sales.sales_top_products
        where {where}
        group by product_id, product_name, category
        order by revenue desc, product_id
        limit {int(limit)}
    """, params)


TOP_CUSTOMERS_COLUMNS = ("fiscal_year", "country", "customer_segment")


def top_customers(connection, filters: Filters, limit: int = 10) -> pd.DataFrame:
    """Customers by keyed pseudonym only: the dashboard never shows personal data."""
    where, params = _where(filters, TOP_CUSTOMERS_COLUMNS)
    return query(connection, f"""
        select customer_pseudonym, customer_segment, country,
               sum(orders) as orders, sum(revenue) as revenue
        from sales.sales_top_customers
        where {where}
        group by customer_pseudonym, customer_segment, country
        order by revenue desc, customer_pseudonym
        limit {int(limit)}
    """, params)


INVENTORY_COLUMNS = ("category",)
INVENTORY_HEADLINE_COLUMNS = ("fiscal_year", "category")


def availability(connection, filters: Filters) -> pd.DataFrame:
    """Share of product positions in stock, and stock-outs, per snapshot date."""
    where, params = _where(filters, INVENTORY_COLUMNS)
    return query(connection, f"""
        with daily as (
            select snapshot_date, sum(positions) as positions,
                   sum(positions_in_stock) as positions_in_stock,
                   sum(stock_out_positions) as stock_out_positions,
                   sum(below_reorder_positions) as below_reorder_positions
            from inventory.inventory_availability_by_category
            where {where}
            group by snapshot_date
        )
        select snapshot_date, positions, positions_in_stock, stock_out_positions,
               below_reorder_positions,
               cast(round(100 * positions_in_stock / nullif(cast(positions as decimal(18, 4)), 0), 2)
                   as decimal(18, 2)) as availability_pct
        from daily
        order by snapshot_date
    """, params)


def inventory_headlines(connection, filters: Filters, by_fiscal_year: bool = False) -> pd.DataFrame:
    """Stock on hand (units, production network) on the latest snapshot of the selection,
    or of each fiscal year, and availability % over all its snapshots (positions in stock
    over positions). The semantic layer's stock_on_hand and availability_pct agree."""
    where, params = _where(filters, INVENTORY_HEADLINE_COLUMNS)
    group = "fiscal_year" if by_fiscal_year else None
    partition = f"partition by {group}" if group else ""
    return query(connection, f"""
        with categories as (
            select dates.fiscal_year, availability.snapshot_date, availability.positions,
                   availability.positions_in_stock, availability.units_on_hand
            from inventory.inventory_availability_by_category as availability
            inner join core.dim_date as dates on availability.snapshot_date_key = dates.date_key
            where {where}
        ),

        dated as (
            select *, max(snapshot_date) over ({partition}) as latest_snapshot_date
            from categories
        )

        select {group + ',' if group else ''}
               max(latest_snapshot_date) as latest_snapshot_date,
               sum(case when snapshot_date = latest_snapshot_date then units_on_hand else 0 end)
                   as stock_on_hand,
               {_percentage('sum(positions_in_stock)', 'cast(sum(positions) as decimal(18, 4))')}
                   as availability_pct
        from dated
        {'group by ' + group if group else ''}
        {'order by ' + group if group else ''}
    """, params)


def stock_outs(connection, filters: Filters) -> pd.DataFrame:
    """The positions out of stock on the latest snapshot."""
    where, params = _where(filters, INVENTORY_COLUMNS)
    return query(connection, f"""
        select snapshot_date, warehouse_name, product_id, product_name, category,
               quantity_on_hand, reorder_point
        from inventory.inventory_stock_levels
        where is_stock_out
          and snapshot_date = (select max(snapshot_date) from inventory.inventory_stock_levels)
          and {where}
        order by warehouse_name, product_id
    """, params)


def environment_variance(connection) -> pd.DataFrame:
    """Production vs test inventory, per snapshot date (the comparison has no filters)."""
    return query(connection, """
        select snapshot_date, positions_compared, production_only_positions, test_only_positions,
               positions_with_quantity_variance, total_absolute_variance_units,
               quantity_variance_rate_pct, positions_with_cost_deviation, cost_deviation_rate_pct
        from inventory.inventory_environment_summary
        order by snapshot_date
    """)


def to_float(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with decimals as floats, for charts only."""
    return frame.apply(lambda column: column.astype(float)
                       if column.map(lambda value: isinstance(value, Decimal)).any() else column)
