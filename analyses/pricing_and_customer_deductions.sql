{#- Price realisation per fiscal year × channel: from list-price sales through the
    on-invoice discount to the invoiced revenue, and on to net sales after the
    post-invoice deductions (rebates) granted to customers.
    Discount depth comes from sales_performance_monthly. Deductions come from
    sales_profit_and_loss, whose deductions are summed over the lines with a deduction
    rate (D117): the rate is measured on exactly those lines, and
    deduction_coverage_pct says what share of revenue they are (line grain). -#}
with monthly_cells as (

    select * from {{ ref('sales_performance_monthly') }}

),

profit_and_loss as (

    select * from {{ ref('sales_profit_and_loss') }}

),

discounts as (

    select
        fiscal_year,
        channel,
        sum(revenue) as revenue,
        sum(list_price_amount) as list_price_sales_amount,
        sum(discount_amount) as discount_amount,
        sum(case when list_price_amount is null then revenue else 0 end)
            as revenue_without_list_price
    from monthly_cells
    group by
        fiscal_year,
        channel

),

deductions as (

    select
        fiscal_year,
        channel,
        sum(gross_sales_amount) as gross_sales_amount,
        sum(gross_sales_amount_with_deduction_rate) as covered_gross_sales_amount,
        sum(post_invoice_deduction_amount) as covered_post_invoice_deduction_amount,
        sum(order_lines_missing_deduction_rate) as order_lines_missing_deduction_rate
    from profit_and_loss
    group by
        fiscal_year,
        channel

),

final as (

    select
        discounts.fiscal_year,
        discounts.channel,
        discounts.list_price_sales_amount,
        discounts.discount_amount,
        discounts.revenue,
        discounts.revenue_without_list_price,
        round(discounts.discount_amount / nullif(discounts.list_price_sales_amount, 0), 4)
            as discount_depth_pct,
        deductions.covered_post_invoice_deduction_amount,
        round(
            deductions.covered_post_invoice_deduction_amount
            / nullif(deductions.covered_gross_sales_amount, 0), 4
        ) as post_invoice_deduction_pct,
        round(deductions.covered_gross_sales_amount / nullif(deductions.gross_sales_amount, 0), 4)
            as deduction_coverage_pct,
        deductions.order_lines_missing_deduction_rate
    from discounts
    left join deductions
        on discounts.fiscal_year = deductions.fiscal_year
        and discounts.channel = deductions.channel

)

select * from final
order by fiscal_year, channel
