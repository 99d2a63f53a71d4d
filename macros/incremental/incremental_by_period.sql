{#
    The facts are incremental by period: an incremental run rebuilds every month (of the
    order date, of the snapshot date) that holds a changed row, in full, and leaves the
    other months alone (which months changed: macros/incremental/changes.sql).
    Rebuilding whole months rather than single rows gives the same result as a full
    refresh on every engine, moved rows included, and maps onto each engine's cheapest
    path (docs/decisions.md):

    - delete+insert keyed by the month (DuckDB, PostgreSQL; dbt-mysql 1.7's own
      incremental materialization is a delete by unique_key then an insert, the same thing);
    - insert_overwrite of the month partitions on Spark (parquet has no MERGE or DELETE).

    A model calls `config(**incremental_by_period_config('<month column>'))`.
#}
{% macro incremental_by_period_config(period_column) -%}
    {{ return(adapter.dispatch('incremental_by_period_config', 'sales_insights')(period_column)) }}
{%- endmacro %}

{% macro default__incremental_by_period_config(period_column) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': period_column,
        'on_schema_change': 'append_new_columns',
    }) }}
{%- endmacro %}

{% macro spark__incremental_by_period_config(period_column) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [period_column],
        'on_schema_change': 'append_new_columns',
    }) }}
{%- endmacro %}

{#- The first day of the month of a date, as a date. -#}
{% macro month_start(date_expression) -%}
    cast({{ dbt.date_trunc('month', date_expression) }} as date)
{%- endmacro %}
