with manufacturing_costs as (

    select * from {{ ref('base_finance__manufacturing_costs') }}
    where quarantine_reason is null

),

renamed as (

    select
        -- ids
        {{ generate_surrogate_key(['product_id', 'fiscal_year']) }} as manufacturing_cost_id,
        product_id,

        -- numerics
        fiscal_year,
        unit_manufacturing_cost
    from manufacturing_costs

)

select * from renamed
