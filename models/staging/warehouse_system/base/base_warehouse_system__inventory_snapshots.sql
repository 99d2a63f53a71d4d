{{ config(**incremental_by_landing_batch_config('warehouse_system', 'inventory_snapshots')) }}
{#- an incremental run replaces its keys, and fct_warehouse_changes finds the rows changed
    since it last looked: the row stores find both by index -#}
{{ config(indexes=engine_indexes([{'columns': ['record_key']}, {'columns': ['_changed_batch_id']}])) }}

{%- set landed_columns = [
    'snapshot_date', 'environment', 'warehouse_id', 'product_id', 'quantity_on_hand',
    'quantity_reserved', 'reorder_point', 'unit_cost', 'currency',
] %}

{%- set landed = raw_source('warehouse_system', 'inventory_snapshots') %}
{%- set key_columns = ['snapshot_date', 'environment', 'warehouse_id', 'product_id'] %}

with source as (

    -- on an incremental run, the positions landed since the last build
    -- (macros/incremental/landing_batches.sql)
    {{ landed_rows_to_process(landed, key_columns) }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        {{ record_key(key_columns) }} as record_key,

        -- ids
        {{ clean_text('warehouse_id') }} as warehouse_id,
        {{ clean_text('product_id') }} as product_id,

        -- strings
        lower({{ clean_text('environment') }}) as environment,
        upper(coalesce({{ clean_text('currency') }}, '{{ var("reporting_currency") }}')) as currency,

        -- numerics
        {{ parse_integer('quantity_on_hand') }} as quantity_on_hand,
        {{ parse_integer('quantity_reserved') }} as quantity_reserved,
        {{ parse_integer('reorder_point') }} as reorder_point,
        {{ parse_decimal('unit_cost') }} as unit_cost,

        -- dates
        {{ parse_date('snapshot_date') }} as snapshot_date,

        case
            when {{ clean_text('snapshot_date') }} is null then 'missing_snapshot_date'
            when {{ parse_date('snapshot_date') }} is null then 'unparsable_snapshot_date'
            when {{ clean_text('environment') }} is null then 'missing_environment'
            when lower({{ clean_text('environment') }}) not in ('production', 'test') then 'invalid_environment'
            when {{ clean_text('warehouse_id') }} is null then 'missing_warehouse_id'
            when {{ clean_text('product_id') }} is null then 'missing_product_id'
            when {{ clean_text('quantity_on_hand') }} is null then 'missing_quantity_on_hand'
            when {{ parse_integer('quantity_on_hand') }} is null then 'unparsable_quantity_on_hand'
            when {{ parse_integer('quantity_on_hand') }} < 0 then 'negative_quantity_on_hand'
            when {{ is_unparsable('quantity_reserved', parse_integer('quantity_reserved')) }} then 'unparsable_quantity_reserved'
            when {{ parse_integer('quantity_reserved') }} < 0 then 'negative_quantity_reserved'
            when {{ is_unparsable('reorder_point', parse_integer('reorder_point')) }} then 'unparsable_reorder_point'
            when {{ is_unparsable('unit_cost', parse_decimal('unit_cost')) }} then 'unparsable_unit_cost'
            when {{ parse_decimal('unit_cost') }} < 0 then 'negative_unit_cost'
            when
                upper(coalesce({{ clean_text('currency') }}, '{{ var("reporting_currency") }}'))
                <> '{{ var("reporting_currency") }}' then 'unsupported_currency'
        end as invalid_reason,

        -- the landing that brought the row, and the latest change of the row (D134)
        {{ landing_batch_id(landed) }} as _landing_batch_id,
        {{ row_change_batch_id(landed, 'inventory_snapshots') }} as _changed_batch_id
    from source

),

{{ assign_quarantine_reason(
    'parsed',
    key_columns,
    none,
    'conflicting_duplicate_key',
    landing_batch_column='_landing_batch_id',
) }}

select * from deduplicated
