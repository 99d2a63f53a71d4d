{%- set unit = rebuild_unit('order', {'order': 'order_id', 'month': 'month_start_date'}) %}
{{ config(**incremental_rebuild_config(unit, 'order_lines', 'int_order_lines_costed')) }}
{{ config(indexes=engine_indexes([{'columns': ['order_id']}]) + applied_change_indexes()) }}

{#- The sales mart's line-grain fact: every fct_sales order line with the keys of the
    conformed dimensions, the customer's pseudonym and the profit-and-loss waterfall of
    int_order_lines_costed. Amounts keep their 8 decimal places: whoever aggregates
    (the semantic layer, the dashboard) rounds once, at the end.

    Incremental by order (D134, D136; by month on Spark): a run rebuilds the orders
    int_order_lines_costed rebuilt since this table's latest change, and those of lines
    landed since (an order whose every line left is deleted). -#}
-- depends_on: {{ ref('fct_warehouse_changes') }}
with order_lines as (

    {% if is_incremental() %}
        {{ order_lines_rebuilt_upstream(ref('int_order_lines_costed'), unit) }}
    {% else %}
        select * from {{ ref('int_order_lines_costed') }}
    {% endif %}

),

final as (

    select
        -- keys
        order_line_key,
        order_id,
        order_date_key,
        product_key,
        customer_key,
        ship_to_location_key,
        customer_pseudonym,

        -- attributes of the order
        channel,
        platform,
        has_deduction_rate,
        has_freight_rate,
        has_manufacturing_cost,
        order_date,
        month_start_date,

        -- measures
        quantity,
        cast(sales_amount as decimal(18, 4)) as sales_amount,
        cast(post_invoice_deduction_amount as decimal(28, 8)) as post_invoice_deduction_amount,
        cast(net_sales_amount as decimal(28, 8)) as net_sales_amount,
        cast(freight_cost_amount as decimal(28, 8)) as freight_cost_amount,
        cast(other_cost_amount as decimal(28, 8)) as other_cost_amount,
        cast(manufacturing_cost_amount as decimal(28, 8)) as manufacturing_cost_amount,
        cast(gross_margin_amount as decimal(28, 8)) as gross_margin_amount,

        -- the latest change applied
        {{ latest_applied_change_id(ref('int_order_lines_costed')) }} as _applied_change_id
    from order_lines

)

select * from final
