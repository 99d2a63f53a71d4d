{#- What each customer contributes to each cell of
    open_sales_by_quarter_segment_channel: one row per fiscal quarter × customer
    segment × channel × platform × customer. Order lines with an unknown segment,
    channel or platform are pooled into one cell per quarter, `Unknown` in all three
    (global recoding, D135): scattered over every combination they are too sparse to
    publish, pooled they usually are. Never published. -#}
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
        customers.customer_segment = 'Unknown'
        or sales.channel = 'Unknown'
        or sales.platform = 'Unknown' as has_unknown_member,
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

recoded_order_lines as (

    select
        fiscal_year,
        fiscal_quarter,
        case when has_unknown_member then 'Unknown' else customer_segment end as customer_segment,
        case when has_unknown_member then 'Unknown' else channel end as channel,
        case when has_unknown_member then 'Unknown' else platform end as platform,
        customer_identity,
        order_id,
        quantity,
        sales_amount
    from order_lines

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
    from recoded_order_lines
    group by
        fiscal_year,
        fiscal_quarter,
        customer_segment,
        channel,
        platform,
        customer_identity

)

select * from final
