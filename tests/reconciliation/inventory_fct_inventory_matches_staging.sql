{#- Nothing lost or doubled between staging and the inventory fact: per environment,
    the units on hand and the stock value (on hand × unit cost) of the usable stock
    positions equal those of fct_inventory. Returns the environments that differ. -#}
with staged_positions as (

    select * from {{ ref('stg_warehouse_system__inventory_snapshots') }}

),

fact_positions as (

    select * from {{ ref('fct_inventory') }}

),

staged_totals as (

    select
        environment,
        count(*) as positions,
        sum(quantity_on_hand) as units_on_hand,
        sum(cast(quantity_on_hand * unit_cost as decimal(18, 4))) as stock_value
    from staged_positions
    group by environment

),

fact_totals as (

    select
        environment,
        count(*) as positions,
        sum(quantity_on_hand) as units_on_hand,
        sum(stock_value) as stock_value
    from fact_positions
    group by environment

),

-- a full outer join, written so that every engine runs it (MySQL has none)
environments as (

    select environment from staged_totals
    union
    select environment from fact_totals

),

compared as (

    select
        environments.environment,
        staged_totals.positions as staged_positions,
        fact_totals.positions as fact_positions,
        staged_totals.units_on_hand as staged_units_on_hand,
        fact_totals.units_on_hand as fact_units_on_hand,
        staged_totals.stock_value as staged_stock_value,
        fact_totals.stock_value as fact_stock_value
    from environments
    left join staged_totals
        on environments.environment = staged_totals.environment
    left join fact_totals
        on environments.environment = fact_totals.environment

),

final as (

    select * from compared
    where staged_positions is null
        or fact_positions is null
        or staged_positions <> fact_positions
        or staged_units_on_hand <> fact_units_on_hand
        or coalesce(staged_stock_value, 0) <> coalesce(fact_stock_value, 0)

)

select * from final
