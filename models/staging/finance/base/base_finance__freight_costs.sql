{%- set landed_columns = ['country', 'fiscal_year', 'freight_pct', 'other_cost_pct'] %}

with source as (

    select * from {{ raw_source('finance', 'freight_costs') }}

),

parsed as (

    select
        {{ row_fingerprint(landed_columns) }} as row_fingerprint,
        {{ record_key(['country', 'fiscal_year']) }} as record_key,

        {{ clean_text('country') }} as country,
        {{ parse_integer('fiscal_year') }} as fiscal_year,
        {{ parse_decimal('freight_pct', 18, 6) }} as freight_pct,
        {{ parse_decimal('other_cost_pct', 18, 6) }} as other_cost_pct,

        case
            when {{ clean_text('country') }} is null then 'missing_country'
            when {{ clean_text('fiscal_year') }} is null then 'missing_fiscal_year'
            when {{ parse_integer('fiscal_year') }} is null then 'unparsable_fiscal_year'
            when {{ clean_text('freight_pct') }} is null then 'missing_freight_pct'
            when {{ parse_decimal('freight_pct', 18, 6) }} is null then 'unparsable_freight_pct'
            when
                {{ parse_decimal('freight_pct', 18, 6) }} < 0
                or {{ parse_decimal('freight_pct', 18, 6) }} > 1 then 'freight_pct_out_of_range'
            when {{ is_unparsable('other_cost_pct', parse_decimal('other_cost_pct', 18, 6)) }} then 'unparsable_other_cost_pct'
            when
                {{ parse_decimal('other_cost_pct', 18, 6) }} < 0
                or {{ parse_decimal('other_cost_pct', 18, 6) }} > 1 then 'other_cost_pct_out_of_range'
        end as invalid_reason
    from source

),

{{ assign_quarantine_reason('parsed', ['country', 'fiscal_year'], none, 'conflicting_duplicate_key') }}

select * from deduplicated
