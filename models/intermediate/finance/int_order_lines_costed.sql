{{ config(**incremental_by_period_config('month_start_date')) }}
{{ config(indexes=engine_indexes([
    {'columns': ['order_line_key']},
    {'columns': ['month_start_date']},
])) }}

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

    A table, incremental by order month (macros/incremental/incremental_by_period.sql),
    because six marts and some forty tests read it: as a view each of them recomputed
    the joins over every line. A run rebuilds every month in which a built line is no
    longer what a full build would give: a line that fct_sales added, changed or dropped
    (whatever made fct_sales rebuild it), a dimension attribute or fiscal period that
    changed under its key, or a reference rate that changed or arrived late. The
    comparison reads this table and fct_sales once each, instead of recomputing the
    costing for every line. -#}
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

    built_lines as (

        select * from {{ this }}

    ),

    lines_fct_sales_changed as (

        -- new, corrected or re-keyed lines: both their month now and the month built
        select
            all_sales.order_month_start_date,
            built_lines.month_start_date as built_month_start_date
        from all_sales
        left join built_lines
            on all_sales.order_line_key = built_lines.order_line_key
        where
            built_lines.order_line_key is null
            or not (
                {{ null_safe_equal('all_sales.order_id', 'built_lines.order_id') }}
                and {{ null_safe_equal('all_sales.order_date_key', 'built_lines.order_date_key') }}
                and {{ null_safe_equal('all_sales.product_key', 'built_lines.product_key') }}
                and {{ null_safe_equal('all_sales.customer_key', 'built_lines.customer_key') }}
                and {{ null_safe_equal('all_sales.ship_to_location_key', 'built_lines.ship_to_location_key') }}
                and {{ null_safe_equal('all_sales.order_date', 'built_lines.order_date') }}
                and {{ null_safe_equal('all_sales.channel', 'built_lines.channel') }}
                and {{ null_safe_equal('all_sales.platform', 'built_lines.platform') }}
                and {{ null_safe_equal('all_sales.quantity', 'built_lines.quantity') }}
                and {{ null_safe_equal('all_sales.list_price_amount', 'built_lines.list_price_amount') }}
                and {{ null_safe_equal('all_sales.discount_amount', 'built_lines.discount_amount') }}
                and {{ null_safe_equal('all_sales.sales_amount', 'built_lines.sales_amount') }}
                and {{ null_safe_equal('all_sales.profit_amount', 'built_lines.profit_amount') }}
            )

    ),

    lines_fct_sales_dropped as (

        select built_lines.month_start_date
        from built_lines
        left join all_sales
            on built_lines.order_line_key = all_sales.order_line_key
        where all_sales.order_line_key is null

    ),

    lines_described_differently as (

        -- the same keys, but a dimension attribute, fiscal period or reference rate that
        -- is no longer what the line was built with
        select built_lines.month_start_date
        from built_lines
        left join dates
            on built_lines.order_date_key = dates.date_key
        left join products
            on built_lines.product_key = products.product_key
        left join customers
            on built_lines.customer_key = customers.customer_key
        left join locations as ship_to_areas
            on built_lines.ship_to_location_key = ship_to_areas.location_key
        left join post_invoice_deductions
            on built_lines.customer_pseudonym = post_invoice_deductions.customer_pseudonym
            and built_lines.fiscal_year = post_invoice_deductions.fiscal_year
        left join freight_costs
            on built_lines.country = freight_costs.country
            and built_lines.fiscal_year = freight_costs.fiscal_year
        left join manufacturing_costs
            on built_lines.product_id = manufacturing_costs.product_id
            and built_lines.fiscal_year = manufacturing_costs.fiscal_year
        where not (
            {{ null_safe_equal('built_lines.month_start_date', 'dates.month_start_date') }}
            and {{ null_safe_equal('built_lines.fiscal_year', 'dates.fiscal_year') }}
            and {{ null_safe_equal('built_lines.fiscal_quarter', 'dates.fiscal_quarter') }}
            and {{ null_safe_equal('built_lines.product_id', 'products.product_id') }}
            and {{ null_safe_equal('built_lines.product_name', 'products.product_name') }}
            and {{ null_safe_equal('built_lines.category', 'products.category') }}
            and {{ null_safe_equal('built_lines.sub_category', 'products.sub_category') }}
            and {{ null_safe_equal('built_lines.customer_pseudonym', 'customers.customer_pseudonym') }}
            and {{ null_safe_equal('built_lines.customer_segment', 'customers.customer_segment') }}
            and {{ null_safe_equal('built_lines.customer_country', 'customers.country') }}
            and {{ null_safe_equal('built_lines.country', 'ship_to_areas.country') }}
            and {{ null_safe_equal('built_lines.region', 'ship_to_areas.region') }}
            and {{ null_safe_equal('built_lines.state_province', 'ship_to_areas.state_province') }}
            and {{ null_safe_equal('built_lines.city', 'ship_to_areas.city') }}
            and built_lines.has_deduction_rate = (post_invoice_deductions.post_invoice_deduction_id is not null)
            and built_lines.has_freight_rate = (freight_costs.freight_cost_id is not null)
            and built_lines.has_manufacturing_cost = (manufacturing_costs.manufacturing_cost_id is not null)
            and {{ null_safe_equal('built_lines.deduction_pct', 'post_invoice_deductions.deduction_pct') }}
            and {{ null_safe_equal('built_lines.freight_pct', 'freight_costs.freight_pct') }}
            and {{ null_safe_equal('built_lines.other_cost_pct', 'freight_costs.other_cost_pct') }}
            and {{ null_safe_equal('built_lines.unit_manufacturing_cost', 'manufacturing_costs.unit_manufacturing_cost') }}
        )

    ),

    rebuilt_months as (

        select order_month_start_date as month_start_date from lines_fct_sales_changed
        union
        select built_month_start_date as month_start_date from lines_fct_sales_changed
        where built_month_start_date is not null
        union
        select month_start_date from lines_fct_sales_dropped
        union
        select month_start_date from lines_described_differently

    ),

{% endif %}

sales as (

    select * from all_sales
    {% if is_incremental() %}
        where order_month_start_date in (select rebuilt_months.month_start_date from rebuilt_months)
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
        costed.gross_margin_amount
    from order_lines_described
    inner join reference_rates
        on order_lines_described.order_line_key = reference_rates.order_line_key
    inner join costed
        on order_lines_described.order_line_key = costed.order_line_key

)

select * from final
