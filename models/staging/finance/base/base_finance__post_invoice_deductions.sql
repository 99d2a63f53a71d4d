{#- A table, not a view: pseudonyms are computed once, at build time, where the key is;
    a view would need the key in every session that reads it. -#}
{{ config(
    materialized='table',
    indexes=engine_indexes([
        {'columns': ['customer_pseudonym', 'fiscal_year']},
    ]),
) }}

{%- set landed_columns = ['customer_id', 'fiscal_year', 'deduction_pct'] %}

with source as (

    select * from {{ raw_source('finance', 'post_invoice_deductions') }}

),

pseudonymization_key as (

    {{ pseudonymization_key_pads() }}

),

erased_customers as (

    {{ erased_customer_numbers() }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        {{ dbt.concat([
            "coalesce(" ~ pseudonymize_customer(customer_number('customer_id'), 'pseudonymization_key', 'erased_customers') ~ ", '')", "'|'",
            "coalesce(" ~ clean_text('fiscal_year') ~ ", '')",
        ]) }} as record_key,

        {{ pseudonymize_customer(customer_number('customer_id'), 'pseudonymization_key', 'erased_customers') }} as customer_pseudonym,
        {{ parse_integer('fiscal_year') }} as fiscal_year,
        {{ parse_decimal('deduction_pct', 18, 6) }} as deduction_pct,

        case
            when erased_customers.erased_customer_id is not null then 'customer_erased'
            when {{ customer_number('customer_id') }} is null then 'missing_customer_id'
            when {{ clean_text('fiscal_year') }} is null then 'missing_fiscal_year'
            when {{ parse_integer('fiscal_year') }} is null then 'unparsable_fiscal_year'
            when {{ clean_text('deduction_pct') }} is null then 'missing_deduction_pct'
            when {{ parse_decimal('deduction_pct', 18, 6) }} is null then 'unparsable_deduction_pct'
            when
                {{ parse_decimal('deduction_pct', 18, 6) }} < 0
                or {{ parse_decimal('deduction_pct', 18, 6) }} > 1 then 'deduction_pct_out_of_range'
        end as invalid_reason
    from source
    cross join pseudonymization_key
    left join erased_customers
        on {{ customer_number('customer_id') }} = erased_customers.erased_customer_id

),

{{ assign_quarantine_reason('parsed', ['customer_pseudonym', 'fiscal_year'], none, 'conflicting_duplicate_key') }}

select * from deduplicated
