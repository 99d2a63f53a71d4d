with products as (

    select * from {{ ref('base_sales_system__products') }}
    where quarantine_reason is null

),

renamed as (

    select
        -- ids
        product_id,
        supplier_id,

        -- strings
        product_name,
        coalesce(category, 'Unknown') as category,
        coalesce(sub_category, 'Unknown') as sub_category,
        coalesce(brand, 'Unknown') as brand,

        -- numerics
        unit_list_price,
        unit_standard_cost,

        -- booleans
        discontinued_on is not null as is_discontinued,

        -- dates
        launched_on,
        discontinued_on,

        -- timestamps
        updated_at
    from products

)

select * from renamed
