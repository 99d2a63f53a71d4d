{%- set landed_columns = ['customer_id', 'requested_at'] %}

with source as (

    select * from {{ raw_source('privacy_office', 'erasure_requests') }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        coalesce({{ clean_text('customer_id') }}, '') as record_key,

        {{ clean_text('customer_id') }} as customer_id,
        {{ parse_timestamp('requested_at') }} as requested_at,

        case
            when {{ clean_text('customer_id') }} is null then 'missing_customer_id'
            when {{ clean_text('requested_at') }} is null then 'missing_requested_at'
            when {{ parse_timestamp('requested_at') }} is null then 'unparsable_requested_at'
        end as invalid_reason
    from source

),

{#- one request per customer is enough: repeats are set aside -#}
{{ assign_quarantine_reason('parsed', ['customer_id'], none, 'repeated_request') }}

select * from deduplicated
