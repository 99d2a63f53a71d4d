{#- What each customer contributes to each cell of
    open_sales_by_quarter_segment_channel: one row per fiscal quarter × customer
    segment × channel × platform × customer. Never published. -#}
with sales as (

    select * from {{ ref('fct_sales') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

customers as (

    -- the only place this model reads customer identity from
    select
        customer_key,
        customer_pseudonym as customer_identity,
        customer_segment
    from {{ ref('dim_customer') }}

),

order_lines as (

    select
        dates.fiscal_year,
        dates.fiscal_quarter,
        customers.customer_segment,
        sales.channel,
        sales.platform,
        customers.customer_identity,
        sales.order_id,
        sales.quantity,
        sales.sales_amount
    from sales
    inner join dates
        on sales.order_date_key = dates.date_key
    inner join customers
        on sales.customer_key = customers.customer_key

),

final as (

    select
        fiscal_year,
        fiscal_quarter,
        customer_segment,
        channel,
        platform,
        customer_identity,
        cast(count(distinct order_id) as {{ dbt.type_bigint() }}) as orders,
        cast(sum(quantity) as {{ dbt.type_bigint() }}) as units,
        cast(sum(sales_amount) as decimal(18, 4)) as revenue
    from order_lines
    group by
        fiscal_year,
        fiscal_quarter,
        customer_segment,
        channel,
        platform,
        customer_identity

)

select * from final
