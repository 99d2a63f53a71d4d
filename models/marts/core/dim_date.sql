{#- The calendar and the fiscal calendar, one row per day, plus the unknown member
    that facts point to when a date is missing (e.g. an order not shipped yet). -#}
{#- The span comes from the data (int_calendar_range_derived, D114): whole fiscal
    years around every landed order, ship and snapshot date, and at least the
    calendar_start_date .. calendar_end_date variables. Up to 100 years of days. -#}
with calendar_range as (

    select * from {{ ref('int_calendar_range_derived') }}

),

day_numbers as (

    {{ generate_series(36525) }}

),

calendar as (

    select
        cast(
            {{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'calendar_range.calendar_start_date') }}
            as date
        ) as date_day
    from day_numbers
    cross join calendar_range
    where
        day_numbers.generated_number - 1
        <= {{ dbt.datediff('calendar_range.calendar_start_date', 'calendar_range.calendar_end_date', 'day') }}

),

attributes as (

    select
        cast({{ date_key('date_day') }} as {{ dbt.type_int() }}) as date_key,
        date_day,
        cast({{ date_part('year', 'date_day') }} as {{ dbt.type_int() }}) as calendar_year,
        cast({{ date_part('quarter', 'date_day') }} as {{ dbt.type_int() }}) as calendar_quarter,
        cast({{ date_part('month', 'date_day') }} as {{ dbt.type_int() }}) as calendar_month,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        cast({{ date_part('day', 'date_day') }} as {{ dbt.type_int() }}) as day_of_month,
        {{ iso_day_of_week('date_day') }} as iso_day_of_week,
        {{ fiscal_year('date_day') }} as fiscal_year,
        {{ fiscal_quarter('date_day') }} as fiscal_quarter,
        {{ fiscal_month_number('date_day') }} as fiscal_month
    from calendar

),

final as (

    select
        date_key,
        date_day,
        calendar_year,
        calendar_quarter,
        calendar_month,
        month_start_date,
        day_of_month,
        iso_day_of_week,
        iso_day_of_week in (6, 7) as is_weekend,
        fiscal_year,
        fiscal_quarter,
        fiscal_month,
        {{ dbt.concat(["'FY'", 'cast(fiscal_year as ' ~ dbt.type_string() ~ ')']) }} as fiscal_year_name,
        false as is_unknown_member
    from attributes

    union all

    select
        -1 as date_key,
        cast(null as date) as date_day,
        cast(null as {{ dbt.type_int() }}) as calendar_year,
        cast(null as {{ dbt.type_int() }}) as calendar_quarter,
        cast(null as {{ dbt.type_int() }}) as calendar_month,
        cast(null as date) as month_start_date,
        cast(null as {{ dbt.type_int() }}) as day_of_month,
        cast(null as {{ dbt.type_int() }}) as iso_day_of_week,
        cast(null as {{ dbt.type_boolean() }}) as is_weekend,
        cast(null as {{ dbt.type_int() }}) as fiscal_year,
        cast(null as {{ dbt.type_int() }}) as fiscal_quarter,
        cast(null as {{ dbt.type_int() }}) as fiscal_month,
        'unknown' as fiscal_year_name,
        true as is_unknown_member

)

select * from final
