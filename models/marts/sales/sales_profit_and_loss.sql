{#- The profit-and-loss statement: one row per fiscal year × fiscal quarter × ship-to
    country × product category × channel, from gross sales down to gross margin. A
    component is null for the cell when any of its lines lacks the reference data the
    component needs: a partial sum would understate the cost without saying so. -#}
with order_lines as (

    select * from {{ ref('int_order_lines_costed') }}

),

cells as (

    select
        fiscal_year,
        fiscal_quarter,
        country,
        category,
        channel,
        count(*) as order_lines,
        sum(case when has_deduction_rate then 0 else 1 end) as order_lines_missing_deduction_rate,
        sum(case when has_freight_rate then 0 else 1 end) as order_lines_missing_freight_rate,
        sum(case when has_manufacturing_cost then 0 else 1 end) as order_lines_missing_manufacturing_cost,
        sum(gross_sales_amount) as gross_sales_amount,
        case
            when count(post_invoice_deduction_amount) = count(*)
                then sum(post_invoice_deduction_amount)
        end as post_invoice_deduction_amount,
        case
            when count(net_sales_amount) = count(*)
                then sum(net_sales_amount)
        end as net_sales_amount,
        case
            when count(freight_cost_amount) = count(*)
                then sum(freight_cost_amount)
        end as freight_cost_amount,
        case
            when count(other_cost_amount) = count(*)
                then sum(other_cost_amount)
        end as other_cost_amount,
        case
            when count(manufacturing_cost_amount) = count(*)
                then sum(manufacturing_cost_amount)
        end as manufacturing_cost_amount,
        case
            when count(gross_margin_amount) = count(*)
                then sum(gross_margin_amount)
        end as gross_margin_amount
    from order_lines
    group by
        fiscal_year,
        fiscal_quarter,
        country,
        category,
        channel

),

final as (

    select
        -- keys
        {{ generate_surrogate_key([
            'fiscal_year', 'fiscal_quarter', 'country', 'category', 'channel',
        ]) }} as sales_profit_and_loss_key,

        -- dimensions
        fiscal_year,
        fiscal_quarter,
        country,
        category,
        channel,

        -- coverage of the reference data
        cast(order_lines as {{ dbt.type_bigint() }}) as order_lines,
        cast(order_lines_missing_deduction_rate as {{ dbt.type_bigint() }})
            as order_lines_missing_deduction_rate,
        cast(order_lines_missing_freight_rate as {{ dbt.type_bigint() }})
            as order_lines_missing_freight_rate,
        cast(order_lines_missing_manufacturing_cost as {{ dbt.type_bigint() }})
            as order_lines_missing_manufacturing_cost,

        -- the waterfall
        cast(round(gross_sales_amount, 2) as decimal(18, 2)) as gross_sales_amount,
        cast(round(post_invoice_deduction_amount, 2) as decimal(18, 2)) as post_invoice_deduction_amount,
        cast(round(net_sales_amount, 2) as decimal(18, 2)) as net_sales_amount,
        cast(round(freight_cost_amount, 2) as decimal(18, 2)) as freight_cost_amount,
        cast(round(other_cost_amount, 2) as decimal(18, 2)) as other_cost_amount,
        cast(round(manufacturing_cost_amount, 2) as decimal(18, 2)) as manufacturing_cost_amount,
        cast(round(gross_margin_amount, 2) as decimal(18, 2)) as gross_margin_amount,
        cast({{ divide_decimals('gross_margin_amount', 'net_sales_amount', 4) }} as decimal(18, 4))
            as gross_margin_pct
    from cells

)

select * from final
