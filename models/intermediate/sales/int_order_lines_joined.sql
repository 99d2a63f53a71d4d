{#- Order lines with their order's header attributes: the grain of fct_sales. The
    customer, the store and the ship-to area are the line's own (the contract puts them
    on the line; D115): where the lines of one order disagree, no line's revenue moves
    to another line's customer or place (int_order_header_conflicts_listed lists such
    orders). The dates, ship mode, carrier, channel and platform are the order's. -#}
{{ config(indexes=engine_indexes([
    {'columns': ['order_id', 'order_line_number']},
])) }}

with order_lines as (

    select * from {{ ref('stg_sales_system__order_lines') }}

),

orders as (

    select * from {{ ref('stg_sales_system__orders') }}

),

joined as (

    select
        -- ids
        order_lines.order_line_id,
        order_lines.order_id,
        order_lines.order_line_number,
        order_lines.product_id,
        order_lines.customer_pseudonym,
        order_lines.store_id,
        orders.carrier_id,
        order_lines.ship_to_area_id,

        -- strings
        orders.ship_mode,
        orders.channel,
        orders.platform,
        order_lines.currency,

        -- numerics
        order_lines.quantity,
        order_lines.unit_price,
        order_lines.discount,
        order_lines.sales_amount,
        order_lines.profit_amount,

        -- booleans
        order_lines.is_unit_price_derived,
        orders.is_shipped,

        -- dates
        orders.order_date,
        orders.ship_date,

        -- timestamps: the line's last change in the source (drives incremental builds)
        order_lines.updated_at
    from order_lines
    inner join orders
        on order_lines.order_id = orders.order_id

)

select * from joined
