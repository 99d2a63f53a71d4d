{#- The semantic layer's time spine: one row per day of the calendar, with the fiscal
    periods MetricFlow offers as custom granularities (metric_time__fiscal_year,
    metric_time__fiscal_quarter). Built on dim_date, so both follow the same
    `fiscal_year_start_month`; dim_date's unknown member (no date) is left out. -#}
with dates as (

    select * from {{ ref('dim_date') }}
    where not is_unknown_member

),

final as (

    select
        date_day,
        fiscal_year,
        {{ dbt.concat([
            "'FY'", 'cast(fiscal_year as ' ~ dbt.type_string() ~ ')',
            "'-Q'", 'cast(fiscal_quarter as ' ~ dbt.type_string() ~ ')',
        ]) }} as fiscal_quarter_name,
        cast({{ dbt.dateadd('month', '1 - fiscal_month', 'month_start_date') }} as date)
            as fiscal_year_start_date,
        cast({{ dbt.dateadd('month', '- mod(fiscal_month - 1, 3)', 'month_start_date') }} as date)
            as fiscal_quarter_start_date
    from dates

)

select * from final
