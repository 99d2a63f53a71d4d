{#
    Mirrors dbt_utils.date_spine(datepart, start_date, end_date): one row per
    `datepart` from start_date (inclusive) to end_date (exclusive), in a column named
    date_<datepart>. start_date and end_date are SQL expressions.
#}
{% macro generate_series(upper_bound) -%}
    {%- set ns = namespace(bits=1) -%}
    {%- for _ in range(40) if 2 ** ns.bits < upper_bound -%}
        {%- set ns.bits = ns.bits + 1 -%}
    {%- endfor -%}
    {%- set powers = range(ns.bits) -%}
    with p as (
        select 0 as generated_number union all select 1
    ),

    unioned as (
        select
            {% for i in powers -%}
            p{{ i }}.generated_number * {{ 2 ** i }}{{ ' + ' if not loop.last }}
            {%- endfor %}
            + 1 as generated_number
        from
            {% for i in powers -%}
            p as p{{ i }}{{ ',' if not loop.last }}
            {% endfor %}
    )

    select generated_number
    from unioned
    where generated_number <= {{ upper_bound }}
{%- endmacro %}

{% macro date_spine(datepart, start_date, end_date) -%}
    {%- set span_days = 365 * 40 -%}
    with rawdata as (
        {{ generate_series(span_days) }}
    ),

    all_periods as (
        select
            {{ dbt.dateadd(datepart, 'generated_number - 1', start_date) }} as date_{{ datepart }}
        from rawdata
    ),

    filtered as (
        select date_{{ datepart }}
        from all_periods
        where date_{{ datepart }} < {{ end_date }}
    )

    select date_{{ datepart }} from filtered
{%- endmacro %}
