{#- Daily sales performance: one row per order date × ship-to area × product version
    × customer segment × channel × platform, with the attributes of each. Orders are
    counted distinct within the row and do not add up across rows. -#}
with order_lines as (

    select * from {{ ref('int_order_lines_costed') }}

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
            as average_discount_pct
    from daily

)

select * from final
