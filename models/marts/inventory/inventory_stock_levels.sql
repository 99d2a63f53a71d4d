{#- Stock levels of the production environment: one row per snapshot date × warehouse ×
    product, described by the warehouse, the product and supplier versions valid on the
    snapshot date, with the product's network-wide days of cover. -#}
with inventory_positions as (

    select * from {{ ref('fct_inventory') }}

),

locations as (

    select * from {{ ref('dim_location') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

suppliers as (

    select * from {{ ref('dim_supplier') }}

),

days_of_cover as (

    select * from {{ ref('inventory_days_of_cover') }}

),

production_positions as (

    select
        inventory_position_key,
        snapshot_date_key,
        warehouse_location_key,
        product_key,
        supplier_key,
        snapshot_date,
        is_below_reorder_point,
        is_stock_out,
        quantity_on_hand,
        quantity_reserved,
        quantity_available,
        reorder_point,
        unit_cost,
        stock_value
    from inventory_positions
    where environment = 'production'

),

joined as (

    select
        production_positions.inventory_position_key,
        production_positions.snapshot_date_key,
        production_positions.warehouse_location_key,
        production_positions.product_key,
        production_positions.supplier_key,
        stocking_sites.location_id as warehouse_id,
        products.product_id,
        suppliers.supplier_id,
        production_positions.snapshot_date,
        stocking_sites.location_name as warehouse_name,
        stocking_sites.location_type as warehouse_type,
        products.product_name,
        products.category,
        products.sub_category,
        suppliers.supplier_name,
        production_positions.is_below_reorder_point,
        production_positions.is_stock_out,
        production_positions.quantity_on_hand,
        production_positions.quantity_reserved,
        production_positions.quantity_available,
        production_positions.reorder_point,
        production_positions.unit_cost,
        production_positions.stock_value,
        days_of_cover.days_of_cover as product_days_of_cover
    from production_positions
    left join locations as stocking_sites
        on production_positions.warehouse_location_key = stocking_sites.location_key
    left join products
        on production_positions.product_key = products.product_key
    left join suppliers
        on production_positions.supplier_key = suppliers.supplier_key
    left join days_of_cover
        on production_positions.snapshot_date = days_of_cover.snapshot_date
        and products.product_id = days_of_cover.product_id

),

final as (

    select
        -- keys
        inventory_position_key,
        snapshot_date_key,
        warehouse_location_key,
        product_key,
        supplier_key,
        warehouse_id,
        product_id,
        supplier_id,

        -- attributes
        snapshot_date,
        warehouse_name,
        warehouse_type,
        product_name,
        category,
        sub_category,
        supplier_name,
        is_below_reorder_point,
        is_stock_out,

        -- measures
        quantity_on_hand,
        quantity_reserved,
        quantity_available,
        reorder_point,
        unit_cost,
        stock_value,
        product_days_of_cover
    from joined

)

select * from final
