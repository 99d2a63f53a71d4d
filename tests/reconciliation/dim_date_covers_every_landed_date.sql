{#- The calendar covers every landed order, ship and stock snapshot date (D114). It is
    derived from the data, so this fails only when the data spans more than the 100
    years dim_date can hold (a date typo such as 2204 for 2024): one row per kind of
    date, naming the dates outside the calendar and the variables that bound it. -#}
with orders as (

    select * from {{ ref('stg_sales_system__orders') }}

),

stock_positions as (

    select * from {{ ref('stg_warehouse_system__inventory_snapshots') }}

),

calendar as (

    select * from {{ ref('dim_date') }}
    where not is_unknown_member

),

landed_dates as (

    select
        'order_date' as date_kind,
        order_date as landed_date
    from orders
    union all
    select
        'ship_date' as date_kind,
        ship_date as landed_date
    from orders
    where ship_date is not null
    union all
    select
        'snapshot_date' as date_kind,
        snapshot_date as landed_date
    from stock_positions

),

outside as (

    select
        landed_dates.date_kind,
        min(landed_dates.landed_date) as first_date_outside,
        max(landed_dates.landed_date) as last_date_outside,
        count(*) as rows_outside
    from landed_dates
    left join calendar
        on landed_dates.landed_date = calendar.date_day
    where calendar.date_day is null
    group by landed_dates.date_kind

),

final as (

    select
        date_kind,
        first_date_outside,
        last_date_outside,
        rows_outside,
        'dim_date spans calendar_start_date..calendar_end_date widened to the data, at most 100 years'
            as calendar_rule
    from outside

)

select * from final
