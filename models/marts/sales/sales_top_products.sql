{#- Products ranked by revenue within each fiscal year (overall and within their
    category). Every product sold in the year has a row; filter on revenue_rank for a
    top N. Ranks are row numbers: unique within the year, ties broken by product_id. -#}
with order_lines as (

    select * from {{ ref('int_order_lines_costed') }}

),

product_years as (

    select
        fiscal_year,
        product_id,
        count(distinct order_id) as orders,
        sum(quantity) as units,
        sum(sales_amount) as revenue
    from order_lines
    group by
        fiscal_year,
        product_id

),

-- the product as described by its version on its last order date in the fiscal year
product_descriptions_ranked as (

    select
        fiscal_year,
        product_id,
        product_name,
        category,
        sub_category,
        row_number() over (
            partition by fiscal_year, product_id
            order by order_date desc, order_line_key asc
        ) as recency_rank
    from order_lines

),

product_descriptions as (

    select
        fiscal_year,
        product_id,
        product_name,
        category,
        sub_category
    from product_descriptions_ranked
    where recency_rank = 1

),

joined as (

    select
        product_years.fiscal_year,
        product_years.product_id,
        product_descriptions.product_name,
        product_descriptions.category,
        product_descriptions.sub_category,
        product_years.orders,
        product_years.units,
        product_years.revenue
    from product_years
    inner join product_descriptions
        on product_years.fiscal_year = product_descriptions.fiscal_year
        and product_years.product_id = product_descriptions.product_id

),

ranked as (

    select
        fiscal_year,
        product_id,
        product_name,
        category,
        sub_category,
        orders,
        units,
        revenue,
        row_number() over (
            partition by fiscal_year
            order by revenue desc, product_id asc
        ) as revenue_rank,
        row_number() over (
            partition by fiscal_year, category
            order by revenue desc, product_id asc
        ) as revenue_rank_in_category,
        {{ divide_decimals('revenue', 'sum(revenue) over (partition by fiscal_year)') }} as share_of_revenue
    from joined

),

final as (

    select
        -- keys
        {{ generate_surrogate_key(['fiscal_year', 'product_id']) }} as sales_top_product_key,
        fiscal_year,
        product_id,

        -- product
        product_name,
        category,
        sub_category,

        -- ranks
        cast(revenue_rank as {{ dbt.type_int() }}) as revenue_rank,
        cast(revenue_rank_in_category as {{ dbt.type_int() }}) as revenue_rank_in_category,

        -- measures
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        cast(units as {{ dbt.type_bigint() }}) as units,
        cast(revenue as decimal(18, 4)) as revenue,
        cast(round(share_of_revenue, 4) as decimal(18, 4)) as share_of_revenue_pct
    from ranked

)

select * from final
