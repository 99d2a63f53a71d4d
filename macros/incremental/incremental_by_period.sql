{#
    An incremental model rebuilds whole units (macros/incremental/changes.sql says which
    changed): every row of a changed order, day or month, in full, and leaves the others
    alone. Rebuilding whole units rather than single rows gives the same result as a full
    refresh on every engine, moved rows included, and maps onto each engine's cheapest
    path (D134, D136):

    - delete+insert keyed by the unit (DuckDB, PostgreSQL; dbt-mysql 1.7's own
      incremental materialization is a delete by unique_key then an insert, the same thing);
    - insert_overwrite of month partitions on Spark (parquet has no MERGE or DELETE, and
      a partition per order or per day would be thousands of small files): there every
      unit is the month.

    A model takes its unit once and configures itself with it:

        {%- set unit = rebuild_unit('order', {'order': 'order_id', 'month': 'order_month_start_date'}) %}
        {{ config(**incremental_rebuild_config(unit, 'order_lines')) }}
#}

{#- The unit a model rebuilds by: its name ('order', 'day' or 'month'), its column in the
    model (`columns`: the unit's name → the column; every model names its month for
    Spark), and the same key of a landed change of fct_warehouse_changes (`landed_key`,
    an expression on the log's columns: an order's entries name it in entity_id, and
    their affected_from is the day). -#}
{% macro rebuild_unit(unit, columns) -%}
    {%- set unit = 'month' if target.type == 'spark' else unit -%}
    {{ return({'name': unit, 'column': columns[unit], 'landed_key': landed_change_key(unit)}) }}
{%- endmacro %}

{#- The key of unit `unit_name` that a landed change of fct_warehouse_changes names (an
    expression on the log's columns). -#}
{% macro landed_change_key(unit_name) -%}
    {%- if unit_name == 'order' -%}
        entity_id
    {%- elif unit_name == 'day' -%}
        cast(affected_from as date)
    {%- else -%}
        {{ month_start('affected_from') }}
    {%- endif -%}
{%- endmacro %}

{#- The config of a model rebuilt by `unit`, whose rows land as `landed_kind` (the kind
    of fct_warehouse_changes' landed entries: order_lines or stock_positions). -#}
{% macro incremental_rebuild_config(unit, landed_kind) -%}
    {{ return(adapter.dispatch('incremental_rebuild_config', 'sales_insights')(unit, landed_kind)) }}
{%- endmacro %}

{% macro default__incremental_rebuild_config(unit, landed_kind) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': unit.column,
        'on_schema_change': 'append_new_columns',
        'pre_hook': "{{ delete_landed_keys('" ~ unit.name ~ "', '" ~ unit.column ~ "', '" ~ landed_kind ~ "') }}",
    }) }}
{%- endmacro %}

{% macro spark__incremental_rebuild_config(unit, landed_kind) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [unit.column],
        'on_schema_change': 'append_new_columns',
    }) }}
{%- endmacro %}

{#- Pre-hook: before an incremental run, delete the rows of the keys landed since the
    latest change the model has applied, and every row when a relanding is among them.
    delete+insert deletes only the keys it inserts, so without this an order whose every
    line left (quarantined by a correction), or a day every order left, would stay. The
    model's select finds the same keys in the log and inserts what is left of them. On
    Spark, whose insert_overwrite replaces the partitions it writes, nothing is deleted
    (docs: D136). -#}
{% macro delete_landed_keys(unit_name, column, landed_kind) -%}
    {%- if execute and is_incremental() and relation_has_column(this, '_applied_change_id') -%}
        {%- set changes = ref('fct_warehouse_changes') -%}
        {%- set applied = run_query(
            "select coalesce(max(_applied_change_id), '') from " ~ this
        ).columns[0].values()[0] -%}
        {%- set relandings = run_query(
            "select count(*) from " ~ changes ~ " where change_kind = '" ~ landed_kind
            ~ "' and change_type = 'relanded' and change_id > '" ~ applied ~ "'"
        ).columns[0].values()[0] -%}
        {%- if relandings | int > 0 -%}
            delete from {{ this }}
        {%- else -%}
            {{ adapter.dispatch('delete_landed_keys', 'sales_insights')(column, landed_change_key(unit_name), changes, landed_kind, applied) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro default__delete_landed_keys(column, landed_key, changes, landed_kind, applied) -%}
    delete from {{ this }}
    where {{ column }} in (
        select {{ landed_key }}
        from {{ changes }}
        where change_kind = '{{ landed_kind }}' and change_type = 'landed' and change_id > '{{ applied }}'
    )
{%- endmacro %}

{#- MariaDB before 11.1 runs a single-table DELETE's IN subquery once per row (see
    incremental_delete in macros/cross_db/mysql_adapter.sql): a join to the distinct keys. -#}
{% macro mysql__delete_landed_keys(column, landed_key, changes, landed_kind, applied) -%}
    delete {{ this }}
    from {{ this }}
    inner join (
        select distinct {{ landed_key }} as landed_key
        from {{ changes }}
        where change_kind = '{{ landed_kind }}' and change_type = 'landed' and change_id > '{{ applied }}'
    ) as landed_keys
        on {{ this }}.{{ column }} = landed_keys.landed_key
{%- endmacro %}

{#- The first day of the month of a date, as a date. -#}
{% macro month_start(date_expression) -%}
    cast({{ dbt.date_trunc('month', date_expression) }} as date)
{%- endmacro %}
