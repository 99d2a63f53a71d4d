with erasure_requests as (

    select * from {{ ref('base_privacy_office__erasure_requests') }}
    where quarantine_reason is null

),

renamed as (

    select
        -- ids
        row_fingerprint as erasure_request_id,

        -- timestamps
        requested_at
    from erasure_requests

)

select * from renamed
