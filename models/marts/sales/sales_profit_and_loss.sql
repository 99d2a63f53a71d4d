{#- The profit-and-loss statement: one row per fiscal year × fiscal quarter × ship-to
    country × product category × channel, from gross sales down to gross margin. Every
    amount is additive (D117): a component is the sum over the cell's lines that have
    it, never null, and the coverage columns say which lines those are (the gross and
    net sales each component was computed on), so any sum of cells equals the same sum
    at line grain and a share is a ratio of sums. Amounts keep 8 decimals (D112). -#}
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
        sum(case when gross_margin_amount is not null then 1 else 0 end) as order_lines_fully_costed,
        sum(gross_sales_amount) as gross_sales_amount,
        -- each component summed over the lines that have it (0 when none has it)
        coalesce(sum(post_invoice_deduction_amount), 0) as post_invoice_deduction_amount,
        coalesce(sum(net_sales_amount), 0) as net_sales_amount,
        coalesce(sum(freight_cost_amount), 0) as freight_cost_amount,
        coalesce(sum(other_cost_amount), 0) as other_cost_amount,
        coalesce(sum(manufacturing_cost_amount), 0) as manufacturing_cost_amount,
        coalesce(sum(gross_margin_amount), 0) as gross_margin_amount,
        -- coverage: the base each component was computed on
        sum(case when net_sales_amount is not null then gross_sales_amount else 0 end)
            as gross_sales_amount_with_deduction_rate,
        sum(case when freight_cost_amount is not null then gross_sales_amount else 0 end)
            as gross_sales_amount_with_freight_cost,
        sum(case when freight_cost_amount is not null then net_sales_amount else 0 end)
            as net_sales_amount_with_freight_cost,
        sum(case when manufacturing_cost_amount is not null then gross_sales_amount else 0 end)
            as gross_sales_amount_with_manufacturing_cost,
        sum(case when gross_margin_amount is not null then gross_sales_amount else 0 end)
            as gross_sales_amount_fully_costed,
        sum(case when gross_margin_amount is not null then net_sales_amount else 0 end)
            as net_sales_amount_fully_costed
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

        -- the waterfall: each component summed over the lines that have it
        cast(gross_sales_amount as decimal(28, 8)) as gross_sales_amount,
        cast(post_invoice_deduction_amount as decimal(28, 8)) as post_invoice_deduction_amount,
        cast(net_sales_amount as decimal(28, 8)) as net_sales_amount,
        cast(freight_cost_amount as decimal(28, 8)) as freight_cost_amount,
        cast(other_cost_amount as decimal(28, 8)) as other_cost_amount,
        cast(manufacturing_cost_amount as decimal(28, 8)) as manufacturing_cost_amount,
        cast(gross_margin_amount as decimal(28, 8)) as gross_margin_amount,

        -- coverage of each component (additive)
        cast(order_lines_fully_costed as {{ dbt.type_bigint() }}) as order_lines_fully_costed,
        cast(gross_sales_amount_with_deduction_rate as decimal(28, 8)) as gross_sales_amount_with_deduction_rate,
        cast(gross_sales_amount_with_freight_cost as decimal(28, 8)) as gross_sales_amount_with_freight_cost,
        cast(net_sales_amount_with_freight_cost as decimal(28, 8)) as net_sales_amount_with_freight_cost,
        cast(gross_sales_amount_with_manufacturing_cost as decimal(28, 8))
            as gross_sales_amount_with_manufacturing_cost,
        cast(gross_sales_amount_fully_costed as decimal(28, 8)) as gross_sales_amount_fully_costed,
        cast(net_sales_amount_fully_costed as decimal(28, 8)) as net_sales_amount_fully_costed,

        -- a ratio over the fully costed lines (not additive)
        cast({{ divide_decimals('gross_margin_amount', 'net_sales_amount_fully_costed', 4) }} as decimal(18, 4))
            as gross_margin_pct
    from cells

)

select * from final
