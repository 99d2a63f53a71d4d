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
    config that the table lacks, named ix_<table>_<n> (cut to MySQL's 64 characters);
    nothing on the engines whose adapter builds them or that need none. A table model
    is a new table at every build; an incremental one keeps its indexes between runs and
    is new only on its first run or a full refresh, so its existing indexes are read
    first (MySQL 8 has no `add index if not exists`). -#}
{% macro create_engine_indexes() -%}
    {{ return(adapter.dispatch('create_engine_indexes', 'sales_insights')()) }}
{%- endmacro %}

{% macro default__create_engine_indexes() -%}
{%- endmacro %}

{% macro mysql__create_engine_indexes() -%}
    {%- set indexes = config.get('indexes') or [] -%}
    {%- set materialized = model.config.materialized -%}
    {%- if indexes and materialized in ('table', 'incremental') -%}
        {%- set existing = [] -%}
        {%- if execute and materialized == 'incremental' -%}
            {%- set existing_indexes = run_query(
                "select distinct index_name from information_schema.statistics"
                ~ " where table_schema = '" ~ this.schema ~ "' and table_name = '" ~ this.identifier ~ "'"
            ) -%}
            {%- set existing = existing_indexes.columns[0].values() | map('lower') | list -%}
        {%- endif -%}
        {%- set missing = [] -%}
        {%- for index in indexes -%}
            {%- set name = 'ix_' ~ this.identifier[:56] ~ '_' ~ loop.index -%}
            {%- if name | lower not in existing -%}
                {%- do missing.append((name, index['columns'])) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing -%}
        alter table {{ this }}
        {%- for name, columns in missing %}
            add index {{ name }} ({{ columns | join(', ') }})
            {{- ',' if not loop.last }}
        {%- endfor %}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
