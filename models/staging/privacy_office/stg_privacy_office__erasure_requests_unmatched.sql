{#- The privacy office's landed erasure requests that name no customer the warehouse
    holds (after the same normalisation: customer_number()). They stay in force, but
    nothing was erased for them: a mistyped number, or a customer not landed yet. One row
    per distinct request; no customer number, no pseudonym (as in the register): the
    request is found again by its landed timestamp or its keyed fingerprint. D101. -#}
with erasure_requests as (

    select * from {{ ref('base_privacy_office__erasure_requests') }}

),

final as (

    select
        row_fingerprint as erasure_request_id,
        record_key as landed_requested_at,
        requested_at,
        quarantine_reason
    from erasure_requests
    where
        matches_a_customer = 0
        and fingerprint_occurrence = 1
        and quarantine_reason <> 'missing_customer_id'

)

select * from final
