{#- The erasure register itself must not single out the people it erases: no customer
    number and no pseudonym leave this query, and the row fingerprint is keyed (a plain
    hash of a guessable customer number and a timestamp could be reversed). Erasure
    itself is applied from the landed requests (macros/privacy/erasure.sql). A table:
    the keyed fingerprint is computed at build time, where the key is.
    A request is matched after the same normalisation as the customer numbers it targets
    (customer_number()); one that names no landed customer stays in force (a later landing
    of that customer is erased) but is quarantined as `unmatched_customer_id`, never
    counted as applied, and listed in stg_privacy_office__erasure_requests_unmatched (D101). -#}
{{ config(materialized='table') }}

with source as (

    select * from {{ raw_source('privacy_office', 'erasure_requests') }}

),

pseudonymization_key as (

    {{ pseudonymization_key_pads() }}

),

landed_customers as (

    {{ landed_customer_numbers() }}

),

parsed as (

    select
        {{ pseudonymize(dbt.concat([
            "coalesce(" ~ clean_text('customer_id') ~ ", '')", "'|'",
            "coalesce(" ~ clean_text('requested_at') ~ ", '')",
        ]), 'pseudonymization_key') }} as row_fingerprint,
        {{ record_key(['requested_at']) }} as record_key,
        {{ customer_number('customer_id') }} as requested_customer_id,
        {{ parse_timestamp('requested_at') }} as requested_at,
        case
            when landed_customers.landed_customer_id is not null then 1 else 0
        end as matches_a_customer,

        case
            when {{ clean_text('customer_id') }} is null then 'missing_customer_id'
            when {{ clean_text('requested_at') }} is null then 'missing_requested_at'
            when {{ parse_timestamp('requested_at') }} is null then 'unparsable_requested_at'
            when landed_customers.landed_customer_id is null then 'unmatched_customer_id'
        end as invalid_reason
    from source
    cross join pseudonymization_key
    left join landed_customers
        on {{ customer_number('customer_id') }} = landed_customers.landed_customer_id

),

{#- one request per customer is enough: repeats are set aside -#}
{{ assign_quarantine_reason('parsed', ['requested_customer_id'], none, 'repeated_request') }},

final as (

    select
        row_fingerprint,
        fingerprint_occurrence,
        record_key,
        requested_at,
        matches_a_customer,
        invalid_reason,
        version_rank,
        quarantine_reason
    from deduplicated

)

select * from final
