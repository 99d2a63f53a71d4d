{%- set landed_columns = ['product_id', 'fiscal_year', 'unit_manufacturing_cost'] %}

with source as (

    select * from {{ raw_source('finance', 'manufacturing_costs') }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        {{ record_key(['product_id', 'fiscal_year']) }} as record_key,

        {{ clean_text('product_id') }} as product_id,
        {{ parse_integer('fiscal_year') }} as fiscal_year,
        {{ parse_decimal('unit_manufacturing_cost') }} as unit_manufacturing_cost,

        case
            when {{ clean_text('product_id') }} is null then 'missing_product_id'
            when {{ clean_text('fiscal_year') }} is null then 'missing_fiscal_year'
            when {{ parse_integer('fiscal_year') }} is null then 'unparsable_fiscal_year'
            when {{ clean_text('unit_manufacturing_cost') }} is null then 'missing_unit_manufacturing_cost'
            when {{ parse_decimal('unit_manufacturing_cost') }} is null then 'unparsable_unit_manufacturing_cost'
            when {{ parse_decimal('unit_manufacturing_cost') }} < 0 then 'negative_unit_manufacturing_cost'
        end as invalid_reason
    from source

),

{{ assign_quarantine_reason('parsed', ['product_id', 'fiscal_year'], none, 'conflicting_duplicate_key') }}

select * from deduplicated
