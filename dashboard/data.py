"""Data access for the dashboard: pure functions of a connection and the filters.

Each function reads a mart and returns a DataFrame; money stays `Decimal` (the app
converts to float only to draw). Percentages are display ratios, cast to decimal(18, 2)
(DuckDB divides decimals in double precision). The SQL is portable between DuckDB and
PostgreSQL; placeholders are written `?` and adapted to the driver.

A function reads its aggregated mart when that mart can apply every chosen filter, and
otherwise the line-grain fact the mart is built from (`sales.sales_order_lines_costed`,
`core.fct_inventory`), which gives the same figures (test_dashboard.py checks both paths);
the filters no source of a figure can apply are reported by `unapplied_filters`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from decimal import Decimal

import pandas as pd


@dataclass(frozen=True)
class Filters:
    """Empty tuple = no filter on that dimension. Locations are ship-to areas, products
    are product ids, and a line is described by the dimension versions valid on its date."""

    fiscal_years: tuple[int, ...] = ()
    calendar_years: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    customer_segments: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()


# filter field -> the column it compares, in every source that has it
FILTER_COLUMNS = {
    "fiscal_years": "fiscal_year",
    "calendar_years": "calendar_year",
    "countries": "country",
    "regions": "region",
    "cities": "city",
    "categories": "category",
    "products": "product_id",
    "customer_segments": "customer_segment",
    "channels": "channel",
    "platforms": "platform",
}
assert list(FILTER_COLUMNS) == [field.name for field in fields(Filters)]
# the period filters: a prior-year figure reads the year before each chosen one
YEAR_COLUMNS = ("fiscal_year", "calendar_year")


def warehouse_problem(target: str | None = None) -> str | None:
    """Why the warehouse cannot be read now, in words for the dashboard's user, or None."""
    target = target or os.environ.get("DBT_TARGET", "duckdb")
    if target != "duckdb":
        return None
    import duckdb

    path = os.environ.get("DBT_DUCKDB_PATH", "sales_insights.duckdb")
    if not os.path.exists(path):
        return (f"There is no warehouse at {path} yet: build it first with ./scripts/build.sh, "
                "then reload this page.")
    try:
        duckdb.connect(path, read_only=True).close()
    except duckdb.IOException:
        return "The warehouse is being built (its file is locked by the build): reload this page when the build ends."
    return None


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


def _active_columns(filters: Filters) -> set[str]:
    return {column for field, column in FILTER_COLUMNS.items() if getattr(filters, field)}


def _where(filters: Filters, columns: tuple[str, ...], years_earlier: int = 0) -> tuple[str, list]:
    """The `where` clause of the filters that apply to a source with these columns.

    With `years_earlier`, the year filters select the rows that many years before the
    chosen years (the prior-year side of a growth figure); the other filters are the same."""
    clauses, params = ["1 = 1"], []
    for field, column in FILTER_COLUMNS.items():
        values = getattr(filters, field)
        if values and column in columns:
            shifted = f"{column} + {int(years_earlier)}" if years_earlier and column in YEAR_COLUMNS else column
            clauses.append(f"{shifted} in ({', '.join('?' for _ in values)})")
            params.extend(values)
    return " and ".join(clauses), params


def unapplied_filters(filters: Filters, columns: tuple[str, ...]) -> list[str]:
    """The chosen filters a figure with these columns cannot apply (the app says so
    rather than silently ignore them), as column names."""
    return [column for field, column in FILTER_COLUMNS.items()
            if getattr(filters, field) and column not in columns]


@dataclass(frozen=True)
class Source:
    """A relation a figure can be read from, and the filter columns it has."""

    sql: str
    columns: tuple[str, ...]


def _source(filters: Filters, mart: Source, line_grain: Source, line_grain_only: bool = False) -> Source:
    """The aggregated mart when it can apply every chosen filter, else the line grain."""
    if not line_grain_only and _active_columns(filters) <= set(mart.columns):
        return mart
    return line_grain


# --- sources -------------------------------------------------------------------------

