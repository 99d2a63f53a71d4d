{#- Sales by calendar month × ship-to country × product category, with each month's
    country totals, category totals and grand total, under statistical disclosure
    control (macros/open_data/disclosure_control.sql): a cell is published only when at
    least `open_data_min_customers` customers contribute to it and no one or two of them
    dominate its revenue; secondary suppression protects the suppressed cells from
    subtraction or any combination of the month's rows and columns (hypercube method).
    Countries are published in the groups of var open_data_country_groups (global
    recoding in the contributions model, D135). -#}
with contributions as (

    select * from {{ ref('sdc_sales_contributions_by_month_country_category') }}

),

cell_statistics as (

    {{ sdc_cell_statistics(
        'contributions',
        ['month_start_date', 'country', 'category'],
        'revenue',
        sums=['orders', 'units', 'revenue'],
    ) }}

),

primary_suppression as (

    select
        month_start_date,
        country,
        category,
        contributing_units as customers,
        orders,
        units,
        revenue,
        {{ sdc_primary_suppression_reason(
            'contributing_units', sdc_parameter('open_data_min_customers')
        ) }} as primary_suppression_reason
    from cell_statistics

),

suppression_input as (

    select
        month_start_date,
        country,
        category,
        customers,
        orders,
        units,
        revenue,
        primary_suppression_reason,
        primary_suppression_reason is not null as is_suppressed,
        country = 'All countries' or category = 'All categories' as is_margin,
        revenue as suppression_cost
    from primary_suppression

),

{{ sdc_hypercube_suppression(
    'suppression_input',
    'hypercube_resolved',
    ['month_start_date', 'country', 'category', 'customers', 'orders', 'units', 'revenue',
     'primary_suppression_reason'],
    group=['month_start_date'],
    row_column='country',
    column_column='category',
    row_total='All countries',
    column_total='All categories',
) }},

{#- the hypercubes already leave no line with a single suppressed cell; this pass is a
    safety net that the suppression_pattern test would otherwise catch -#}
{{ sdc_secondary_suppression(
    'hypercube_resolved',
    'suppression_resolved',
    ['month_start_date', 'country', 'category', 'customers', 'orders', 'units', 'revenue',
     'primary_suppression_reason'],
    [['month_start_date', 'country'], ['month_start_date', 'category']],
    rounds=2,
) }},

final as (

    select
        -- keys
        month_start_date,
        country,
        category,

        -- attributes
        case
            when country = 'All countries' and category = 'All categories' then 'month_total'
            when country = 'All countries' then 'category_total'
            when category = 'All categories' then 'country_total'
            else 'cell'
        end as aggregation_level,
        {{ sdc_suppression_status() }} as suppression_status,

        -- measures (null when suppressed)
        cast({{ sdc_published('customers') }} as {{ dbt.type_bigint() }}) as customers,
        cast({{ sdc_published('orders') }} as {{ dbt.type_bigint() }}) as orders,
        cast({{ sdc_published('units') }} as {{ dbt.type_bigint() }}) as units,
        cast({{ sdc_published('revenue') }} as decimal(18, 2)) as revenue
    from suppression_resolved

)

select * from final
