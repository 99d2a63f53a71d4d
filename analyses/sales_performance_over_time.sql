{#- Sales performance over time: revenue, units, orders and average order value per
    calendar month for the whole company, with the same month a year earlier, the
    year-over-year growth and the fiscal-year-to-date revenue.
    Revenue and units add up from sales_performance_monthly; orders do not (an order
    with lines in two categories is in two rows), so they are re-counted from fct_sales. -#}
with monthly_cells as (

    select * from {{ ref('sales_performance_monthly') }}

),

sales as (

    select * from {{ ref('fct_sales') }}

),

monthly_revenue as (

    select
        month_start_date,
        fiscal_year,
        fiscal_quarter,
        sum(units) as units,
        sum(revenue) as revenue
    from monthly_cells
    group by
        month_start_date,
        fiscal_year,
        fiscal_quarter

),

monthly_orders as (

    select
        cast({{ dbt.date_trunc('month', 'order_date') }} as date) as month_start_date,
        count(distinct order_id) as orders
    from sales
    group by
        cast({{ dbt.date_trunc('month', 'order_date') }} as date)

),

months as (

    select
        monthly_revenue.month_start_date,
        monthly_revenue.fiscal_year,
        monthly_revenue.fiscal_quarter,
        monthly_revenue.units,
        monthly_revenue.revenue,
        monthly_orders.orders,
        cast({{ dbt.dateadd('year', -1, 'monthly_revenue.month_start_date') }} as date)
            as prior_year_month_start_date
    from monthly_revenue
    left join monthly_orders
        on monthly_revenue.month_start_date = monthly_orders.month_start_date

),

final as (

    select
        this_year.month_start_date,
        this_year.fiscal_year,
        this_year.fiscal_quarter,
        this_year.units,
        this_year.orders,
        this_year.revenue,
        round(this_year.revenue / nullif(this_year.orders, 0), 2) as average_order_value,
        prior_year.revenue as prior_year_revenue,
        round((this_year.revenue - prior_year.revenue) / nullif(prior_year.revenue, 0), 4)
            as revenue_yoy_growth_pct,
        sum(this_year.revenue) over (
            partition by this_year.fiscal_year
            order by this_year.month_start_date
            rows between unbounded preceding and current row
        ) as fiscal_year_to_date_revenue
    from months as this_year
    left join months as prior_year
        on this_year.prior_year_month_start_date = prior_year.month_start_date

)

select * from final
order by month_start_date
