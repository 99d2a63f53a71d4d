{#- What each customer contributes to each cell of open_sales_by_month_country_category,
    margins included: one row per calendar month × ship-to country (or the group it is
    published in, var open_data_country_groups) × product category (or their totals) ×
    customer. The input of the disclosure control and of its tests;
    never published. -#}
with sales as (

    select * from {{ ref('fct_sales') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

ship_to_areas as (

    select * from {{ ref('dim_location') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

customers as (

    -- the only place this model reads customer identity from
    select
        customer_key,
        customer_pseudonym as customer_identity
    from {{ ref('dim_customer') }}

),

order_lines as (

    select
        dates.month_start_date,
        {{ sdc_global_recode('ship_to_areas.country', var('open_data_country_groups')) }} as country,
        products.category,
        customers.customer_identity,
        sales.order_id,
        sales.quantity,
        sales.sales_amount
    from sales
    inner join dates
        on sales.order_date_key = dates.date_key
    inner join ship_to_areas
        on sales.ship_to_location_key = ship_to_areas.location_key
    inner join products
        on sales.product_key = products.product_key
    inner join customers
        on sales.customer_key = customers.customer_key

),

contributions as (

    {{ sdc_cells_with_margins(
        'order_lines',
        ['month_start_date', 'country', 'category', 'customer_identity'],
        {'country': 'All countries', 'category': 'All categories'},
        [
            'count(distinct order_id) as orders',
            'sum(quantity) as units',
            'sum(sales_amount) as revenue',
        ],
    ) }}

),

final as (

    select
        month_start_date,
        country,
        category,
        customer_identity,
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        cast(units as {{ dbt.type_bigint() }}) as units,
        cast(revenue as decimal(18, 4)) as revenue
    from contributions

)

select * from final