ORDER_LINE_COLUMNS = tuple(FILTER_COLUMNS.values())
# The line-grain sales fact, described by the dimension versions valid on the order date:
# every sales figure can be computed from it, under every filter.
ORDER_LINES = Source(f"""
    select
        dates.fiscal_year,
        dates.fiscal_quarter,
        dates.calendar_year,
        dates.month_start_date,
        ship_to_areas.country,
        ship_to_areas.region,
        ship_to_areas.city,
        products.category,
        products.product_id,
        products.product_name,
        customers.customer_segment,
        customers.country as customer_country,
        order_lines.channel,
        order_lines.platform,
        order_lines.order_line_key,
        order_lines.order_id,
        order_lines.order_date,
        order_lines.customer_pseudonym,
        order_lines.quantity as units,
        order_lines.sales_amount as revenue,
        order_lines.post_invoice_deduction_amount,
        order_lines.net_sales_amount,
        order_lines.manufacturing_cost_amount,
        order_lines.freight_cost_amount,
        order_lines.other_cost_amount,
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
""", ORDER_LINE_COLUMNS)

MONTHLY = Source("""
    select monthly.month_start_date, monthly.fiscal_year, dates.calendar_year, monthly.country,
           monthly.region, monthly.category, monthly.customer_segment, monthly.channel,
           monthly.platform, monthly.revenue, monthly.units
    from sales.sales_performance_monthly as monthly
    inner join core.dim_date as dates on monthly.month_start_date = dates.date_day
""", ("fiscal_year", "calendar_year", "country", "region", "category", "customer_segment",
      "channel", "platform"))

FISCAL_YEARS = Source("""
    select fiscal_year, country, category, customer_segment, channel, platform, revenue, units
    from sales.sales_performance_fiscal_year
""", ("fiscal_year", "country", "category", "customer_segment", "channel", "platform"))

# The ranking marts describe a product or customer by its version on the last order of
# the year, so they can filter only by what does not change between versions: the year
# and the product; `recency` orders a source's rows, latest first.
TOP_PRODUCTS = Source("""
    select fiscal_year, product_id, product_name, category, units, revenue
    from sales.sales_top_products
""", ("fiscal_year", "product_id"))
TOP_PRODUCTS_RECENCY = {TOP_PRODUCTS: "fiscal_year desc", ORDER_LINES: "order_date desc, order_line_key"}

TOP_CUSTOMERS = Source("""
    select fiscal_year, customer_pseudonym, customer_segment, country as customer_country,
           orders, revenue
    from sales.sales_top_customers
""", ("fiscal_year",))
TOP_CUSTOMERS_RECENCY = {TOP_CUSTOMERS: "fiscal_year desc", ORDER_LINES: "order_date desc, order_line_key"}

# Inventory: the production network's positions. Locations and customers are sales
# dimensions: stock is held at sites, not ship-to areas, so those filters do not apply.
INVENTORY_POSITION_COLUMNS = ("fiscal_year", "calendar_year", "category", "product_id")
INVENTORY_POSITIONS = Source("""
    select dates.fiscal_year, dates.calendar_year, positions.snapshot_date, products.category,
           products.product_id,
           1 as positions,
           case when positions.quantity_available > 0 then 1 else 0 end as positions_in_stock,
           case when positions.is_stock_out then 1 else 0 end as stock_out_positions,
           case when positions.is_below_reorder_point then 1 else 0 end as below_reorder_positions,
           positions.quantity_on_hand as units_on_hand
    from core.fct_inventory as positions
    inner join core.dim_date as dates on positions.snapshot_date_key = dates.date_key
    inner join core.dim_product as products on positions.product_key = products.product_key
    where positions.environment = 'production'
""", INVENTORY_POSITION_COLUMNS)
INVENTORY_CATEGORIES = Source("""
    select dates.fiscal_year, dates.calendar_year, availability.snapshot_date, availability.category,
           availability.positions, availability.positions_in_stock, availability.stock_out_positions,
           availability.below_reorder_positions, availability.units_on_hand
    from inventory.inventory_availability_by_category as availability
    inner join core.dim_date as dates on availability.snapshot_date_key = dates.date_key
""", ("fiscal_year", "calendar_year", "category"))

# What the inventory pages can filter by (every sales figure takes every filter).
INVENTORY_COLUMNS = STOCK_LEVEL_COLUMNS = INVENTORY_POSITION_COLUMNS
ENVIRONMENT_COLUMNS = YEAR_COLUMNS


