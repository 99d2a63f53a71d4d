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
    of fct_warehouse_changes' landed entries: order_lines or stock_positions), and that
    also rebuilds the keys `upstream` (a model's name) restamped, if given. -#}
{% macro incremental_rebuild_config(unit, landed_kind, upstream=none) -%}
    {{ return(adapter.dispatch('incremental_rebuild_config', 'sales_insights')(unit, landed_kind, upstream)) }}
{%- endmacro %}

{% macro default__incremental_rebuild_config(unit, landed_kind, upstream) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': unit.column,
        'on_schema_change': 'append_new_columns',
        'pre_hook': "{{ delete_rebuilt_keys('" ~ unit.name ~ "', '" ~ unit.column ~ "', '" ~ landed_kind ~ "', "
            ~ ("'" ~ upstream ~ "'" if upstream else "none") ~ ") }}",
    }) }}
{%- endmacro %}

{% macro spark__incremental_rebuild_config(unit, landed_kind, upstream) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [unit.column],
        'on_schema_change': 'append_new_columns',
    }) }}
{%- endmacro %}

{#- Pre-hook: before an incremental run, delete the rows of the keys landed since the
    latest change the model has applied (and those `upstream` restamped since, for a
    model that reads an incremental one), and every row when a relanding is among them.
    delete+insert deletes only the keys it inserts, so without this a day every order
    left would stay. The model's select finds the same keys and
    inserts what is left of them. On Spark, whose insert_overwrite replaces the
    partitions it writes, nothing is deleted (docs: D136). -#}
{% macro delete_rebuilt_keys(unit_name, column, landed_kind, upstream=none) -%}
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
            {%- set unit = {'name': unit_name, 'column': column, 'landed_key': landed_change_key(unit_name)} -%}
            {%- set keys = keys_landed_or_restamped_since(
                "'" ~ applied ~ "'", unit, landed_kind, ref(upstream) if upstream else none) -%}
            {{ adapter.dispatch('delete_rebuilt_keys', 'sales_insights')(column, keys) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro default__delete_rebuilt_keys(column, keys) -%}
    delete from {{ this }}
    where {{ column }} in ({{ keys }})
{%- endmacro %}

{#- MariaDB before 11.1 runs a single-table DELETE's IN subquery once per row (see
    incremental_delete in macros/cross_db/mysql_adapter.sql): a join to the distinct keys. -#}
{% macro mysql__delete_rebuilt_keys(column, keys) -%}
    delete {{ this }}
    from {{ this }}
    inner join (
        select distinct rebuilt.rebuilt_key
        from ({{ keys }}) as rebuilt
    ) as rebuilt_keys
        on {{ this }}.{{ column }} = rebuilt_keys.rebuilt_key
{%- endmacro %}

{#- The index of a rebuilt model's `_applied_change_id` on PostgreSQL (a list for the
    `indexes` config): a data test of the rows a run rebuilt (D137) reads the latest
    stamp and those rows through it, where it would read the whole table twice. MariaDB
    is left without: the column's type there is not always indexable (a cast to char). -#}
{% macro applied_change_indexes() -%}
    {{ return([{'columns': ['_applied_change_id']}] if target.type == 'postgres' else []) }}
{%- endmacro %}

{#- The first day of the month of a date, as a date. -#}
{% macro month_start(date_expression) -%}
    cast({{ dbt.date_trunc('month', date_expression) }} as date)
{%- endmacro %}
