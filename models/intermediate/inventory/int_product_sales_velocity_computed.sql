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
{%- set window_days = var('sales_velocity_window_days') %}

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

window_bounds as (

    select
        stocked_products.snapshot_date,
        stocked_products.product_id,
        -- first day of the window: the window holds the order dates after
        -- snapshot_date − window days, up to and including the snapshot date
        cast({{ dbt.dateadd('day', 1 - window_days, 'stocked_products.snapshot_date') }} as date)
            as window_start_date,
        sales_history.first_order_date
    from stocked_products
    cross join sales_history

),

units_in_window as (

    select
        window_bounds.snapshot_date,
        window_bounds.product_id,
        window_bounds.window_start_date,
        window_bounds.first_order_date,
        coalesce(sum(daily_product_sales.units_sold), 0) as units_sold_in_window
    from window_bounds
    left join daily_product_sales
        on window_bounds.product_id = daily_product_sales.product_id
        and window_bounds.window_start_date <= daily_product_sales.order_date
        and window_bounds.snapshot_date >= daily_product_sales.order_date
    group by
        window_bounds.snapshot_date,
        window_bounds.product_id,
        window_bounds.window_start_date,
        window_bounds.first_order_date

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
