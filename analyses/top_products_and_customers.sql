{#- The top 10 products and the top 10 customers of each fiscal year by revenue, in one
    list (entity_type says which), with their revenue, share and rank. Ranks are the
    marts' row numbers (ties broken by id), so each list has exactly 10 rows per year.
    Customers appear by operational customer number only. -#}
{%- set top_n = 10 %}

with top_products as (

    select * from {{ ref('sales_top_products') }}

),

top_customers as (

    select * from {{ ref('sales_top_customers') }}

),

customer_year_totals as (

    select
        fiscal_year,
        sum(revenue) as fiscal_year_revenue
    from top_customers
    group by
        fiscal_year

),

products as (

    select
        'product' as entity_type,
        fiscal_year,
        revenue_rank,
        product_id as entity_id,
        {{ dbt.concat(['product_name', "' ('", 'category', "')'"]) }} as entity_description,
        orders,
        units,
        revenue,
        share_of_revenue_pct
    from top_products
    where revenue_rank <= {{ top_n }}

),

customers as (

    select
        'customer' as entity_type,
        top_customers.fiscal_year,
        top_customers.revenue_rank,
        top_customers.customer_pseudonym as entity_id,
        {{ dbt.concat(['top_customers.customer_segment', "', '", 'top_customers.country']) }}
            as entity_description,
        top_customers.orders,
        top_customers.units,
        top_customers.revenue,
        round(top_customers.revenue / nullif(customer_year_totals.fiscal_year_revenue, 0), 4)
            as share_of_revenue_pct
    from top_customers
    inner join customer_year_totals
        on top_customers.fiscal_year = customer_year_totals.fiscal_year
    where top_customers.revenue_rank <= {{ top_n }}

),

final as (

    select * from products
    union all
    select * from customers

)

select * from final
order by fiscal_year, entity_type, revenue_rank
