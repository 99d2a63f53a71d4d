{{ config(**incremental_by_landing_batch_config('sales_system', 'sales_order_lines')) }}
{#- an incremental run replaces its keys: the row stores find them by index, -#}
{#- and fct_warehouse_changes finds the rows changed since it last looked, and their orders -#}
{{ config(indexes=engine_indexes([
    {'columns': ['record_key']},
    {'columns': ['_changed_batch_id']},
    {'columns': ['order_id']},
])) }}

{%- set landed_columns = [
    'order_id', 'order_line_number', 'order_date', 'ship_date', 'ship_mode', 'carrier_id',
    'customer_id', 'customer_name', 'customer_email', 'customer_phone', 'customer_birth_date',
    'segment', 'channel', 'platform', 'country', 'region', 'state_province', 'city',
    'postal_code', 'store_id', 'product_id', 'product_name', 'category', 'sub_category',
    'quantity', 'unit_price', 'discount', 'sales_amount', 'profit_amount', 'currency',
    'updated_at',
] %}

{%- set landed = raw_source('sales_system', 'sales_order_lines') %}
{%- set erasure_requests = raw_source('privacy_office', 'erasure_requests') %}

{%- set erasure_requested_since_last_build = none %}
{%- if is_incremental() %}
    {%- set erasure_requested_since_last_build -%}
        {{ customer_number('customer_id') }} in (
            select {{ customer_number('customer_id') }}
            from {{ erasure_requests }}
            where {{ landed_since_last_build(erasure_requests) }}
        )
    {%- endset %}
{%- endif %}

with source as (

    -- on an incremental run, the lines landed since the last build and the lines of each
    -- customer whose erasure request landed since (macros/incremental/landing_batches.sql)
    {{ landed_rows_to_process(landed, ['order_id', 'order_line_number'], erasure_requested_since_last_build) }}

),

customer_pseudonyms as (

    {{ customer_pseudonyms('source') }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        {{ record_key(['order_id', 'order_line_number']) }} as record_key,

        -- ids
        {{ clean_text('order_id') }} as order_id,
        {{ parse_integer('order_line_number') }} as order_line_number,
        customer_pseudonyms.customer_pseudonym,
        {{ clean_text('product_id') }} as product_id,
        {{ clean_text('carrier_id') }} as carrier_id,
        {{ clean_text('store_id') }} as store_id,

        -- strings
        {{ clean_text('ship_mode') }} as ship_mode,
        {{ clean_text('segment') }} as segment,
        {{ clean_text('channel') }} as channel,
        {{ clean_text('platform') }} as platform,
        {{ clean_text('country') }} as country,
        {{ clean_text('region') }} as region,
        {{ clean_text('state_province') }} as state_province,
        {{ clean_text('city') }} as city,
        {{ clean_text('product_name') }} as product_name,
        {{ clean_text('category') }} as category,
        {{ clean_text('sub_category') }} as sub_category,
        upper(coalesce({{ clean_text('currency') }}, '{{ var("reporting_currency") }}')) as currency,

        -- numerics
        {{ parse_integer('quantity') }} as quantity,
        {{ parse_decimal('unit_price') }} as unit_price,
        {{ parse_decimal('discount') }} as discount,
        {{ parse_decimal('sales_amount') }} as sales_amount,
        {{ parse_decimal('profit_amount') }} as profit_amount,

        -- dates
        {{ parse_date('order_date') }} as order_date,
        {{ parse_date('ship_date') }} as ship_date,
        -- the birth date itself is personal data and stays in the restricted model;
        -- staging keeps only whether it parsed, for the age band
        {{ parse_date('customer_birth_date') }} as customer_birth_date,

        -- timestamps
        {{ parse_timestamp('updated_at') }} as updated_at,

        -- the landing that brought the row, and the latest change of the row (D134)
        {{ landing_batch_id(landed) }} as _landing_batch_id,
        {{ row_change_batch_id(landed, 'sales_order_lines', 'customer_pseudonyms.erasure_batch_id') }}
            as _changed_batch_id,

        -- the first contract rule the row breaks, in the documented order
        case
            when {{ clean_text('order_id') }} is null then 'missing_order_id'
            when {{ clean_text('order_line_number') }} is null then 'missing_order_line_number'
            when {{ parse_integer('order_line_number') }} is null then 'unparsable_order_line_number'
            when {{ clean_text('order_date') }} is null then 'missing_order_date'
            when {{ parse_date('order_date') }} is null then 'unparsable_order_date'
            when {{ customer_number('customer_id') }} is null then 'missing_customer_id'
            when {{ clean_text('customer_name') }} is null then 'missing_customer_name'
            when {{ clean_text('country') }} is null then 'missing_country'
            when {{ clean_text('product_id') }} is null then 'missing_product_id'
            when {{ clean_text('quantity') }} is null then 'missing_quantity'
            when {{ parse_integer('quantity') }} is null then 'unparsable_quantity'
            when {{ parse_integer('quantity') }} <= 0 then 'non_positive_quantity'
            when {{ clean_text('sales_amount') }} is null then 'missing_sales_amount'
            when {{ parse_decimal('sales_amount') }} is null then 'unparsable_sales_amount'
            when {{ parse_decimal('sales_amount') }} < 0 then 'negative_sales_amount'
            when {{ is_unparsable('ship_date', parse_date('ship_date')) }} then 'unparsable_ship_date'
            when {{ parse_date('ship_date') }} < {{ parse_date('order_date') }} then 'ship_before_order'
            when {{ is_unparsable('discount', parse_decimal('discount')) }} then 'unparsable_discount'
            when {{ parse_decimal('discount') }} < 0 or {{ parse_decimal('discount') }} > 1 then 'discount_out_of_range'
            when
                upper(coalesce({{ clean_text('currency') }}, '{{ var("reporting_currency") }}'))
                <> '{{ var("reporting_currency") }}' then 'unsupported_currency'
            when {{ is_unparsable('unit_price', parse_decimal('unit_price')) }} then 'unparsable_unit_price'
            when {{ parse_decimal('unit_price') }} < 0 then 'negative_unit_price'
            when {{ is_unparsable('profit_amount', parse_decimal('profit_amount')) }} then 'unparsable_profit_amount'
            when {{ is_unparsable('updated_at', parse_timestamp('updated_at')) }} then 'unparsable_updated_at'
        end as invalid_reason
    from source
    left join customer_pseudonyms
        on {{ customer_number('customer_id') }} = customer_pseudonyms.customer_number

),

{{ assign_quarantine_reason(
    'parsed', ['order_id', 'order_line_number'], 'updated_at', landing_batch_column='_landing_batch_id'
) }},

final as (

    select
        row_fingerprint,
        fingerprint_occurrence,
        record_key,
        quarantine_reason,

        order_id,
        order_line_number,
        customer_pseudonym,
        product_id,
        carrier_id,
        store_id,

        ship_mode,
        segment,
        channel,
        platform,
        country,
        region,
        state_province,
        city,
        product_name,
        category,
        sub_category,
        currency,

        quantity,
        unit_price,
        discount,
        sales_amount,
        profit_amount,

        order_date,
        ship_date,
        {{ age_band('customer_birth_date', 'order_date') }} as customer_age_band,

        updated_at,
        _landing_batch_id,
        _changed_batch_id
    from deduplicated

)

select * from final
