{#- Sales by fiscal quarter × customer segment × channel × platform, under statistical
    disclosure control. The table publishes no margin of its own, but its cells add up
    to the quarter's total, which the months' totals of
    open_sales_by_month_country_category publish: the quarter is therefore a line
    whose margin is known, and a quarter never holds exactly one suppressed cell.
    Order lines with an unknown segment, channel or platform arrive pooled into one
    cell per quarter (global recoding in the contributions model, D135). -#}
with contributions as (

    select * from {{ ref('sdc_sales_contributions_by_quarter_segment_channel') }}

),

cell_statistics as (

    {{ sdc_cell_statistics(
        'contributions',
        ['fiscal_year', 'fiscal_quarter', 'customer_segment', 'channel', 'platform'],
        'revenue',
        sums=['orders', 'units', 'revenue'],
    ) }}

),

suppression_input as (

    select
        fiscal_year,
        fiscal_quarter,
        customer_segment,
        channel,
        platform,
        contributing_units as customers,
        orders,
        units,
        revenue,
        {{ sdc_primary_suppression_reason(
            'contributing_units', sdc_parameter('open_data_min_customers')
        ) }} as primary_suppression_reason,
        {{ sdc_primary_suppression_reason(
            'contributing_units', sdc_parameter('open_data_min_customers')
        ) }} is not null as is_suppressed,
        false as is_margin,
        revenue as suppression_cost
    from cell_statistics

),

{{ sdc_secondary_suppression(
    'suppression_input',
    'suppression_resolved',
    ['fiscal_year', 'fiscal_quarter', 'customer_segment', 'channel', 'platform',
     'customers', 'orders', 'units', 'revenue', 'primary_suppression_reason'],
    [['fiscal_year', 'fiscal_quarter']],
    rounds=1,
) }},

final as (

    select
        -- keys
        fiscal_year,
        fiscal_quarter,
        customer_segment,
        channel,
        platform,

        -- attributes
        {{ sdc_suppression_status() }} as suppression_status,

        -- measures (null when suppressed)
        cast({{ sdc_published('customers') }} as {{ dbt.type_bigint() }}) as customers,
        cast({{ sdc_published('orders') }} as {{ dbt.type_bigint() }}) as orders,
        cast({{ sdc_published('units') }} as {{ dbt.type_bigint() }}) as units,
        cast({{ sdc_published('revenue') }} as decimal(18, 2)) as revenue
    from suppression_resolved

)

select * from final
