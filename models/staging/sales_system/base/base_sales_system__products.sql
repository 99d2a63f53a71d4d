{%- set landed_columns = [
    'product_id', 'product_name', 'category', 'sub_category', 'brand', 'supplier_id',
    'unit_list_price', 'unit_standard_cost', 'launched_on', 'discontinued_on', 'updated_at',
] %}

with source as (

    select * from {{ raw_source('sales_system', 'products') }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        {{ record_key(['product_id']) }} as record_key,

        {{ clean_text('product_id') }} as product_id,
        {{ clean_text('supplier_id') }} as supplier_id,

        {{ clean_text('product_name') }} as product_name,
        {{ clean_text('category') }} as category,
        {{ clean_text('sub_category') }} as sub_category,
        {{ clean_text('brand') }} as brand,

        {{ parse_decimal('unit_list_price') }} as unit_list_price,
        {{ parse_decimal('unit_standard_cost') }} as unit_standard_cost,

        {{ parse_date('launched_on') }} as launched_on,
        {{ parse_date('discontinued_on') }} as discontinued_on,

        {{ parse_timestamp('updated_at') }} as updated_at,

        case
            when {{ clean_text('product_id') }} is null then 'missing_product_id'
            when {{ clean_text('product_name') }} is null then 'missing_product_name'
            when {{ is_unparsable('unit_list_price', parse_decimal('unit_list_price')) }} then 'unparsable_unit_list_price'
            when {{ is_unparsable('unit_standard_cost', parse_decimal('unit_standard_cost')) }} then 'unparsable_unit_standard_cost'
            when {{ parse_decimal('unit_list_price') }} < 0 or {{ parse_decimal('unit_standard_cost') }} < 0 then 'negative_price_or_cost'
            when {{ is_unparsable('launched_on', parse_date('launched_on')) }} then 'unparsable_launched_on'
            when {{ is_unparsable('discontinued_on', parse_date('discontinued_on')) }} then 'unparsable_discontinued_on'
            when {{ is_unparsable('updated_at', parse_timestamp('updated_at')) }} then 'unparsable_updated_at'
        end as invalid_reason
    from source

),

{{ assign_quarantine_reason('parsed', ['product_id'], 'updated_at') }}

select * from deduplicated