def filter_options(connection, filters: Filters | None = None) -> dict[str, list]:
    """The values each filter offers, among the order lines. Choices cascade:
    regions of the chosen countries, cities of the chosen countries and regions, products
    of the chosen categories (a product that changed category is offered under each)."""
    filters = filters or Filters()
    narrowing = {
        "region": Filters(countries=filters.countries),
        "city": Filters(countries=filters.countries, regions=filters.regions),
        "product_id": Filters(categories=filters.categories),
    }
    options = {}
    for column in FILTER_COLUMNS.values():
        where, params = _where(narrowing.get(column, Filters()), ORDER_LINE_COLUMNS)
        frame = query(connection, f"""
            with order_lines as ({ORDER_LINES.sql})
            select distinct {column} from order_lines
            where {column} is not null and {where}
            order by {column}
        """, params)
        options[column] = frame[column].tolist()
    return options


def product_names(connection) -> dict[str, str]:
    """Each product's current name, to label the product filter's choices."""
    frame = query(connection, """
        select product_id, product_name from core.dim_product
        where is_current and not is_unknown_member
    """)
    return dict(zip(frame.product_id, frame.product_name))


def _percentage(numerator: str, denominator: str) -> str:
    return f"cast(round(100 * ({numerator}) / nullif({denominator}, 0), 2) as decimal(18, 2))"


# --- sales -------------------------------------------------------------------------------

def revenue_trend(connection, filters: Filters, line_grain: bool = False) -> pd.DataFrame:
    """Revenue by month with the same month a year earlier and the growth between them.

    The year earlier is the whole month under the same filters (the year filters moved
    back a year), not only the cells that also sold this year."""
    source = _source(filters, MONTHLY, ORDER_LINES, line_grain)
    where, params = _where(filters, source.columns)
    prior_where, prior_params = _where(filters, source.columns, years_earlier=1)
    return query(connection, f"""
        with source as ({source.sql}),

        months as (
            select month_start_date, sum(revenue) as revenue, sum(units) as units
            from source
            where {where}
            group by month_start_date
        ),

        prior_year_months as (
            select month_start_date, sum(revenue) as revenue
            from source
            where {prior_where}
            group by month_start_date
        )

        select months.month_start_date, months.revenue,
               prior_year_months.revenue as prior_year_revenue, months.units,
               {_percentage('months.revenue - prior_year_months.revenue', 'prior_year_months.revenue')}
                   as revenue_yoy_growth_pct
        from months
        left join prior_year_months
            on prior_year_months.month_start_date = cast(months.month_start_date - interval '1 year' as date)
        order by months.month_start_date
    """, params + prior_params)


