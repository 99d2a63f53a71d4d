{%- set unit = rebuild_unit('order', {'order': 'order_id', 'month': 'month_start_date'}) %}
{#- the same unit, in the columns of fct_sales -#}
{%- set sales_unit = rebuild_unit('order', {'order': 'order_id', 'month': 'order_month_start_date'}) %}
{{ config(**incremental_rebuild_config(unit, 'order_lines')) }}
{{ config(indexes=engine_indexes([
    {'columns': ['order_line_key']},
    {'columns': ['order_id']},
]) + applied_change_indexes()) }}

{#- One row per fct_sales order line, described by the dimension versions valid on
    the order date and costed with the finance reference data of its fiscal year:

        gross sales                 = sales_amount (invoiced, after the on-invoice discount)
        post-invoice deductions     = gross sales × deduction_pct (customer × fiscal year)
        net sales                   = gross sales − post-invoice deductions
        freight cost                = net sales × freight_pct (ship-to country × fiscal year)
        other cost                  = net sales × other_cost_pct (ship-to country × fiscal year)
        manufacturing cost          = quantity × unit_manufacturing_cost (product × fiscal year)
        gross margin                = net sales − freight − other − manufacturing cost

    A component whose reference row is missing is null, never 0, and so is everything
    computed from it. Amounts keep 8 decimal places; the marts round once, after
    aggregating. The single line-level input of the sales marts.

    A table, incremental by order (macros/incremental/incremental_by_period.sql; by
    month on Spark), because six marts and some forty tests read it: as a view each of
    them recomputed the joins over every line. A run rebuilds every order that
    fct_warehouse_changes says changed since the latest change the table has applied:
    the orders of newly landed or corrected lines, and of the lines that point to a
    product, customer or ship-to area version, a date of the fiscal calendar or a
    reference rate (customer, country or product × fiscal year) added, changed or
    removed since, on the dates it affects (D134, D136). -#}
with all_sales as (

    select * from {{ ref('fct_sales') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

locations as (

    select * from {{ ref('dim_location') }}

),

manufacturing_costs as (

    select * from {{ ref('stg_finance__manufacturing_costs') }}

),

post_invoice_deductions as (

    select * from {{ ref('stg_finance__post_invoice_deductions') }}

),

freight_costs as (

    select * from {{ ref('stg_finance__freight_costs') }}

),

{% if is_incremental() %}

    changes as (

        {{ changes_not_applied([
            'order_lines', 'product', 'customer', 'location', 'calendar',
            'deduction_rate', 'freight_rate', 'manufacturing_cost',
        ]) }}

    ),

    rebuilt_keys as (

        {{ keys_to_rebuild('changes', unit, 'order_date', [
            {'change_kind': 'product', 'column': 'product_key'},
            {'change_kind': 'customer', 'column': 'customer_key'},
            {'change_kind': 'location', 'column': 'ship_to_location_key'},
            {'change_kind': 'calendar', 'column': 'order_date_key'},
            {'change_kind': 'deduction_rate', 'column': 'customer_pseudonym', 'matches': 'entity_id'},
            {'change_kind': 'freight_rate', 'column': 'country', 'matches': 'entity_id'},
            {'change_kind': 'manufacturing_cost', 'column': 'product_id', 'matches': 'entity_id'},
        ]) }}

    ),

{% endif %}

sales as (

    select * from all_sales
    {% if is_incremental() %}
        where {{ is_rebuilt(sales_unit, 'changes', 'rebuilt_keys') }}
    {% endif %}

),

order_lines_described as (

    select
        -- keys
        sales.order_line_key,
        sales.order_id,
        sales.order_date_key,
        sales.product_key,
        sales.customer_key,
        sales.ship_to_location_key,

        -- ids
        products.product_id,
        customers.customer_pseudonym,

        -- dates
        sales.order_date,
        dates.month_start_date,
        dates.fiscal_year,
        dates.fiscal_quarter,

        -- ship-to geography
        ship_to_areas.country,
        ship_to_areas.region,
        ship_to_areas.state_province,
        ship_to_areas.city,

        -- product, customer and order attributes
        products.product_name,
        products.category,
        products.sub_category,
        customers.customer_segment,
        customers.country as customer_country,
        sales.channel,
        sales.platform,

        -- sales measures
        sales.quantity,
        sales.list_price_amount,
        sales.discount_amount,
        sales.sales_amount,
        sales.profit_amount
    from sales
    left join dates
        on sales.order_date_key = dates.date_key
    left join products
        on sales.product_key = products.product_key
    left join customers
        on sales.customer_key = customers.customer_key
    left join locations as ship_to_areas
        on sales.ship_to_location_key = ship_to_areas.location_key

),

reference_rates as (

    select
        order_lines_described.order_line_key,
        order_lines_described.quantity,
        order_lines_described.sales_amount,
        post_invoice_deductions.deduction_pct,
        freight_costs.freight_pct,
        freight_costs.other_cost_pct,
        manufacturing_costs.unit_manufacturing_cost,
        post_invoice_deductions.post_invoice_deduction_id is not null as has_deduction_rate,
        freight_costs.freight_cost_id is not null as has_freight_rate,
        manufacturing_costs.manufacturing_cost_id is not null as has_manufacturing_cost
    from order_lines_described
    left join post_invoice_deductions
        on order_lines_described.customer_pseudonym = post_invoice_deductions.customer_pseudonym
        and order_lines_described.fiscal_year = post_invoice_deductions.fiscal_year
    left join freight_costs
        on order_lines_described.country = freight_costs.country
        and order_lines_described.fiscal_year = freight_costs.fiscal_year
    left join manufacturing_costs
        on order_lines_described.product_id = manufacturing_costs.product_id
        and order_lines_described.fiscal_year = manufacturing_costs.fiscal_year

),

gross_to_net as (

    select
        order_line_key,
        freight_pct,
        other_cost_pct,
        cast(sales_amount as decimal(28, 8)) as gross_sales_amount,
        cast(sales_amount * deduction_pct as decimal(28, 8)) as post_invoice_deduction_amount,
        cast(sales_amount - sales_amount * deduction_pct as decimal(28, 8)) as net_sales_amount,
        cast(quantity * unit_manufacturing_cost as decimal(28, 8)) as manufacturing_cost_amount
    from reference_rates

),

net_to_margin as (

    select
        order_line_key,
        gross_sales_amount,
        post_invoice_deduction_amount,
        net_sales_amount,
        cast(net_sales_amount * freight_pct as decimal(28, 8)) as freight_cost_amount,
        cast(net_sales_amount * other_cost_pct as decimal(28, 8)) as other_cost_amount,
        manufacturing_cost_amount
    from gross_to_net

),

costed as (

    select
        order_line_key,
        gross_sales_amount,
        post_invoice_deduction_amount,
        net_sales_amount,
        freight_cost_amount,
        other_cost_amount,
        manufacturing_cost_amount,
        cast(
            net_sales_amount - freight_cost_amount - other_cost_amount - manufacturing_cost_amount
            as decimal(28, 8)
        ) as gross_margin_amount
    from net_to_margin

),

final as (

    select
        -- keys
        order_lines_described.order_line_key,
        order_lines_described.order_id,
        order_lines_described.order_date_key,
        order_lines_described.product_key,
        order_lines_described.customer_key,
        order_lines_described.ship_to_location_key,

        -- ids
        order_lines_described.product_id,
        order_lines_described.customer_pseudonym,

        -- dates
        order_lines_described.order_date,
        order_lines_described.month_start_date,
        order_lines_described.fiscal_year,
        order_lines_described.fiscal_quarter,

        -- ship-to geography
        order_lines_described.country,
        order_lines_described.region,
        order_lines_described.state_province,
        order_lines_described.city,

        -- product, customer and order attributes
        order_lines_described.product_name,
        order_lines_described.category,
        order_lines_described.sub_category,
        order_lines_described.customer_segment,
        order_lines_described.customer_country,
        order_lines_described.channel,
        order_lines_described.platform,

        -- booleans
        reference_rates.has_deduction_rate,
        reference_rates.has_freight_rate,
        reference_rates.has_manufacturing_cost,

        -- reference rates of the line's fiscal year
        reference_rates.deduction_pct,
        reference_rates.freight_pct,
        reference_rates.other_cost_pct,
        reference_rates.unit_manufacturing_cost,

        -- sales measures
        order_lines_described.quantity,
        order_lines_described.list_price_amount,
        order_lines_described.discount_amount,
        order_lines_described.sales_amount,
        order_lines_described.profit_amount,

        -- profit and loss, unrounded
        costed.gross_sales_amount,
        costed.post_invoice_deduction_amount,
        costed.net_sales_amount,
        costed.freight_cost_amount,
        costed.other_cost_amount,
        costed.manufacturing_cost_amount,
        costed.gross_margin_amount,

        -- the latest change applied
        {{ latest_logged_change_id() }} as _applied_change_id
    from order_lines_described
    inner join reference_rates
        on order_lines_described.order_line_key = reference_rates.order_line_key
    inner join costed
        on order_lines_described.order_line_key = costed.order_line_key

)

select * from final
