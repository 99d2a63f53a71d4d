{#- Availability and stock distribution of the production network by product category
    and snapshot date: how many positions have stock, and each category's share of the
    day's units and value on hand. -#}
with inventory_positions as (

    select * from {{ ref('fct_inventory') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

production_positions as (

    select
        inventory_positions.snapshot_date,
        inventory_positions.snapshot_date_key,
        products.category,
        inventory_positions.is_below_reorder_point,
        inventory_positions.is_stock_out,
        inventory_positions.quantity_on_hand,
        inventory_positions.quantity_available,
        inventory_positions.stock_value
    from inventory_positions
    inner join products
        on inventory_positions.product_key = products.product_key
    where inventory_positions.environment = 'production'

),

category_stock as (

    select
        snapshot_date,
        snapshot_date_key,
        category,
        count(*) as positions,
        sum(case when quantity_available > 0 then 1 else 0 end) as positions_in_stock,
        sum(case when is_stock_out then 1 else 0 end) as stock_out_positions,
        sum(case when is_below_reorder_point then 1 else 0 end) as below_reorder_positions,
        sum(quantity_on_hand) as units_on_hand,
        sum(quantity_available) as units_available,
        sum(stock_value) as stock_value
    from production_positions
    group by
        snapshot_date,
        snapshot_date_key,
        category

),

daily_stock as (

    select
        snapshot_date,
        sum(units_on_hand) as total_units_on_hand,
        sum(stock_value) as total_stock_value
    from category_stock
    group by snapshot_date

),

joined as (

    select
        category_stock.snapshot_date,
        category_stock.snapshot_date_key,
        category_stock.category,
        category_stock.positions,
        category_stock.positions_in_stock,
        category_stock.stock_out_positions,
        category_stock.below_reorder_positions,
        category_stock.units_on_hand,
        category_stock.units_available,
        category_stock.stock_value,
        daily_stock.total_units_on_hand,
        daily_stock.total_stock_value
    from category_stock
    inner join daily_stock
        on category_stock.snapshot_date = daily_stock.snapshot_date

),

final as (

    select
        -- keys
        snapshot_date_key,
        category,

        -- attributes
        snapshot_date,

        -- measures
        cast(positions as {{ dbt.type_int() }}) as positions,
        cast(positions_in_stock as {{ dbt.type_int() }}) as positions_in_stock,
        cast(stock_out_positions as {{ dbt.type_int() }}) as stock_out_positions,
        cast(below_reorder_positions as {{ dbt.type_int() }}) as below_reorder_positions,
        cast({{ divide_decimals('positions_in_stock * 1.0', 'positions', 4) }} as decimal(18, 4))
            as availability_pct,
        cast(units_on_hand as {{ dbt.type_bigint() }}) as units_on_hand,
        cast(units_available as {{ dbt.type_bigint() }}) as units_available,
        cast(stock_value as decimal(18, 4)) as stock_value,
        cast({{ divide_decimals('units_on_hand * 1.0', 'total_units_on_hand', 4) }} as decimal(18, 4))
            as share_of_units_on_hand_pct,
        cast({{ divide_decimals('stock_value * 1.0', 'total_stock_value', 4) }} as decimal(18, 4))
            as share_of_stock_value_pct
    from joined

)

select * from final
