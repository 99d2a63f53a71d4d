{#- The production and test exports of the warehouse-management system side by side:
    one row per snapshot date × warehouse × product present in either environment
    (a full outer comparison), with the differences in units on hand, unit cost and
    stock value. -#}
with inventory_positions as (

    select * from {{ ref('fct_inventory') }}

),

locations as (

    select * from {{ ref('dim_location') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

positions as (

    select
        inventory_positions.environment,
        inventory_positions.snapshot_date,
        inventory_positions.snapshot_date_key,
        inventory_positions.warehouse_location_key,
        inventory_positions.product_key,
        stocking_sites.location_id as warehouse_id,
        products.product_id,
        inventory_positions.quantity_on_hand,
        inventory_positions.unit_cost,
        inventory_positions.stock_value
    from inventory_positions
    inner join locations as stocking_sites
        on inventory_positions.warehouse_location_key = stocking_sites.location_key
    inner join products
        on inventory_positions.product_key = products.product_key

),

production_positions as (

    select
        snapshot_date,
        snapshot_date_key,
        warehouse_location_key,
        product_key,
        warehouse_id,
        product_id,
        quantity_on_hand,
        unit_cost,
        stock_value
    from positions
    where environment = 'production'

),

test_positions as (

    select
        snapshot_date,
        snapshot_date_key,
        warehouse_location_key,
        product_key,
        warehouse_id,
        product_id,
        quantity_on_hand,
        unit_cost,
        stock_value
    from positions
    where environment = 'test'

),

compared as (

    select
        coalesce(production_positions.snapshot_date, test_positions.snapshot_date) as snapshot_date,
        coalesce(production_positions.snapshot_date_key, test_positions.snapshot_date_key)
            as snapshot_date_key,
        coalesce(
            production_positions.warehouse_location_key,
            test_positions.warehouse_location_key
        ) as warehouse_location_key,
        coalesce(production_positions.product_key, test_positions.product_key) as product_key,
        coalesce(production_positions.warehouse_id, test_positions.warehouse_id) as warehouse_id,
        coalesce(production_positions.product_id, test_positions.product_id) as product_id,
        case
            when
                production_positions.product_id is not null
                and test_positions.product_id is not null
                then 'both'
            when production_positions.product_id is not null then 'production_only'
            else 'test_only'
        end as presence,
        production_positions.quantity_on_hand as production_quantity_on_hand,
        test_positions.quantity_on_hand as test_quantity_on_hand,
        production_positions.unit_cost as production_unit_cost,
        test_positions.unit_cost as test_unit_cost,
        production_positions.stock_value as production_stock_value,
        test_positions.stock_value as test_stock_value
    from production_positions
    full outer join test_positions
        on production_positions.snapshot_date = test_positions.snapshot_date
        and production_positions.warehouse_id = test_positions.warehouse_id
        and production_positions.product_id = test_positions.product_id

),

variances as (

    select
        snapshot_date,
        snapshot_date_key,
        warehouse_location_key,
        product_key,
        warehouse_id,
        product_id,
        presence,
        production_quantity_on_hand,
        test_quantity_on_hand,
        production_unit_cost,
        test_unit_cost,
        production_stock_value,
        test_stock_value,
        -- null unless the position is in both environments
        test_quantity_on_hand - production_quantity_on_hand as quantity_variance_units,
        test_unit_cost - production_unit_cost as unit_cost_deviation,
        test_stock_value - production_stock_value as stock_value_variance
    from compared

),

final as (

    select
        -- keys
        {{ generate_surrogate_key(['snapshot_date', 'warehouse_id', 'product_id']) }}
            as environment_comparison_key,
        snapshot_date_key,
        warehouse_location_key,
        product_key,
        warehouse_id,
        product_id,

        -- attributes
        snapshot_date,
        presence,
        coalesce(quantity_variance_units <> 0, false) as has_quantity_variance,
        coalesce(unit_cost_deviation <> 0, false) as has_cost_deviation,

        -- measures
        production_quantity_on_hand,
        test_quantity_on_hand,
        quantity_variance_units,
        cast(
            round(quantity_variance_units * 1.0 / nullif(production_quantity_on_hand, 0), 4)
            as decimal(18, 4)
        ) as quantity_variance_pct,
        production_unit_cost,
        test_unit_cost,
        cast(unit_cost_deviation as decimal(18, 4)) as unit_cost_deviation,
        cast(
            round(unit_cost_deviation * 1.0 / nullif(production_unit_cost, 0), 4)
            as decimal(18, 4)
        ) as unit_cost_deviation_pct,
        production_stock_value,
        test_stock_value,
        cast(stock_value_variance as decimal(18, 2)) as stock_value_variance
    from variances

)

select * from final
