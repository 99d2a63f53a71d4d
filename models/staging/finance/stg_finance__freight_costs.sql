with freight_costs as (

    select * from {{ ref('base_finance__freight_costs') }}
    where quarantine_reason is null

),

renamed as (

    select
        -- ids
        {{ generate_surrogate_key(['country', 'fiscal_year']) }} as freight_cost_id,

        -- strings
        country,

        -- numerics
        fiscal_year,
        freight_pct,
        -- other costs are optional in the export (policy: default 0)
        coalesce(other_cost_pct, 0) as other_cost_pct
    from freight_costs

)

select * from renamed
