{#- Freight and other costs by market: per fiscal year × ship-to country, freight and
    other costs as a share of net sales, from sales_profit_and_loss.
    A line has a freight cost when its country has a freight rate for the year and its
    customer a deduction rate (freight is charged on net sales). The P&L's amounts are
    additive (D117), so the rates are measured on exactly the lines that have a freight
    cost, and freight_coverage_pct says what share of gross sales those lines are (line
    grain, not complete cells); order_lines_missing_freight_rate points to the
    country-years whose freight rate is missing from the finance export. -#}
with profit_and_loss as (

    select * from {{ ref('sales_profit_and_loss') }}

),

markets as (

    select
        fiscal_year,
        country,
        sum(gross_sales_amount) as gross_sales_amount,
        sum(gross_sales_amount_with_freight_cost) as covered_gross_sales_amount,
        sum(net_sales_amount_with_freight_cost) as covered_net_sales_amount,
        sum(freight_cost_amount) as covered_freight_cost_amount,
        sum(other_cost_amount) as covered_other_cost_amount,
        sum(order_lines) as order_lines,
        sum(order_lines_missing_freight_rate) as order_lines_missing_freight_rate
    from profit_and_loss
    group by
        fiscal_year,
        country

),

final as (

    select
        fiscal_year,
        country,
        gross_sales_amount,
        covered_net_sales_amount,
        covered_freight_cost_amount,
        covered_other_cost_amount,
        round(covered_freight_cost_amount / nullif(covered_net_sales_amount, 0), 4)
            as freight_cost_pct_of_net_sales,
        round(covered_other_cost_amount / nullif(covered_net_sales_amount, 0), 4)
            as other_cost_pct_of_net_sales,
        round(covered_gross_sales_amount / nullif(gross_sales_amount, 0), 4)
            as freight_coverage_pct,
        order_lines,
        order_lines_missing_freight_rate,
        order_lines_missing_freight_rate = order_lines as is_freight_rate_missing
    from markets

)

select * from final
order by fiscal_year, country
