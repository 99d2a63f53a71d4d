{#
    Base models that process only what landed since their last build (issue 18, D130).

    Every landing (the bulk loader, the extract-load) is a batch: its id, 20 digits of its
    UTC start time, is on every raw row it wrote (`_landing_batch_id`) and in the raw
    schema's ledger `_load_ledger` (one row per table, with its mode: replace, append,
    delete; docs/landing.md). A base model built this way carries each row's batch id, so
    the latest batch it has built is `max(_landing_batch_id)` of its own rows, and an
    incremental run:

    - re-reads from raw every version of every record key that has a row landed since
      (plus the keys a model adds, such as an erased customer's lines), and processes
      them exactly as a full build does: parsing, contract rules, dedup, supersession.
      The model replaces those keys (delete+insert by `record_key`), so a late
      correction moves the superseded row to quarantine in the same run;
    - starts again from an empty table when the raw table was replaced or had rows
      deleted since (a `replace` or `delete` ledger row newer than the latest built
      batch): the pre-hook below empties it, so every landed row is a new row again.

    A raw table without the column (the committed sample landed by `dbt seed`, or a
    table another tool landed) is processed in full at every run. On Spark the base
    models stay tables: parquet has no DELETE, and insert_overwrite replaces partitions,
    not keys.
#}

{% macro incremental_by_landing_batch_config(source_name, table_name) -%}
    {%- if target.type == 'spark' or var('raw_data_from_seeds') -%}
        {{ return({'materialized': 'table'}) }}
    {%- endif -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'record_key',
        'on_schema_change': 'append_new_columns',
        'pre_hook': "{{ empty_when_landing_replaced('" ~ source_name ~ "', '" ~ table_name ~ "') }}",
    }) }}
{%- endmacro %}

{#- Whether `relation` has the column named (only known when a model runs; a unit
    test's fixture, which is not a relation, has none). -#}
{% macro relation_has_column(relation, column_name) -%}
    {%- if not execute or relation is none or relation is string or not relation.identifier or not relation.schema -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(column_name in (relation_column_names(relation) or [])) }}
{%- endmacro %}

{#- The landing batch of each raw row of `relation`, null where the raw table has none. -#}
{% macro landing_batch_id(relation) -%}
    {%- if not var('raw_data_from_seeds') and relation_has_column(relation, '_landing_batch_id') -%}
        _landing_batch_id
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- The latest batch this model has built, '' when it has none (an SQL expression). -#}
{% macro latest_built_landing_batch() -%}
    {%- if relation_has_column(this, '_landing_batch_id') -%}
        (select coalesce(max(built._landing_batch_id), '') from (select _landing_batch_id from {{ this }}) as built)
    {%- else -%}
        ''
    {%- endif -%}
{%- endmacro %}

{#- A filter on the raw rows of `relation` (aliased or not): those landed after the
    latest batch this model has built. A raw row without a batch id (landed before batches
    were recorded) counts as landed before any batch; a raw table without the column is
    new in full at every run. -#}
{% macro landed_since_last_build(relation, qualifier=none) -%}
    {%- if relation_has_column(relation, '_landing_batch_id') -%}
        coalesce({{ qualifier ~ '.' if qualifier }}_landing_batch_id, '0') > {{ latest_built_landing_batch() }}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- The body of a base model's `source` CTE: the landed rows of `landed`; on an
    incremental run, every landed version of each record key (`key_columns`, as
    record_key() builds it) that has a row landed since the last build or a row matching
    `also_changed` (a condition on the landed row), so that each key is processed whole,
    exactly as in a full build. -#}
{% macro landed_rows_to_process(landed, key_columns, also_changed=none) -%}
    select * from {{ landed }}
    {%- if is_incremental() %}
    where {{ record_key(key_columns) }} in (
        select {{ record_key(key_columns) }}
        from {{ landed }}
        where
            {{ landed_since_last_build(landed) }}
            {%- if also_changed %}
            or {{ also_changed }}
            {%- endif %}
    )
    {%- endif %}
{%- endmacro %}

{#- Pre-hook: empty the model when its raw table was replaced, or had rows deleted, after
    the latest batch it has built (or has no batch ids at all), so that it is rebuilt
    from every landed row. The latest built batch is read in a derived table because
    MySQL refuses a DELETE whose subquery reads the table it deletes from. -#}
{% macro empty_when_landing_replaced(source_name, table_name) -%}
    {%- if is_incremental() -%}
        {%- set landed = source(source_name, table_name) -%}
        {%- if relation_has_column(landed, '_landing_batch_id') and relation_has_column(this, '_landing_batch_id') -%}
            {%- set ledger = api.Relation.create(
                database=landed.database, schema=landed.schema, identifier='_load_ledger') -%}
            delete from {{ this }}
            where {{ latest_built_landing_batch() }} < (
                select max(landing_batch_id)
                from {{ ledger }}
                where table_name = '{{ table_name }}' and load_mode in ('replace', 'delete')
            )
        {%- else -%}
            delete from {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- A landing batch for a rewrite of landed rows done by dbt itself (the erasure purge):
    {id, ledger}, or none where the raw table records no batches. Its id follows the
    loader's format (raw_loader/engines.py next_batch_id: the UTC time to the
    microsecond, 20 digits) and is greater than every id in the ledger. -#}
{% macro landing_batch_of_a_rewrite(landed) -%}
    {%- set ledger = api.Relation.create(database=landed.database, schema=landed.schema, identifier='_load_ledger') -%}
    {%- if not relation_has_column(landed, '_landing_batch_id') or not relation_has_column(ledger, 'landing_batch_id') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set latest = run_query("select max(landing_batch_id) from " ~ ledger).columns[0].values()[0] -%}
    {%- set now_id = modules.datetime.datetime.utcnow().strftime('%Y%m%d%H%M%S%f') -%}
    {%- if latest is not none and latest | string >= now_id -%}
        {%- set now_id = '%020d' | format((latest | string | int) + 1) -%}
    {%- endif -%}
    {{ return({'id': now_id, 'ledger': ledger}) }}
{%- endmacro %}

{% macro record_landing_batch_sql(batch, table_name, load_mode, row_count) -%}
    insert into {{ batch.ledger }} (table_name, row_count, load_mode, loaded_at, landing_batch_id)
    values (
        '{{ table_name }}', '{{ row_count }}', '{{ load_mode }}',
        '{{ modules.datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M:%S') }}', '{{ batch.id }}'
    )
{%- endmacro %}
