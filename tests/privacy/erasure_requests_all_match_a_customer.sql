{#- Warns (the build stays green) for every erasure request that names no customer the
    warehouse holds: nothing was erased for it. The privacy office checks the number it
    sent; stg_privacy_office__erasure_requests_unmatched lists them. D101. -#}
{{ config(severity='warn') }}

select
    erasure_request_id,
    landed_requested_at
from {{ ref('stg_privacy_office__erasure_requests_unmatched') }}
