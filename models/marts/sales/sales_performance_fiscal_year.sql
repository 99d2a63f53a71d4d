{#- Fiscal-year sales performance: one row per fiscal year × ship-to country × product
    category × customer segment × channel × platform, with the same cell's revenue in
    the previous fiscal year. Orders and customers are counted distinct within the row
    and do not add up across rows. -#}
with order_lines as (

    select * from {{ ref('int_order_lines_costed') }}

),

fiscal_years as (

    select
        fiscal_year,
        country,
        category,
        customer_segment,
        channel,
        platform,
        count(distinct order_id) as orders,
        count(distinct customer_pseudonym) as customers,
        sum(quantity) as units,
        sum(sales_amount) as revenue
    from order_lines
    group by
        fiscal_year,
        country,
        category,
        customer_segment,
        channel,
        platform

),

year_over_year as (

    select
        this_year.fiscal_year,
        this_year.country,
        this_year.category,
        this_year.customer_segment,
        this_year.channel,
        this_year.platform,
        this_year.orders,
        this_year.customers,
        this_year.units,
        this_year.revenue,
        prior_year.revenue as prior_fiscal_year_revenue
    from fiscal_years as this_year
    left join fiscal_years as prior_year
        on this_year.fiscal_year - 1 = prior_year.fiscal_year
        and this_year.country = prior_year.country
        and this_year.category = prior_year.category
        and this_year.customer_segment = prior_year.customer_segment
        and this_year.channel = prior_year.channel
        and this_year.platform = prior_year.platform

),

final as (

    select
        -- keys
        {{ generate_surrogate_key([
            'fiscal_year', 'country', 'category',
            'customer_segment', 'channel', 'platform',
        ]) }} as sales_performance_fiscal_year_key,

        -- dimensions
        fiscal_year,
        country,
        category,
        customer_segment,
        channel,
        platform,

        -- measures
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        cast(customers as {{ dbt.type_bigint() }}) as customers,
        cast(units as {{ dbt.type_bigint() }}) as units,
        cast(revenue as decimal(18, 4)) as revenue,
        cast({{ divide_by_count('revenue', 'orders') }} as decimal(18, 2)) as average_order_value,

        -- year over year
        cast(prior_fiscal_year_revenue as decimal(18, 4)) as prior_fiscal_year_revenue,
        cast(
            {{ divide_decimals('revenue - prior_fiscal_year_revenue', 'prior_fiscal_year_revenue', 4) }}
            as decimal(18, 4)
        ) as revenue_yoy_growth_pct
    from year_over_year

)

select * from final
