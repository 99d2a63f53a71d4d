{#- Stock availability by calendar month × product category (and all categories), at
    the production network's last snapshot of the month, under statistical disclosure
    control: a cell is published only when at least `open_data_min_contributing_units`
    suppliers and as many warehouses contribute to it and no one or two suppliers
    dominate its stock value; the month's total protects its suppressed categories.
    Categories are published in the groups of var open_data_inventory_category_groups
    (global recoding in the contributions model, D135). -#}
with contributions as (

    select * from {{ ref('sdc_inventory_contributions_by_month_category') }}

),

supplier_contributions as (

    select
        month_start_date,
        category,
        supplier_identity,
        sum(positions) as positions,
        sum(stock_out_positions) as stock_out_positions,
        sum(units_available) as units_available,
        sum(stock_value) as stock_value
    from contributions
    group by
        month_start_date,
        category,
        supplier_identity

),

warehouses_per_cell as (

    select
        month_start_date,
        category,
        count(distinct warehouse_identity) as warehouse_count
    from contributions
    group by
        month_start_date,
        category

),

supplier_statistics as (

    {{ sdc_cell_statistics(
        'supplier_contributions',
        ['month_start_date', 'category'],
        'stock_value',
        sums=['positions', 'stock_out_positions', 'units_available', 'stock_value'],
    ) }}

),

cell_statistics as (

    select
        supplier_statistics.*,
        warehouses_per_cell.warehouse_count,
        case
            when warehouses_per_cell.warehouse_count < supplier_statistics.contributing_units
                then warehouses_per_cell.warehouse_count
            else supplier_statistics.contributing_units
        end as fewest_contributing_units
    from supplier_statistics
    inner join warehouses_per_cell
        on supplier_statistics.month_start_date = warehouses_per_cell.month_start_date
        and supplier_statistics.category = warehouses_per_cell.category

),

suppression_input as (

    select
        month_start_date,
        category,
        contributing_units as supplier_count,
        warehouse_count,
        positions,
        stock_out_positions,
        units_available,
        stock_value,
        {{ sdc_primary_suppression_reason(
            'fewest_contributing_units', sdc_parameter('open_data_min_contributing_units')
        ) }} as primary_suppression_reason,
        {{ sdc_primary_suppression_reason(
            'fewest_contributing_units', sdc_parameter('open_data_min_contributing_units')
        ) }} is not null as is_suppressed,
        category = 'All categories' as is_margin,
        stock_value as suppression_cost
    from cell_statistics

),

{{ sdc_secondary_suppression(
    'suppression_input',
    'suppression_resolved',
    ['month_start_date', 'category', 'supplier_count', 'warehouse_count', 'positions',
     'stock_out_positions', 'units_available', 'stock_value', 'primary_suppression_reason'],
    [['month_start_date']],
    rounds=1,
) }},

final as (

    select
        -- keys
        month_start_date,
        category,

        -- attributes
        case when category = 'All categories' then 'all_categories' else 'cell' end as aggregation_level,
        {{ sdc_suppression_status() }} as suppression_status,

        -- measures (null when suppressed)
        cast({{ sdc_published('supplier_count') }} as {{ dbt.type_bigint() }}) as supplier_count,
        cast({{ sdc_published('warehouse_count') }} as {{ dbt.type_bigint() }}) as warehouse_count,
        cast({{ sdc_published('positions') }} as {{ dbt.type_bigint() }}) as stock_positions,
        cast({{ sdc_published('stock_out_positions') }} as {{ dbt.type_bigint() }}) as stock_out_positions,
        cast({{ sdc_published(divide_by_count('stock_out_positions', 'positions', 4)) }} as decimal(9, 4))
            as stock_out_rate,
        cast({{ sdc_published('units_available') }} as {{ dbt.type_bigint() }}) as units_available,
        cast({{ sdc_published('stock_value') }} as decimal(18, 2)) as stock_value
    from suppression_resolved

)

select * from final
