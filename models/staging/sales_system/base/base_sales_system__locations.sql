{%- set landed_columns = [
    'location_id', 'location_name', 'location_type', 'city', 'region', 'country', 'opened_on',
] %}

with source as (

    select * from {{ raw_source('sales_system', 'locations') }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        {{ record_key(['location_id']) }} as record_key,

        {{ clean_text('location_id') }} as location_id,
        {{ clean_text('location_name') }} as location_name,
        lower({{ clean_text('location_type') }}) as location_type,
        {{ clean_text('city') }} as city,
        {{ clean_text('region') }} as region,
        {{ clean_text('country') }} as country,
        {{ parse_date('opened_on') }} as opened_on,

        case
            when {{ clean_text('location_id') }} is null then 'missing_location_id'
            when {{ clean_text('location_name') }} is null then 'missing_location_name'
            when {{ clean_text('location_type') }} is null then 'missing_location_type'
            when lower({{ clean_text('location_type') }}) not in ('store', 'distribution_center', 'online')
                then 'invalid_location_type'
            when {{ is_unparsable('opened_on', parse_date('opened_on')) }} then 'unparsable_opened_on'
        end as invalid_reason
    from source

),

{{ assign_quarantine_reason('parsed', ['location_id'], none, 'conflicting_duplicate_key') }}

select * from deduplicated
