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

monthly_with_prior_year_month as (

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
        cast({{ dbt.dateadd('year', -1, 'month_start_date') }} as date) as prior_year_month_start_date
    from monthly

),

year_over_year as (

    select
        this_year.month_start_date,
        this_year.country,
        this_year.region,
        this_year.category,
        this_year.customer_segment,
        this_year.channel,
        this_year.platform,
        this_year.fiscal_year,
        this_year.fiscal_quarter,
        this_year.orders,
        this_year.customers,
        this_year.units,
        this_year.revenue,
        this_year.list_price_amount,
        this_year.discount_amount,
        prior_year.revenue as prior_year_revenue
    from monthly_with_prior_year_month as this_year
    left join monthly as prior_year
        on this_year.prior_year_month_start_date = prior_year.month_start_date
        and this_year.country = prior_year.country
        and this_year.region = prior_year.region
        and this_year.category = prior_year.category
        and this_year.customer_segment = prior_year.customer_segment
        and this_year.channel = prior_year.channel
        and this_year.platform = prior_year.platform

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
        cast(round(revenue, 2) as decimal(18, 2)) as revenue,
        cast(round(list_price_amount, 2) as decimal(18, 2)) as list_price_amount,
        cast(round(discount_amount, 2) as decimal(18, 2)) as discount_amount,
        cast({{ divide_decimals('discount_amount', 'list_price_amount', 4) }} as decimal(18, 4))
            as average_discount_pct,
        cast({{ divide_by_count('revenue', 'orders') }} as decimal(18, 2)) as average_order_value,

        -- year over year
        cast(round(prior_year_revenue, 2) as decimal(18, 2)) as prior_year_revenue,
        cast({{ divide_decimals('revenue - prior_year_revenue', 'prior_year_revenue', 4) }} as decimal(18, 4))
            as revenue_yoy_growth_pct
    from year_over_year

)

select * from final
