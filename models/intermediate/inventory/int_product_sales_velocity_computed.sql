{#- A table on every engine: as a view, each of its column tests and its mart recomputed
    the window join over every stocked product-day (decisions.md, D87). -#}
{{ config(materialized='table', indexes=engine_indexes([
    {'columns': ['snapshot_date', 'product_id']},
])) }}

{#- Sales velocity of every product on every date it has a stock position: the units
    sold in the `sales_velocity_window_days` days ending on the snapshot date (order
    date after snapshot date − window, up to and including the snapshot date), and
    that per day. Products are compared by product_id, across all their versions. A
    window that starts before the first order of the sales history is flagged as
    incomplete: its velocity understates the product's pace. -#}
{%- set window_days = var('sales_velocity_window_days') | int %}

with inventory_positions as (

    select * from {{ ref('fct_inventory') }}

),

sales as (

    select * from {{ ref('fct_sales') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

stocked_products as (

    select distinct
        inventory_positions.snapshot_date,
        products.product_id
    from inventory_positions
    inner join products
        on inventory_positions.product_key = products.product_key

),

daily_product_sales as (

    select
        sales.order_date,
        products.product_id,
        sum(sales.quantity) as units_sold
    from sales
    inner join products
        on sales.product_key = products.product_key
    group by
        sales.order_date,
        products.product_id

),

sales_history as (

    select min(order_date) as first_order_date
    from sales

),

spine_bounds as (

    select
        cast({{ dbt.dateadd('day', 1 - window_days, 'min(snapshot_date)') }} as date) as first_date,
        max(snapshot_date) as last_date
    from inventory_positions

),

day_numbers as (

    {{ generate_series(365 * 40) }}

),

product_ids as (

    select distinct product_id
    from products

),

{# Every product on every day from the first window's first day to the last snapshot.
    On this gapless spine a frame of `window_days` rows is `window_days` days, so a
    running sum replaces the range join of each stocked product-day with the product's
    sales, which MariaDB ran as a nested loop (D89). The spine takes every product and
    its bounds from the facts, not from stocked_products: MariaDB evaluates a CTE again
    at each reference. #}
product_days as (

    select
        product_ids.product_id,
        cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'spine_bounds.first_date') }} as date)
            as calendar_date
    from day_numbers
    cross join spine_bounds
    cross join product_ids
    where
        day_numbers.generated_number - 1
        <= {{ dbt.datediff('spine_bounds.first_date', 'spine_bounds.last_date', 'day') }}

),

daily_units as (

    select
        product_days.product_id,
        product_days.calendar_date,
        coalesce(daily_product_sales.units_sold, 0) as units_sold
    from product_days
    left join daily_product_sales
        on product_days.product_id = daily_product_sales.product_id
        and product_days.calendar_date = daily_product_sales.order_date

),

trailing_units as (

    select
        product_id,
        calendar_date,
        sum(units_sold) over (
            partition by product_id
            order by calendar_date
            rows between {{ window_days - 1 }} preceding and current row
        ) as units_sold_in_window
    from daily_units

),

units_in_window as (

    select
        stocked_products.snapshot_date,
        stocked_products.product_id,
        -- first day of the window: the window holds the order dates after
        -- snapshot_date − window days, up to and including the snapshot date
        cast({{ dbt.dateadd('day', 1 - window_days, 'stocked_products.snapshot_date') }} as date)
            as window_start_date,
        sales_history.first_order_date,
        trailing_units.units_sold_in_window
    from stocked_products
    inner join trailing_units
        on stocked_products.product_id = trailing_units.product_id
        and stocked_products.snapshot_date = trailing_units.calendar_date
    cross join sales_history

),

final as (

    select
        snapshot_date,
        product_id,
        window_start_date,
        cast({{ window_days }} as {{ dbt.type_int() }}) as sales_velocity_window_days,
        coalesce(first_order_date <= window_start_date, false) as is_sales_window_complete,
        cast(units_sold_in_window as {{ dbt.type_bigint() }}) as units_sold_in_window,
        cast({{ divide_decimals('units_sold_in_window * 1.0', window_days, 4) }} as decimal(18, 4))
            as daily_units_sold
    from units_in_window

)

select * from final
