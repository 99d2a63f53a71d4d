with post_invoice_deductions as (

    select * from {{ ref('base_finance__post_invoice_deductions') }}
    where quarantine_reason is null

),

renamed as (

    select
        -- ids
        {{ generate_surrogate_key(['customer_pseudonym', 'fiscal_year']) }} as post_invoice_deduction_id,
        customer_pseudonym,

        -- numerics
        fiscal_year,
        deduction_pct
    from post_invoice_deductions

)

select * from renamed
