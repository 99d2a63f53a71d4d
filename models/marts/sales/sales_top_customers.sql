{#- Customers ranked by revenue within each fiscal year. Every customer who bought in
    the year has a row; filter on revenue_rank for a top N. Ranks are row numbers:
    unique within the year, ties broken by customer_pseudonym. Identified by the keyed
    pseudonym only: no names or contact details. -#}
with order_lines as (

    select * from {{ ref('int_order_lines_costed') }}
    -- the erased member stands for many people, not for a customer to rank
    where customer_pseudonym <> {{ erased_customer_pseudonym() }}

),

customer_years as (

    select
        fiscal_year,
        customer_pseudonym,
        count(distinct order_id) as orders,
        sum(quantity) as units,
        sum(sales_amount) as revenue
    from order_lines
    group by
        fiscal_year,
        customer_pseudonym

),

-- the customer as described by their version on their last order date in the fiscal year
customer_descriptions_ranked as (

    select
        fiscal_year,
        customer_pseudonym,
        customer_segment,
        customer_country,
        row_number() over (
            partition by fiscal_year, customer_pseudonym
            order by order_date desc, order_line_key asc
        ) as recency_rank
    from order_lines

),

customer_descriptions as (

    select
        fiscal_year,
        customer_pseudonym,
        customer_segment,
        customer_country
    from customer_descriptions_ranked
    where recency_rank = 1

),

joined as (

    select
        customer_years.fiscal_year,
        customer_years.customer_pseudonym,
        customer_descriptions.customer_segment,
        customer_descriptions.customer_country,
        customer_years.orders,
        customer_years.units,
        customer_years.revenue
    from customer_years
    inner join customer_descriptions
        on customer_years.fiscal_year = customer_descriptions.fiscal_year
        and customer_years.customer_pseudonym = customer_descriptions.customer_pseudonym

),

ranked as (

    select
        fiscal_year,
        customer_pseudonym,
        customer_segment,
        customer_country,
        orders,
        units,
        revenue,
        row_number() over (
            partition by fiscal_year
            order by revenue desc, customer_pseudonym asc
        ) as revenue_rank
    from joined

),

final as (

    select
        -- keys
        {{ generate_surrogate_key(['fiscal_year', 'customer_pseudonym']) }} as sales_top_customer_key,
        fiscal_year,
        customer_pseudonym,

        -- customer
        customer_segment,
        customer_country as country,

        -- ranks
        cast(revenue_rank as {{ dbt.type_int() }}) as revenue_rank,

        -- measures
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        cast(units as {{ dbt.type_bigint() }}) as units,
        cast(revenue as decimal(18, 4)) as revenue,
        cast({{ divide_by_count('revenue', 'orders') }} as decimal(18, 2)) as average_order_value
    from ranked

)

select * from final
