{#- Additivity of the P&L mart (D117): per fiscal year, the sum of every amount and
    coverage column over the mart's cells equals the same sum over the costed order
    lines (exact: 8-decimal amounts, no rounding in between). Returns one row per
    fiscal year that differs, with both sides. -#}
with order_lines as (

    select * from {{ ref('int_order_lines_costed') }}

),

profit_and_loss as (

    select * from {{ ref('sales_profit_and_loss') }}

),

line_totals as (

    select
        fiscal_year,
        count(*) as order_lines,
        sum(case when gross_margin_amount is not null then 1 else 0 end) as order_lines_fully_costed,
        coalesce(sum(gross_sales_amount), 0) as gross_sales_amount,
        coalesce(sum(post_invoice_deduction_amount), 0) as post_invoice_deduction_amount,
        coalesce(sum(net_sales_amount), 0) as net_sales_amount,
        coalesce(sum(freight_cost_amount), 0) as freight_cost_amount,
        coalesce(sum(other_cost_amount), 0) as other_cost_amount,
        coalesce(sum(manufacturing_cost_amount), 0) as manufacturing_cost_amount,
        coalesce(sum(gross_margin_amount), 0) as gross_margin_amount,
        coalesce(sum(case when gross_margin_amount is not null then net_sales_amount end), 0)
            as net_sales_amount_fully_costed
    from order_lines
    group by fiscal_year

),

cell_totals as (

    select
        fiscal_year,
        sum(order_lines) as order_lines,
        sum(order_lines_fully_costed) as order_lines_fully_costed,
        sum(gross_sales_amount) as gross_sales_amount,
        sum(post_invoice_deduction_amount) as post_invoice_deduction_amount,
        sum(net_sales_amount) as net_sales_amount,
        sum(freight_cost_amount) as freight_cost_amount,
        sum(other_cost_amount) as other_cost_amount,
        sum(manufacturing_cost_amount) as manufacturing_cost_amount,
        sum(gross_margin_amount) as gross_margin_amount,
        sum(net_sales_amount_fully_costed) as net_sales_amount_fully_costed
    from profit_and_loss
    group by fiscal_year

),

compared as (

    select
        line_totals.fiscal_year,
        line_totals.order_lines as line_order_lines,
        cell_totals.order_lines as cell_order_lines,
        line_totals.gross_margin_amount as line_gross_margin_amount,
        cell_totals.gross_margin_amount as cell_gross_margin_amount,
        case
            when cell_totals.fiscal_year is null then 'fiscal year missing from the mart'
            when line_totals.order_lines <> cell_totals.order_lines then 'order_lines'
            when line_totals.order_lines_fully_costed <> cell_totals.order_lines_fully_costed
                then 'order_lines_fully_costed'
            when line_totals.gross_sales_amount <> cell_totals.gross_sales_amount then 'gross_sales_amount'
            when line_totals.post_invoice_deduction_amount <> cell_totals.post_invoice_deduction_amount
                then 'post_invoice_deduction_amount'
            when line_totals.net_sales_amount <> cell_totals.net_sales_amount then 'net_sales_amount'
            when line_totals.freight_cost_amount <> cell_totals.freight_cost_amount then 'freight_cost_amount'
            when line_totals.other_cost_amount <> cell_totals.other_cost_amount then 'other_cost_amount'
            when line_totals.manufacturing_cost_amount <> cell_totals.manufacturing_cost_amount
                then 'manufacturing_cost_amount'
            when line_totals.gross_margin_amount <> cell_totals.gross_margin_amount then 'gross_margin_amount'
            when line_totals.net_sales_amount_fully_costed <> cell_totals.net_sales_amount_fully_costed
                then 'net_sales_amount_fully_costed'
        end as differing_column
    from line_totals
    left join cell_totals
        on line_totals.fiscal_year = cell_totals.fiscal_year

),

final as (

    select * from compared
    where differing_column is not null

)

select * from final
