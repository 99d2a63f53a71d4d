{{ config(indexes=engine_indexes([
    {'columns': ['snapshot_date', 'product_id']},
])) }}

{#- Days of cover of every product on every snapshot date, across the whole production
    network: the units available in all production warehouses divided by the product's
    daily sales velocity (units sold over the velocity window ÷ window days). Null when
    the product sold nothing in the window. -#}
with inventory_positions as (

    select * from {{ ref('fct_inventory') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

sales_velocity as (

    select * from {{ ref('int_product_sales_velocity_computed') }}

),

production_positions as (

    select
        inventory_positions.snapshot_date,
        inventory_positions.snapshot_date_key,
        inventory_positions.product_key,
        products.product_id,
        products.product_name,
        products.category,
        products.sub_category,
        inventory_positions.quantity_on_hand,
        inventory_positions.quantity_available
    from inventory_positions
    inner join products
        on inventory_positions.product_key = products.product_key
    where inventory_positions.environment = 'production'

),

network_stock as (

    select
        snapshot_date,
        snapshot_date_key,
        product_key,
        product_id,
        product_name,
        category,
        sub_category,
        count(*) as stocking_positions,
        sum(quantity_on_hand) as total_quantity_on_hand,
        sum(quantity_available) as total_quantity_available
    from production_positions
    group by
        snapshot_date,
        snapshot_date_key,
        product_key,
        product_id,
        product_name,
        category,
        sub_category

),

joined as (

    select
        network_stock.snapshot_date,
        network_stock.snapshot_date_key,
        network_stock.product_key,
        network_stock.product_id,
        network_stock.product_name,
        network_stock.category,
        network_stock.sub_category,
        network_stock.stocking_positions,
        network_stock.total_quantity_on_hand,
        network_stock.total_quantity_available,
        sales_velocity.sales_velocity_window_days,
        coalesce(sales_velocity.is_sales_window_complete, false) as is_sales_window_complete,
        coalesce(sales_velocity.units_sold_in_window, 0) as units_sold_in_window,
        coalesce(sales_velocity.daily_units_sold, 0) as daily_units_sold
    from network_stock
    left join sales_velocity
        on network_stock.snapshot_date = sales_velocity.snapshot_date
        and network_stock.product_id = sales_velocity.product_id

),

final as (

    select
        -- keys
        snapshot_date_key,
        product_key,
        product_id,

        -- attributes
        snapshot_date,
        product_name,
        category,
        sub_category,
        total_quantity_available = 0 as is_stock_out_network,
        is_sales_window_complete,

        -- measures
        cast(stocking_positions as {{ dbt.type_int() }}) as stocking_positions,
        cast(total_quantity_on_hand as {{ dbt.type_bigint() }}) as total_quantity_on_hand,
        cast(total_quantity_available as {{ dbt.type_bigint() }}) as total_quantity_available,
        cast(units_sold_in_window as {{ dbt.type_bigint() }}) as units_sold_in_window,
        cast(daily_units_sold as decimal(18, 4)) as daily_units_sold,
        -- available ÷ (units sold in the window ÷ window days), in one division so that
        -- the rounding of daily_units_sold does not distort slow movers
        cast(
            {{ divide_decimals(
                'total_quantity_available * 1.0 * sales_velocity_window_days',
                'units_sold_in_window',
                2,
            ) }} as decimal(18, 2)
        ) as days_of_cover
    from joined

)

select * from final
