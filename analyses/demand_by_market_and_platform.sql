{#- Demand by market and platform: revenue, units and year-over-year growth per fiscal
    year × ship-to country × platform, and each platform's share of the country's
    revenue (how far each market has moved online). Built on
    sales_performance_fiscal_year; the prior year is re-joined after aggregating, so a
    platform that sold last year in a category it no longer sells still counts. -#}
with fiscal_year_cells as (

    select * from {{ ref('sales_performance_fiscal_year') }}

),

market_platforms as (

    select
        fiscal_year,
        country,
        platform,
        sum(units) as units,
        sum(revenue) as revenue
    from fiscal_year_cells
    group by
        fiscal_year,
        country,
        platform

),

with_shares as (

    select
        fiscal_year,
        country,
        platform,
        units,
        revenue,
        revenue / nullif(sum(revenue) over (partition by fiscal_year, country), 0)
            as share_of_country_revenue,
        revenue / nullif(sum(revenue) over (partition by fiscal_year), 0)
            as share_of_company_revenue
    from market_platforms

),

final as (

    select
        this_year.fiscal_year,
        this_year.country,
        this_year.platform,
        this_year.units,
        this_year.revenue,
        round(this_year.share_of_country_revenue, 4) as share_of_country_revenue_pct,
        round(this_year.share_of_company_revenue, 4) as share_of_company_revenue_pct,
        prior_year.revenue as prior_fiscal_year_revenue,
        round((this_year.revenue - prior_year.revenue) / nullif(prior_year.revenue, 0), 4)
            as revenue_yoy_growth_pct
    from with_shares as this_year
    left join market_platforms as prior_year
        on this_year.fiscal_year - 1 = prior_year.fiscal_year
        and this_year.country = prior_year.country
        and this_year.platform = prior_year.platform

)

select * from final
order by fiscal_year asc, revenue desc, country asc, platform asc
