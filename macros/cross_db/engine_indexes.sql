{#
    Secondary indexes for a model, on the engines where a query needs them. PostgreSQL
    and MySQL (row stores) get them; DuckDB scans columns and keeps min/max zone maps,
    so an index there would only slow the build. Each model documents why its indexes
    exist. PostgreSQL's adapter builds the `indexes` config itself; MySQL's ignores it,
    so there `create_engine_indexes()` (a post-hook on the marts) adds them.
#}
{% macro engine_indexes(indexes) -%}
    {{ return(adapter.dispatch('engine_indexes', 'sales_insights')(indexes)) }}
{%- endmacro %}

{% macro default__engine_indexes(indexes) -%}
    {{ return([]) }}
{%- endmacro %}

{% macro postgres__engine_indexes(indexes) -%}
    {{ return(indexes) }}
{%- endmacro %}

{% macro mysql__engine_indexes(indexes) -%}
    {{ return(indexes) }}
{%- endmacro %}

{#- The post-hook: one `alter table` that adds every index of the model's `indexes`
    config, named ix_<table>_<n> (cut to MySQL's 64 characters); nothing on
    the engines whose adapter builds them or that need none. -#}
{% macro create_engine_indexes() -%}
    {{ return(adapter.dispatch('create_engine_indexes', 'sales_insights')()) }}
{%- endmacro %}

{% macro default__create_engine_indexes() -%}
{%- endmacro %}

{% macro mysql__create_engine_indexes() -%}
    {%- set indexes = config.get('indexes') or [] -%}
    {%- if indexes and model.config.materialized == 'table' -%}
        alter table {{ this }}
        {%- for index in indexes %}
            add index ix_{{ this.identifier[:56] }}_{{ loop.index }} ({{ index['columns'] | join(', ') }})
            {{- ',' if not loop.last }}
        {%- endfor %}
    {%- endif -%}
{%- endmacro %}
