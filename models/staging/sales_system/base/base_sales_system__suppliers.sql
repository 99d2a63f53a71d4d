{%- set landed_columns = [
    'supplier_id', 'supplier_name', 'country', 'contact_name', 'contact_email',
    'lead_time_days', 'updated_at',
] %}

with source as (

    select * from {{ raw_source('sales_system', 'suppliers') }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        {{ record_key(['supplier_id']) }} as record_key,

        {{ clean_text('supplier_id') }} as supplier_id,
        {{ clean_text('supplier_name') }} as supplier_name,
        {{ clean_text('country') }} as country,
        {{ parse_integer('lead_time_days') }} as lead_time_days,
        {{ parse_timestamp('updated_at') }} as updated_at,

        case
            when {{ clean_text('supplier_id') }} is null then 'missing_supplier_id'
            when {{ clean_text('supplier_name') }} is null then 'missing_supplier_name'
            when {{ is_unparsable('lead_time_days', parse_integer('lead_time_days')) }} then 'unparsable_lead_time_days'
            when {{ parse_integer('lead_time_days') }} < 0 then 'negative_lead_time_days'
            when {{ is_unparsable('updated_at', parse_timestamp('updated_at')) }} then 'unparsable_updated_at'
        end as invalid_reason
    from source

),

{{ assign_quarantine_reason('parsed', ['supplier_id'], 'updated_at') }}

select * from deduplicated
