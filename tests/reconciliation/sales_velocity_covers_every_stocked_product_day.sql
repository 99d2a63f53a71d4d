{#- int_product_sales_velocity_computed has a row for every product on every date it has
    a stock position: its running sum reads a spine of days (at most 40 years from the
    first window's first day), so a stocked product-day the spine missed would drop out.
    Returns the stocked product-days without a velocity row. -#}
with inventory_positions as (

    select * from {{ ref('fct_inventory') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

velocity as (

    select * from {{ ref('int_product_sales_velocity_computed') }}

),

stocked_product_days as (

    select distinct
        inventory_positions.snapshot_date,
        products.product_id
    from inventory_positions
    inner join products
        on inventory_positions.product_key = products.product_key

),

missing as (

    select
        stocked_product_days.snapshot_date,
        stocked_product_days.product_id
    from stocked_product_days
    left join velocity
        on stocked_product_days.snapshot_date = velocity.snapshot_date
        and stocked_product_days.product_id = velocity.product_id
    where velocity.product_id is null

)

select * from missing
