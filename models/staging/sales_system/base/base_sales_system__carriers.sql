{%- set landed_columns = ['carrier_id', 'carrier_name', 'service_level', 'updated_at'] %}

with source as (

    select * from {{ raw_source('sales_system', 'carriers') }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        {{ record_key(['carrier_id']) }} as record_key,

        {{ clean_text('carrier_id') }} as carrier_id,
        {{ clean_text('carrier_name') }} as carrier_name,
        lower({{ clean_text('service_level') }}) as service_level,
        {{ parse_timestamp('updated_at') }} as updated_at,

        case
            when {{ clean_text('carrier_id') }} is null then 'missing_carrier_id'
            when {{ clean_text('carrier_name') }} is null then 'missing_carrier_name'
            when lower({{ clean_text('service_level') }}) not in ('economy', 'standard', 'express')
                then 'invalid_service_level'
            when {{ is_unparsable('updated_at', parse_timestamp('updated_at')) }} then 'unparsable_updated_at'
        end as invalid_reason
    from source

),

{{ assign_quarantine_reason('parsed', ['carrier_id'], 'updated_at') }}

select * from deduplicated
