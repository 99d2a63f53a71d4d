{#- The erasure register itself must not single out the people it erases: no customer
    number and no pseudonym leave this query, and the row fingerprint is keyed (a plain
    hash of a guessable customer number and a timestamp could be reversed). Erasure
    itself is applied from the landed requests (macros/privacy/erasure.sql). A table:
    the keyed fingerprint is computed at build time, where the key is. -#}
{{ config(materialized='table') }}

with source as (

    select * from {{ raw_source('privacy_office', 'erasure_requests') }}

),

pseudonymization_key as (

    {{ pseudonymization_key_pads() }}

),

parsed as (

    select
        {{ pseudonymize(dbt.concat([
            "coalesce(" ~ clean_text('customer_id') ~ ", '')", "'|'",
            "coalesce(" ~ clean_text('requested_at') ~ ", '')",
        ]), 'pseudonymization_key') }} as row_fingerprint,
        coalesce({{ clean_text('requested_at') }}, '') as record_key,
        {{ clean_text('customer_id') }} as requested_customer_id,
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
{{ assign_quarantine_reason('parsed', ['requested_customer_id'], none, 'repeated_request') }},

final as (

    select
        row_fingerprint,
        fingerprint_occurrence,
        record_key,
        requested_at,
        invalid_reason,
        version_rank,
        quarantine_reason
    from deduplicated

)

select * from final
