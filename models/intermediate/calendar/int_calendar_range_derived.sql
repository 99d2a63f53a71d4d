{#- The range dim_date must cover (D114): one row, from the first day of the fiscal year
    of the earliest landed date (order, ship or stock snapshot date) to the last day of
    the fiscal year of the latest, widened to at least the calendar_start_date ..
    calendar_end_date variables (a lower bound on the span, never a cut: history before
    calendar_start_date extends the calendar instead of failing the date tests). -#}
{%- set start_month = var('fiscal_year_start_month') | int -%}

with orders as (

    select * from {{ ref('stg_sales_system__orders') }}

),

stock_positions as (

    select * from {{ ref('stg_warehouse_system__inventory_snapshots') }}

),

landed_dates as (

    select order_date as landed_date from orders
    union all
    select ship_date as landed_date from orders
    where ship_date is not null
    union all
    select snapshot_date as landed_date from stock_positions

),

landed_range as (

    select
        min(landed_date) as first_landed_date,
        max(landed_date) as last_landed_date
    from landed_dates

),

-- the first day of the fiscal year of a date: its month's first day, back to the
-- fiscal year's first month
fiscal_year_bounds as (

    select
        first_landed_date,
        last_landed_date,
        {{ dbt.dateadd(
            'month',
            '-1 * mod(cast(' ~ date_part('month', 'first_landed_date') ~ ' as ' ~ dbt.type_int() ~ ') + ' ~ (12 - start_month) ~ ', 12)',
            'cast(' ~ dbt.date_trunc('month', 'first_landed_date') ~ ' as date)',
        ) }} as first_fiscal_year_start_date,
        {{ dbt.dateadd(
            'month',
            '-1 * mod(cast(' ~ date_part('month', 'last_landed_date') ~ ' as ' ~ dbt.type_int() ~ ') + ' ~ (12 - start_month) ~ ', 12)',
            'cast(' ~ dbt.date_trunc('month', 'last_landed_date') ~ ' as date)',
        ) }} as last_fiscal_year_start_date
    from landed_range

),

final as (

    select
        first_landed_date,
        last_landed_date,
        cast(
            coalesce(
                least(cast('{{ var("calendar_start_date") }}' as date), cast(first_fiscal_year_start_date as date)),
                cast('{{ var("calendar_start_date") }}' as date)
            ) as date
        ) as calendar_start_date,
        cast(
            coalesce(
                greatest(
                    cast('{{ var("calendar_end_date") }}' as date),
                    cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 12, 'last_fiscal_year_start_date')) }} as date)
                ),
                cast('{{ var("calendar_end_date") }}' as date)
            ) as date
        ) as calendar_end_date
    from fiscal_year_bounds

)

select * from final
