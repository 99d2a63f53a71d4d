{#- Supplier contacts are personal data: they are in the restricted PII model only. -#}
with suppliers as (

    select * from {{ ref('base_sales_system__suppliers') }}
    where quarantine_reason is null

),

renamed as (

    select
        -- ids
        supplier_id,

        -- strings
        supplier_name,
        coalesce(country, 'Unknown') as country,

        -- numerics
        lead_time_days,

        -- timestamps
        updated_at
    from suppliers

)

select * from renamed
