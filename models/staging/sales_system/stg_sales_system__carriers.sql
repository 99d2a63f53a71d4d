with carriers as (

    select * from {{ ref('base_sales_system__carriers') }}
    where quarantine_reason is null

),

renamed as (

    select
        -- ids
        carrier_id,

        -- strings
        carrier_name,
        coalesce(service_level, 'unknown') as service_level,

        -- timestamps
        updated_at
    from carriers

)

select * from renamed
