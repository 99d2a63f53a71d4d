{#
    The fiscal calendar. The fiscal year starts on the first day of the month given by
    the `fiscal_year_start_month` variable and is named after the calendar year in
    which it ends: with a September start, 2024-09-01 .. 2025-08-31 is FY2025.
    A January start makes the fiscal year the calendar year.
#}

{% macro fiscal_month_number(date_expression) -%}
    {%- set start_month = var('fiscal_year_start_month') | int -%}
    (mod(cast({{ date_part_month(date_expression) }} as {{ dbt.type_int() }}) + {{ 12 - start_month }}, 12) + 1)
{%- endmacro %}

{% macro fiscal_year(date_expression) -%}
    {%- set start_month = var('fiscal_year_start_month') | int -%}
    {%- if start_month == 1 -%}
        cast({{ date_part_year(date_expression) }} as {{ dbt.type_int() }})
    {%- else -%}
        (cast({{ date_part_year(date_expression) }} as {{ dbt.type_int() }})
            + case when cast({{ date_part_month(date_expression) }} as {{ dbt.type_int() }}) >= {{ start_month }} then 1 else 0 end)
    {%- endif -%}
{%- endmacro %}

{% macro fiscal_quarter(date_expression) -%}
    (cast(floor(({{ fiscal_month_number(date_expression) }} - 1) / 3.0) as {{ dbt.type_int() }}) + 1)
{%- endmacro %}

{% macro date_part_year(date_expression) -%}
    {{ date_part('year', date_expression) }}
{%- endmacro %}

{% macro date_part_month(date_expression) -%}
    {{ date_part('month', date_expression) }}
{%- endmacro %}

{#- ISO day of week: Monday = 1 .. Sunday = 7. -#}
{% macro iso_day_of_week(date_expression) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'sales_insights')(date_expression)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date_expression) -%}
    cast(extract(isodow from {{ date_expression }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro spark__iso_day_of_week(date_expression) -%}
    cast(extract(dayofweek_iso from {{ date_expression }}) as {{ dbt.type_int() }})
{%- endmacro %}

{#- MySQL's weekday() is Monday = 0 .. Sunday = 6 (and it has no isodow). -#}
{% macro mysql__iso_day_of_week(date_expression) -%}
    (weekday({{ date_expression }}) + 1)
{%- endmacro %}

{#- The integer key of dim_date (YYYYMMDD) for a date; null stays null. -#}
{% macro date_key(date_expression) -%}
    ({{ date_part('year', date_expression) }} * 10000
        + {{ date_part('month', date_expression) }} * 100
        + {{ date_part('day', date_expression) }})
{%- endmacro %}

{#- A part (year, quarter, month, day) of a date as a number. dbt-core ships no
    cross-database date_part, and extract() is the spelling every engine we target
    understands. -#}
{% macro date_part(datepart, date_expression) -%}
    {{ return(adapter.dispatch('date_part', 'sales_insights')(datepart, date_expression)) }}
{%- endmacro %}

{% macro default__date_part(datepart, date_expression) -%}
    extract({{ datepart }} from {{ date_expression }})
{%- endmacro %}
