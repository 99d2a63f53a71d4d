{#- What each supplier's products, in each warehouse, contribute to each cell of
    open_inventory_by_month_category: one row per calendar month × product category (or
    the group it is published in, var open_data_inventory_category_groups, or all
    categories) × supplier × warehouse, from the production network's last stock
    snapshot of the month. Never published. -#}
with inventory_positions as (

    select * from {{ ref('fct_inventory') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

suppliers as (

    select * from {{ ref('dim_supplier') }}

),

production_positions as (

    select
        dates.month_start_date,
        inventory_positions.snapshot_date,
        {{ sdc_global_recode('products.category', var('open_data_inventory_category_groups')) }} as category,
        suppliers.supplier_id as supplier_identity,
        inventory_positions.warehouse_location_key as warehouse_identity,
        inventory_positions.is_stock_out,
        inventory_positions.quantity_available,
        inventory_positions.stock_value
    from inventory_positions
    inner join dates
        on inventory_positions.snapshot_date_key = dates.date_key
    inner join products
        on inventory_positions.product_key = products.product_key
    inner join suppliers
        on inventory_positions.supplier_key = suppliers.supplier_key
    where inventory_positions.environment = 'production'

),

month_end_snapshots as (

    select
        month_start_date,
        max(snapshot_date) as snapshot_date
    from production_positions
    group by month_start_date

),

month_end_positions as (

    select production_positions.*
    from production_positions
    inner join month_end_snapshots
        on production_positions.snapshot_date = month_end_snapshots.snapshot_date

),

contributions as (

    {{ sdc_cells_with_margins(
        'month_end_positions',
        ['month_start_date', 'category', 'supplier_identity', 'warehouse_identity'],
        {'category': 'All categories'},
        [
            'count(*) as positions',
            'sum(case when is_stock_out then 1 else 0 end) as stock_out_positions',
            'sum(quantity_available) as units_available',
            'sum(stock_value) as stock_value',
        ],
    ) }}

),

final as (

    select
        month_start_date,
        category,
        supplier_identity,
        warehouse_identity,
        cast(positions as {{ dbt.type_bigint() }}) as positions,
        cast(stock_out_positions as {{ dbt.type_bigint() }}) as stock_out_positions,
        cast(units_available as {{ dbt.type_bigint() }}) as units_available,
        cast(stock_value as decimal(18, 4)) as stock_value
    from contributions

)

select * from final
