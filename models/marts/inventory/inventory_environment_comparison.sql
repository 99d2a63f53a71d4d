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

-- A full outer join of the two environments on (snapshot date, warehouse, product),
-- written as one aggregation over both: MySQL has no full outer join, and a position
-- is in each environment at most once (fct_inventory's grain; the reconciliation test
-- inventory_environment_comparison_matches_fct_inventory would see a lost duplicate).
compared as (

    select
        snapshot_date,
        coalesce(
            max(case when environment = 'production' then snapshot_date_key end),
            max(case when environment = 'test' then snapshot_date_key end)
        ) as snapshot_date_key,
        coalesce(
            max(case when environment = 'production' then warehouse_location_key end),
            max(case when environment = 'test' then warehouse_location_key end)
        ) as warehouse_location_key,
        coalesce(
            max(case when environment = 'production' then product_key end),
            max(case when environment = 'test' then product_key end)
        ) as product_key,
        warehouse_id,
        product_id,
        case
            when
                count(case when environment = 'production' then 1 end) > 0
                and count(case when environment = 'test' then 1 end) > 0
                then 'both'
            when count(case when environment = 'production' then 1 end) > 0 then 'production_only'
            else 'test_only'
        end as presence,
        max(case when environment = 'production' then quantity_on_hand end) as production_quantity_on_hand,
        max(case when environment = 'test' then quantity_on_hand end) as test_quantity_on_hand,
        max(case when environment = 'production' then unit_cost end) as production_unit_cost,
        max(case when environment = 'test' then unit_cost end) as test_unit_cost,
        max(case when environment = 'production' then stock_value end) as production_stock_value,
        max(case when environment = 'test' then stock_value end) as test_stock_value
    from positions
    where environment in ('production', 'test')
    group by
        snapshot_date,
        warehouse_id,
        product_id

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
            {{ divide_decimals('quantity_variance_units * 1.0', 'production_quantity_on_hand', 4) }}
            as decimal(18, 4)
        ) as quantity_variance_pct,
        production_unit_cost,
        test_unit_cost,
        cast(unit_cost_deviation as decimal(18, 4)) as unit_cost_deviation,
        cast(
            {{ divide_decimals('unit_cost_deviation * 1.0', 'production_unit_cost', 4) }}
            as decimal(18, 4)
        ) as unit_cost_deviation_pct,
        production_stock_value,
        test_stock_value,
        cast(stock_value_variance as decimal(18, 4)) as stock_value_variance
    from variances

)

select * from final
