{#- inventory_stock_levels keeps every production stock position of fct_inventory,
    once: per snapshot date, its positions, units on hand, reserved and available and
    its stock value equal fct_inventory's production totals. Returns the dates that
    differ. -#}
with fact_positions as (

    select * from {{ ref('fct_inventory') }}
    where environment = 'production'

),

stock_levels as (

    select * from {{ ref('inventory_stock_levels') }}

),

fact_totals as (

    select
        snapshot_date,
        count(*) as positions,
        sum(quantity_on_hand) as units_on_hand,
        sum(quantity_reserved) as units_reserved,
        sum(quantity_available) as units_available,
        sum(stock_value) as stock_value
    from fact_positions
    group by snapshot_date

),

mart_totals as (

    select
        snapshot_date,
        count(*) as positions,
        sum(quantity_on_hand) as units_on_hand,
        sum(quantity_reserved) as units_reserved,
        sum(quantity_available) as units_available,
        sum(stock_value) as stock_value
    from stock_levels
    group by snapshot_date

),

-- a full outer join, written so that every engine runs it (MySQL has none)
snapshot_dates as (

    select snapshot_date from fact_totals
    union
    select snapshot_date from mart_totals

),

compared as (

    select
        snapshot_dates.snapshot_date,
        fact_totals.positions as fact_positions,
        mart_totals.positions as mart_positions,
        fact_totals.units_on_hand as fact_units_on_hand,
        mart_totals.units_on_hand as mart_units_on_hand,
        fact_totals.units_reserved as fact_units_reserved,
        mart_totals.units_reserved as mart_units_reserved,
        fact_totals.units_available as fact_units_available,
        mart_totals.units_available as mart_units_available,
        fact_totals.stock_value as fact_stock_value,
        mart_totals.stock_value as mart_stock_value
    from snapshot_dates
    left join fact_totals
        on snapshot_dates.snapshot_date = fact_totals.snapshot_date
    left join mart_totals
        on snapshot_dates.snapshot_date = mart_totals.snapshot_date

),

final as (

    select * from compared
    where fact_positions is null
        or mart_positions is null
        or fact_positions <> mart_positions
        or fact_units_on_hand <> mart_units_on_hand
        or fact_units_reserved <> mart_units_reserved
        or fact_units_available <> mart_units_available
        or coalesce(fact_stock_value, 0) <> coalesce(mart_stock_value, 0)

)

select * from final
