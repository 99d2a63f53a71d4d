{#- Reconciliation: fct_sales carries exactly the usable order lines of staging, with
    the same revenue and units (exact: the sums are decimals and integers). Returns one
    row, with both sides, only when they differ. -#}
with staged_order_lines as (

    select * from {{ ref('stg_sales_system__order_lines') }}

),

sales as (

    select * from {{ ref('fct_sales') }}

),

staged_totals as (

    select
        count(*) as order_lines,
        coalesce(sum(quantity), 0) as units,
        coalesce(sum(sales_amount), 0) as sales_amount
    from staged_order_lines

),

fact_totals as (

    select
        count(*) as order_lines,
        coalesce(sum(quantity), 0) as units,
        coalesce(sum(sales_amount), 0) as sales_amount
    from sales

),

compared as (

    select
        staged_totals.order_lines as staged_order_lines,
        fact_totals.order_lines as fact_order_lines,
        staged_totals.units as staged_units,
        fact_totals.units as fact_units,
        staged_totals.sales_amount as staged_sales_amount,
        fact_totals.sales_amount as fact_sales_amount
    from staged_totals
    cross join fact_totals

),

final as (

    select * from compared
    where staged_order_lines <> fact_order_lines
        or staged_units <> fact_units
        or staged_sales_amount <> fact_sales_amount

)

select * from final
