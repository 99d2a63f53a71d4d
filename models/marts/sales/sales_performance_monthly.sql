{#- Monthly sales performance: one row per calendar month × ship-to country × region
    × product category × customer segment × channel × platform, with the same cell's
    revenue one year earlier. Orders and customers are counted distinct within the
    row and do not add up across rows. -#}
with order_lines as (

    select * from {{ ref('int_order_lines_costed') }}

),

monthly as (

    select
        month_start_date,
        country,
        region,
        category,
        customer_segment,
        channel,
        platform,
        fiscal_year,
        fiscal_quarter,
        count(distinct order_id) as orders,
        count(distinct customer_pseudonym) as customers,
        sum(quantity) as units,
        sum(sales_amount) as revenue,
        case when count(list_price_amount) = count(*) then sum(list_price_amount) end as list_price_amount,
        case when count(discount_amount) = count(*) then sum(discount_amount) end as discount_amount
    from order_lines
    group by
        month_start_date,
        country,
        region,
        category,
        customer_segment,
        channel,
        platform,
        fiscal_year,
        fiscal_quarter

),

monthly_numbered as (

    select
        month_start_date,
        country,
        region,
        category,
        customer_segment,
        channel,
        platform,
        fiscal_year,
        fiscal_quarter,
        orders,
        customers,
        units,
        revenue,
        list_price_amount,
        discount_amount,
        cast(
            {{ date_part('year', 'month_start_date') }} * 12 + {{ date_part('month', 'month_start_date') }}
            as {{ dbt.type_int() }}
        ) as month_number
    from monthly

),

year_over_year as (

    select
        month_start_date,
        country,
        region,
        category,
        customer_segment,
        channel,
        platform,
        fiscal_year,
        fiscal_quarter,
        orders,
        customers,
        units,
        revenue,
        list_price_amount,
        discount_amount,
        -- the same cell's month twelve months earlier: a window frame rather than a
        -- self-join, which MariaDB runs as a nested loop over every cell (D89)
        max(revenue) over (
            partition by country, region, category, customer_segment, channel, platform
            order by month_number
            range between 12 preceding and 12 preceding
        ) as prior_year_revenue
    from monthly_numbered

),

final as (

    select
        -- keys
        {{ generate_surrogate_key([
            'month_start_date', 'country', 'region', 'category',
            'customer_segment', 'channel', 'platform',
        ]) }} as sales_performance_monthly_key,

        -- dates
        month_start_date,
        fiscal_year,
        fiscal_quarter,

        -- dimensions
        country,
        region,
        category,
        customer_segment,
        channel,
        platform,

        -- measures
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        cast(customers as {{ dbt.type_bigint() }}) as customers,
        cast(units as {{ dbt.type_bigint() }}) as units,
        cast(revenue as decimal(18, 4)) as revenue,
        cast(list_price_amount as decimal(18, 4)) as list_price_amount,
        cast(discount_amount as decimal(18, 4)) as discount_amount,
        cast({{ divide_decimals('discount_amount', 'list_price_amount', 4) }} as decimal(18, 4))
            as average_discount_pct,
        cast({{ divide_by_count('revenue', 'orders') }} as decimal(18, 2)) as average_order_value,

        -- year over year
        cast(prior_year_revenue as decimal(18, 4)) as prior_year_revenue,
        cast({{ divide_decimals('revenue - prior_year_revenue', 'prior_year_revenue', 4) }} as decimal(18, 4))
            as revenue_yoy_growth_pct
    from year_over_year

)

select * from final
