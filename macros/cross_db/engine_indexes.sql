{#
    Secondary indexes for a model, on the engines where a query needs them. PostgreSQL
    (row store) gets them; DuckDB scans columns and keeps min/max zone maps, so an
    index there would only slow the build. Each model documents why its indexes exist.
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
