{#
    Helpers some engines need as database functions, created at the start of every run
    (`on-run-start` in dbt_project.yml). DuckDB needs none.
#}
{% macro create_engine_helpers() -%}
    {{ return(adapter.dispatch('create_engine_helpers', 'sales_insights')()) }}
{%- endmacro %}

{% macro default__create_engine_helpers() -%}
    select 1 as no_engine_helpers_needed
{%- endmacro %}

{#
    PostgreSQL has no try_cast: a well-formed but impossible date (2024-02-30) would fail
    the whole statement. These functions return null instead, like DuckDB's try_cast.
#}
{% macro postgres__create_engine_helpers() -%}
    create schema if not exists {{ target.schema }};
    create or replace function {{ target.schema }}.try_cast_date(value text) returns date
    language plpgsql immutable as $body$
    begin
        return value::date;
    exception when others then
        return null;
    end
    $body$;
    create or replace function {{ target.schema }}.try_cast_timestamp(value text) returns timestamp
    language plpgsql immutable as $body$
    begin
        return value::timestamp;
    exception when others then
        return null;
    end
    $body$
{%- endmacro %}
