{#- inventory_environment_comparison keeps every stock position of both environments,
    once: per snapshot date and environment, its positions, units on hand and stock
    value equal fct_inventory's. Returns the dates and environments that differ. -#}
with fact_positions as (

    select * from {{ ref('fct_inventory') }}

),

environment_comparison as (

    select * from {{ ref('inventory_environment_comparison') }}

),

fact_totals as (

    select
        snapshot_date,
        environment,
        count(*) as positions,
        sum(quantity_on_hand) as units_on_hand,
        sum(stock_value) as stock_value
    from fact_positions
    group by
        snapshot_date,
        environment

),

production_totals as (

    select
        snapshot_date,
        'production' as environment,
        count(production_quantity_on_hand) as positions,
        sum(production_quantity_on_hand) as units_on_hand,
        sum(production_stock_value) as stock_value
    from environment_comparison
    group by snapshot_date

),

test_totals as (

    select
        snapshot_date,
        'test' as environment,
        count(test_quantity_on_hand) as positions,
        sum(test_quantity_on_hand) as units_on_hand,
        sum(test_stock_value) as stock_value
    from environment_comparison
    group by snapshot_date

),

mart_totals as (

    select * from production_totals
    where positions > 0
    union all
    select * from test_totals
    where positions > 0

),

compared as (

    select
        coalesce(fact_totals.snapshot_date, mart_totals.snapshot_date) as snapshot_date,
        coalesce(fact_totals.environment, mart_totals.environment) as environment,
        fact_totals.positions as fact_positions,
        mart_totals.positions as mart_positions,
        fact_totals.units_on_hand as fact_units_on_hand,
        mart_totals.units_on_hand as mart_units_on_hand,
        fact_totals.stock_value as fact_stock_value,
        mart_totals.stock_value as mart_stock_value
    from fact_totals
    full outer join mart_totals
        on fact_totals.snapshot_date = mart_totals.snapshot_date
        and fact_totals.environment = mart_totals.environment

),

final as (

    select * from compared
    where fact_positions is null
        or mart_positions is null
        or fact_positions <> mart_positions
        or fact_units_on_hand <> mart_units_on_hand
        or coalesce(fact_stock_value, 0) <> coalesce(mart_stock_value, 0)

)

select * from final
