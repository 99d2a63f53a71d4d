{#- Reconciliation: revenue and units of sales_performance_daily and
    sales_performance_monthly equal the fct_sales totals (exact: the sums are decimals
    and integers). Returns one row per mart that differs, with both sides. -#}
with sales as (

    select * from {{ ref('fct_sales') }}

),

daily as (

    select * from {{ ref('sales_performance_daily') }}

),

monthly as (

    select * from {{ ref('sales_performance_monthly') }}

),

fact_totals as (

    select
        coalesce(sum(quantity), 0) as units,
        coalesce(sum(sales_amount), 0) as revenue
    from sales

),

mart_totals as (

    select
        'sales_performance_daily' as mart_name,
        coalesce(sum(units), 0) as units,
        coalesce(sum(sales_amount), 0) as revenue
    from daily

    union all

    select
        'sales_performance_monthly' as mart_name,
        coalesce(sum(units), 0) as units,
        coalesce(sum(revenue), 0) as revenue
    from monthly

),

compared as (

    select
        mart_totals.mart_name,
        fact_totals.units as fact_units,
        mart_totals.units as mart_units,
        fact_totals.revenue as fact_revenue,
        mart_totals.revenue as mart_revenue
    from mart_totals
    cross join fact_totals

),

final as (

    select * from compared
    where fact_units <> mart_units
        or fact_revenue <> mart_revenue

)

select * from final
