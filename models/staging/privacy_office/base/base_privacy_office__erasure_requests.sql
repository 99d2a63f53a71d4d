{#- A table, not a view: pseudonyms are computed once, at build time, where the key is;
    a view would need the key in every session that reads it. -#}
{{ config(materialized='table') }}

{%- set landed_columns = ['customer_id', 'requested_at'] %}

with source as (

    select * from {{ raw_source('privacy_office', 'erasure_requests') }}

),

pseudonymization_key as (

    {{ pseudonymization_key_pads() }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        coalesce({{ pseudonymize(clean_text('customer_id'), 'pseudonymization_key') }}, '') as record_key,

        {{ pseudonymize(clean_text('customer_id'), 'pseudonymization_key') }} as customer_pseudonym,
        {{ parse_timestamp('requested_at') }} as requested_at,

        case
            when {{ clean_text('customer_id') }} is null then 'missing_customer_id'
            when {{ clean_text('requested_at') }} is null then 'missing_requested_at'
            when {{ parse_timestamp('requested_at') }} is null then 'unparsable_requested_at'
        end as invalid_reason
    from source
    cross join pseudonymization_key

),

{#- one request per customer is enough: repeats are set aside -#}
{{ assign_quarantine_reason('parsed', ['customer_pseudonym'], none, 'repeated_request') }}

select * from deduplicated