def fiscal_year_growth(connection, filters: Filters, line_grain: bool = False) -> pd.DataFrame:
    """Revenue per fiscal year against the whole prior fiscal year under the same filters
    (with a calendar-year filter: the same months a year earlier)."""
    source = _source(filters, FISCAL_YEARS, ORDER_LINES, line_grain)
    where, params = _where(filters, source.columns)
    prior_where, prior_params = _where(filters, source.columns, years_earlier=1)
    return query(connection, f"""
        with source as ({source.sql}),

        years as (
            select fiscal_year, sum(revenue) as revenue
            from source
            where {where}
            group by fiscal_year
        ),

        prior_years as (
            select fiscal_year, sum(revenue) as revenue
            from source
            where {prior_where}
            group by fiscal_year
        )

        select years.fiscal_year, years.revenue, prior_years.revenue as prior_fiscal_year_revenue,
               {_percentage('years.revenue - prior_years.revenue', 'prior_years.revenue')}
                   as revenue_yoy_growth_pct
        from years
        left join prior_years on prior_years.fiscal_year = years.fiscal_year - 1
        order by years.fiscal_year
    """, params + prior_params)


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
        with order_lines as ({ORDER_LINES.sql}),

        totals as (
            select {group + ',' if group else ''}
                   sum(revenue) as revenue, sum(units) as units,
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
        with order_lines as ({ORDER_LINES.sql}),

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


# The P&L statement's lines, in order: (column, label). The first two are the metrics
# revenue and net_sales over every line that has them; the waterfall below them covers
# the costed lines (every reference rate known), so it adds up and ends in the metric
# gross_margin; the last two lines are gross_margin_pct and margin_coverage_pct.
PROFIT_AND_LOSS_LINES = {
    "gross_sales_amount": "Gross sales (all lines; metric revenue)",
    "net_sales_amount": "Net sales (lines with a deduction rate; metric net_sales)",
    "costed_gross_sales_amount": "Costed lines: gross sales",
    "costed_post_invoice_deduction_amount": "Costed lines: − post-invoice deductions",
    "costed_net_sales_amount": "Costed lines: = net sales",
    "manufacturing_cost_amount": "Costed lines: − manufacturing cost",
    "freight_cost_amount": "Costed lines: − freight cost",
    "other_cost_amount": "Costed lines: − other cost",
    "gross_margin_amount": "Costed lines: = gross margin (metric gross_margin)",
    "gross_margin_pct": "Gross margin % of costed net sales (metric gross_margin_pct)",
    "margin_coverage_pct": "Costed lines' share of gross sales % (metric margin_coverage_pct)",
}


def profit_and_loss(connection, filters: Filters) -> pd.DataFrame:
    """The P&L per fiscal year, with the semantic layer's definitions (D59): gross sales
    and net sales over every line that has them, and the waterfall from gross sales to
    gross margin over the costed lines, so that it adds up. Amounts are summed at 8
    decimals and rounded once."""
    where, params = _where(filters, ORDER_LINE_COLUMNS)
    costed = "case when gross_margin_amount is not null then {} end"
    return query(connection, f"""
        with order_lines as ({ORDER_LINES.sql}),

        years as (
            select fiscal_year,
                   sum(revenue) as gross_sales_amount,
                   sum(net_sales_amount) as net_sales_amount,
                   sum(costed_sales_amount) as costed_gross_sales_amount,
                   sum({costed.format('post_invoice_deduction_amount')}) as costed_post_invoice_deduction_amount,
                   sum(costed_net_sales_amount) as costed_net_sales_amount,
                   sum({costed.format('manufacturing_cost_amount')}) as manufacturing_cost_amount,
                   sum({costed.format('freight_cost_amount')}) as freight_cost_amount,
                   sum({costed.format('other_cost_amount')}) as other_cost_amount,
                   sum(gross_margin_amount) as gross_margin_amount
            from order_lines
            where {where}
            group by fiscal_year
        )

        select fiscal_year,
               {', '.join(f'cast(round({column}, 2) as decimal(18, 2)) as {column}'
                          for column in list(PROFIT_AND_LOSS_LINES)[:-2])},
               {_percentage('gross_margin_amount', 'costed_net_sales_amount')} as gross_margin_pct,
               {_percentage('costed_gross_sales_amount', 'gross_sales_amount')} as margin_coverage_pct
        from years
        order by fiscal_year
    """, params)


def _top(connection, filters: Filters, source: Source, recency: str, key: str,
         descriptions: tuple[str, ...], measures: dict[str, str], limit: int,
         exclude: str = "1 = 1") -> pd.DataFrame:
    """The `limit` largest `key`s by revenue under the filters, described as on their
    latest row in the selection."""
    where, params = _where(filters, source.columns)
    return query(connection, f"""
        with source as ({source.sql}),

        selected as (
            select * from source where {where} and {exclude}
        ),

        totals as (
            select {key}, {', '.join(f'{aggregate} as {name}' for name, aggregate in measures.items())}
            from selected
            group by {key}
        ),

        described as (
            select {key}, {', '.join(descriptions)},
                   row_number() over (partition by {key} order by {recency}) as recency_rank
            from selected
        )

        select totals.{key}, {', '.join(f'described.{column}' for column in descriptions)},
               {', '.join(f'totals.{name}' for name in measures)}
        from totals
        inner join described on totals.{key} = described.{key} and described.recency_rank = 1
        order by totals.revenue desc, totals.{key}
        limit {int(limit)}
    """, params)


def top_products(connection, filters: Filters, limit: int = 10, line_grain: bool = False) -> pd.DataFrame:
    """Products by revenue, described by their latest version in the selection."""
    source = _source(filters, TOP_PRODUCTS, ORDER_LINES, line_grain)
    return _top(connection, filters, source, TOP_PRODUCTS_RECENCY[source], "product_id",
                ("product_name", "category"), {"units": "sum(units)", "revenue": "sum(revenue)"}, limit)


def top_customers(connection, filters: Filters, limit: int = 10, line_grain: bool = False) -> pd.DataFrame:
    """Customers by keyed pseudonym only: the dashboard never shows personal data. The
    erased member stands for many people, not for a customer to rank. Orders are
    distinct orders: an order belongs to one fiscal year, so they add up over years."""
    source = _source(filters, TOP_CUSTOMERS, ORDER_LINES, line_grain)
    orders = "count(distinct order_id)" if source is ORDER_LINES else "sum(orders)"
    return _top(connection, filters, source, TOP_CUSTOMERS_RECENCY[source], "customer_pseudonym",
                ("customer_segment", "customer_country"), {"orders": orders, "revenue": "sum(revenue)"},
                limit, exclude="customer_pseudonym <> 'erased'")


# --- inventory ---------------------------------------------------------------------------

def availability(connection, filters: Filters, line_grain: bool = False) -> pd.DataFrame:
    """Share of product positions in stock, and stock-outs, per snapshot date."""
    source = _source(filters, INVENTORY_CATEGORIES, INVENTORY_POSITIONS, line_grain)
    where, params = _where(filters, source.columns)
    return query(connection, f"""
        with source as ({source.sql}),

        daily as (
            select snapshot_date, sum(positions) as positions,
                   sum(positions_in_stock) as positions_in_stock,
                   sum(stock_out_positions) as stock_out_positions,
                   sum(below_reorder_positions) as below_reorder_positions
            from source
            where {where}
            group by snapshot_date
        )

        select snapshot_date, positions, positions_in_stock, stock_out_positions,
               below_reorder_positions,
               {_percentage('positions_in_stock', 'cast(positions as decimal(18, 4))')} as availability_pct
        from daily
        order by snapshot_date
    """, params)


def inventory_headlines(connection, filters: Filters, by_fiscal_year: bool = False,
                        line_grain: bool = False) -> pd.DataFrame:
    """Stock on hand (units, production network) on the latest snapshot of the selection,
    or of each fiscal year, and availability % over all its snapshots (positions in stock
    over positions). The semantic layer's stock_on_hand and availability_pct agree."""
    source = _source(filters, INVENTORY_CATEGORIES, INVENTORY_POSITIONS, line_grain)
    where, params = _where(filters, source.columns)
    group = "fiscal_year" if by_fiscal_year else None
    partition = f"partition by {group}" if group else ""
    return query(connection, f"""
        with source as ({source.sql}),

        selected as (
            select fiscal_year, snapshot_date, positions, positions_in_stock, units_on_hand
            from source
            where {where}
        ),

        dated as (
            select *, max(snapshot_date) over ({partition}) as latest_snapshot_date
            from selected
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
    """The positions out of stock on the latest snapshot of the selection."""
    where, params = _where(filters, STOCK_LEVEL_COLUMNS)
    return query(connection, f"""
        with stock_levels as (
            select dates.fiscal_year, dates.calendar_year, stock_levels.*
            from inventory.inventory_stock_levels as stock_levels
            inner join core.dim_date as dates on stock_levels.snapshot_date_key = dates.date_key
        ),

        selected as (
            select * from stock_levels where {where}
        )

        select snapshot_date, warehouse_name, product_id, product_name, category,
               quantity_on_hand, reorder_point
        from selected
        where is_stock_out
          and snapshot_date = (select max(snapshot_date) from selected)
        order by warehouse_name, product_id
    """, params)


def environment_variance(connection, filters: Filters) -> pd.DataFrame:
    """Production vs test inventory, per snapshot date of the chosen years (the comparison
    covers the whole network: the product and sales filters do not apply)."""
    where, params = _where(filters, ENVIRONMENT_COLUMNS)
    return query(connection, f"""
        with summary as (
            select dates.fiscal_year, dates.calendar_year, environments.*
            from inventory.inventory_environment_summary as environments
            inner join core.dim_date as dates on environments.snapshot_date_key = dates.date_key
        )

        select snapshot_date, positions_compared, production_only_positions, test_only_positions,
               positions_with_quantity_variance, total_absolute_variance_units,
               quantity_variance_rate_pct, positions_with_cost_deviation, cost_deviation_rate_pct
        from summary
        where {where}
        order by snapshot_date
    """, params)


def to_float(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with decimals as floats, for charts only."""
    return frame.apply(lambda column: column.astype(float)
                       if column.map(lambda value: isinstance(value, Decimal)).any() else column)
