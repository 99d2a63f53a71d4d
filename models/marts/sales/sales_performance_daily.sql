{%- set unit = rebuild_unit('day', {'day': 'order_date', 'month': 'month_start_date'}) %}
{{ config(**incremental_rebuild_config(unit, 'order_lines', 'int_order_lines_costed')) }}
{{ config(indexes=engine_indexes([{'columns': ['order_date']}]) + applied_change_indexes()) }}

{#- Daily sales performance: one row per order date × ship-to area × product version
    × customer segment × channel × platform, with the attributes of each. Orders are
    counted distinct within the row and do not add up across rows.

    Incremental by order date (D134, D136; by month on Spark): a run rebuilds the days
    of the orders int_order_lines_costed rebuilt since this table's latest change, and
    the days orders landed since left. -#}
-- depends_on: {{ ref('fct_warehouse_changes') }}
with order_lines as (

    {% if is_incremental() %}
        {{ order_lines_rebuilt_upstream(ref('int_order_lines_costed'), unit) }}
    {% else %}
        select * from {{ ref('int_order_lines_costed') }}
    {% endif %}

),

daily as (

    select
        -- grain
        order_date,
        ship_to_location_key,
        product_key,
        customer_segment,
        channel,
        platform,

        -- attributes of the grain
        order_date_key,
        month_start_date,
        fiscal_year,
        fiscal_quarter,
        country,
        region,
        state_province,
        city,
        product_id,
        product_name,
        category,
        sub_category,

        -- measures
        count(*) as order_lines,
        count(distinct order_id) as orders,
        sum(quantity) as units,
        case when count(list_price_amount) = count(*) then sum(list_price_amount) end as list_price_amount,
        case when count(discount_amount) = count(*) then sum(discount_amount) end as discount_amount,
        sum(sales_amount) as sales_amount,
        case when count(profit_amount) = count(*) then sum(profit_amount) end as profit_amount
    from order_lines
    group by
        order_date,
        ship_to_location_key,
        product_key,
        customer_segment,
        channel,
        platform,
        order_date_key,
        month_start_date,
        fiscal_year,
        fiscal_quarter,
        country,
        region,
        state_province,
        city,
        product_id,
        product_name,
        category,
        sub_category

),

final as (

    select
        -- keys
        {{ generate_surrogate_key([
            'order_date', 'ship_to_location_key', 'product_key',
            'customer_segment', 'channel', 'platform',
        ]) }} as sales_performance_daily_key,
        order_date_key,
        ship_to_location_key,
        product_key,

        -- dates
        order_date,
        month_start_date,
        fiscal_year,
        fiscal_quarter,

        -- ship-to geography
        country,
        region,
        state_province,
        city,

        -- product
        product_id,
        product_name,
        category,
        sub_category,

        -- customer and order attributes
        customer_segment,
        channel,
        platform,

        -- measures
        cast(order_lines as {{ dbt.type_bigint() }}) as order_lines,
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        cast(units as {{ dbt.type_bigint() }}) as units,
        cast(list_price_amount as decimal(18, 4)) as list_price_amount,
        cast(discount_amount as decimal(18, 4)) as discount_amount,
        cast(sales_amount as decimal(18, 4)) as sales_amount,
        cast(profit_amount as decimal(18, 4)) as profit_amount,
        cast({{ divide_decimals('discount_amount', 'list_price_amount', 4) }} as decimal(18, 4))
            as average_discount_pct,

        -- the latest change applied
        {{ latest_applied_change_id(ref('int_order_lines_costed')) }} as _applied_change_id
    from daily

)

select * from final
