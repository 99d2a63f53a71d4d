{#- What each customer contributes to each cell of
    open_delivery_lead_times_by_month_ship_mode: one row per calendar month of the
    order × ship mode (or all ship modes) × customer, over shipped order lines.
    Never published. -#}
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
        customer_pseudonym as customer_identity
    from {{ ref('dim_customer') }}

),

shipped_lines as (

    select
        dates.month_start_date,
        sales.ship_mode,
        customers.customer_identity,
        sales.days_to_ship
    from sales
    inner join dates
        on sales.order_date_key = dates.date_key
    inner join customers
        on sales.customer_key = customers.customer_key
    where sales.is_shipped and sales.days_to_ship is not null

),

contributions as (

    {{ sdc_cells_with_margins(
        'shipped_lines',
        ['month_start_date', 'ship_mode', 'customer_identity'],
        {'ship_mode': 'All ship modes'},
        [
            'count(*) as shipped_order_lines',
            'sum(days_to_ship) as days_to_ship',
        ],
    ) }}

),

final as (

    select
        month_start_date,
        ship_mode,
        customer_identity,
        cast(shipped_order_lines as {{ dbt.type_bigint() }}) as shipped_order_lines,
        cast(days_to_ship as {{ dbt.type_bigint() }}) as days_to_ship
    from contributions

)

select * from final
