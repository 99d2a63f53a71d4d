{#- Delivery lead times (order to shipment) by calendar month of the order × ship mode
    (and all ship modes), under statistical disclosure control: at least
    `open_data_min_customers` customers per cell and no one or two customers holding
    most of its shipments; the month's total protects its suppressed ship modes. -#}
with contributions as (

    select * from {{ ref('sdc_delivery_contributions_by_month_ship_mode') }}

),

cell_statistics as (

    {{ sdc_cell_statistics(
        'contributions',
        ['month_start_date', 'ship_mode'],
        'shipped_order_lines',
        sums=['shipped_order_lines', 'days_to_ship'],
    ) }}

),

suppression_input as (

    select
        month_start_date,
        ship_mode,
        contributing_units as customers,
        shipped_order_lines,
        days_to_ship,
        {{ sdc_primary_suppression_reason(
            'contributing_units', sdc_parameter('open_data_min_customers')
        ) }} as primary_suppression_reason,
        {{ sdc_primary_suppression_reason(
            'contributing_units', sdc_parameter('open_data_min_customers')
        ) }} is not null as is_suppressed,
        ship_mode = 'All ship modes' as is_margin,
        shipped_order_lines as suppression_cost
    from cell_statistics

),

{{ sdc_secondary_suppression(
    'suppression_input',
    'suppression_resolved',
    ['month_start_date', 'ship_mode', 'customers', 'shipped_order_lines', 'days_to_ship',
     'primary_suppression_reason'],
    [['month_start_date']],
    rounds=1,
) }},

final as (

    select
        -- keys
        month_start_date,
        ship_mode,

        -- attributes
        case when ship_mode = 'All ship modes' then 'all_ship_modes' else 'cell' end as aggregation_level,
        {{ sdc_suppression_status() }} as suppression_status,

        -- measures (null when suppressed)
        cast({{ sdc_published('customers') }} as {{ dbt.type_bigint() }}) as customers,
        cast({{ sdc_published('shipped_order_lines') }} as {{ dbt.type_bigint() }}) as shipped_order_lines,
        cast({{ sdc_published(divide_by_count('days_to_ship', 'shipped_order_lines')) }} as decimal(9, 2))
            as average_days_to_ship
    from suppression_resolved

)

select * from final
