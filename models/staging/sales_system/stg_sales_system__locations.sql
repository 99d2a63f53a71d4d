with locations as (

    select * from {{ ref('base_sales_system__locations') }}
    where quarantine_reason is null

),

renamed as (

    select
        -- ids
        location_id,

        -- strings
        location_name,
        location_type,
        coalesce(city, 'Unknown') as city,
        coalesce(region, 'Unknown') as region,
        coalesce(country, 'Unknown') as country,

        -- dates
        opened_on
    from locations

)

select * from renamed
