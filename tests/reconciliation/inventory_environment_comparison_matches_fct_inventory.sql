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

-- a full outer join, written so that every engine runs it (MySQL has none)
snapshot_environments as (

    select
        snapshot_date,
        environment
    from fact_totals
    union
    select
        snapshot_date,
        environment
    from mart_totals

),

compared as (

    select
        snapshot_environments.snapshot_date,
        snapshot_environments.environment,
        fact_totals.positions as fact_positions,
        mart_totals.positions as mart_positions,
        fact_totals.units_on_hand as fact_units_on_hand,
        mart_totals.units_on_hand as mart_units_on_hand,
        fact_totals.stock_value as fact_stock_value,
        mart_totals.stock_value as mart_stock_value
    from snapshot_environments
    left join fact_totals
        on snapshot_environments.snapshot_date = fact_totals.snapshot_date
        and snapshot_environments.environment = fact_totals.environment
    left join mart_totals
        on snapshot_environments.snapshot_date = mart_totals.snapshot_date
        and snapshot_environments.environment = mart_totals.environment

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
