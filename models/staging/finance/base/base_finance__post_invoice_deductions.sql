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

customer_pseudonyms as (

    {{ customer_pseudonyms('source') }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        {{ dbt.concat([
            "coalesce(customer_pseudonyms.customer_pseudonym, '')", "'|'",
            "coalesce(" ~ clean_text('fiscal_year') ~ ", '')",
        ]) }} as record_key,

        customer_pseudonyms.customer_pseudonym,
        {{ parse_integer('fiscal_year') }} as fiscal_year,
        {{ parse_decimal('deduction_pct', 18, 6) }} as deduction_pct,

        case
            when customer_pseudonyms.customer_pseudonym = {{ erased_customer_pseudonym() }} then 'customer_erased'
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
    left join customer_pseudonyms
        on {{ customer_number('customer_id') }} = customer_pseudonyms.customer_number

),

{{ assign_quarantine_reason('parsed', ['customer_pseudonym', 'fiscal_year'], none, 'conflicting_duplicate_key') }}

select * from deduplicated
