{#- Reconciliation: the P&L's gross sales (the invoiced amount after the on-invoice
    discount) equal fct_sales revenue (exact: the sums are decimals). Returns one row,
    with both sides, only when they differ. -#}
with sales as (

    select * from {{ ref('fct_sales') }}

),

profit_and_loss as (

    select * from {{ ref('sales_profit_and_loss') }}

),

fact_totals as (

    select
        count(*) as order_lines,
        coalesce(sum(sales_amount), 0) as revenue
    from sales

),

profit_and_loss_totals as (

    select
        coalesce(sum(order_lines), 0) as order_lines,
        coalesce(sum(gross_sales_amount), 0) as gross_sales_amount
    from profit_and_loss

),

compared as (

    select
        fact_totals.order_lines as fact_order_lines,
        profit_and_loss_totals.order_lines as profit_and_loss_order_lines,
        fact_totals.revenue as fact_revenue,
        profit_and_loss_totals.gross_sales_amount as profit_and_loss_gross_sales_amount
    from fact_totals
    cross join profit_and_loss_totals

),

final as (

    select * from compared
    where fact_order_lines <> profit_and_loss_order_lines
        or fact_revenue <> profit_and_loss_gross_sales_amount

)

select * from final
