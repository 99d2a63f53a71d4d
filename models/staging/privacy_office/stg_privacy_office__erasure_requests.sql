with erasure_requests as (

    select * from {{ ref('base_privacy_office__erasure_requests') }}
    where quarantine_reason is null

),

renamed as (

    select
        -- ids
        customer_pseudonym,

        -- timestamps
        requested_at
    from erasure_requests

)

select * from renamed
