{%- set unit = rebuild_unit('month', {'month': 'snapshot_month_start_date'}) %}
{{ config(**incremental_rebuild_config(unit, 'stock_positions')) }}
{{ config(indexes=engine_indexes([
    {'columns': ['snapshot_date_key', 'environment']},
    {'columns': ['product_key']},
    {'columns': ['warehouse_location_key']},
    {'columns': ['snapshot_month_start_date']},
]) + applied_change_indexes()) }}

{#- One row per stock position: snapshot date × environment × warehouse × product.
    Product and supplier are the versions valid on the snapshot date.

    Incremental by snapshot month (macros/incremental/incremental_by_period.sql): a run
    rebuilds every month that fct_warehouse_changes says changed since the latest change
    the table has applied: the months of newly landed positions, and of the positions
    that point to a product, supplier or warehouse version added, changed or removed
    since (D134). -#}
with all_inventory_positions as (

    select
        *,
        {{ month_start('snapshot_date') }} as snapshot_month_start_date
    from {{ ref('stg_warehouse_system__inventory_snapshots') }}

),

products as (

    select * from {{ ref('dim_product') }}
    where not is_unknown_member

),

suppliers as (

    select * from {{ ref('dim_supplier') }}
    where not is_unknown_member

),

locations as (

    select * from {{ ref('dim_location') }}
    where not is_unknown_member and location_type <> 'ship_to_area'

),

{% if is_incremental() %}

    changes as (

        {{ changes_not_applied(['stock_positions', 'product', 'supplier', 'location']) }}

    ),

    rebuilt_keys as (

        {{ keys_to_rebuild('changes', unit, 'snapshot_date', [
            {'change_kind': 'product', 'column': 'product_key'},
            {'change_kind': 'supplier', 'column': 'supplier_key'},
            {'change_kind': 'location', 'column': 'warehouse_location_key'},
        ]) }}

    ),

{% endif %}

inventory_positions as (

    select * from all_inventory_positions
    {% if is_incremental() %}
        where {{ is_rebuilt(unit, 'changes', 'rebuilt_keys') }}
    {% endif %}

),

positions_at_time as (

    select
        *,
        cast(snapshot_date as {{ dbt.type_timestamp() }}) as snapshot_at
    from inventory_positions

),

joined as (

    select
        positions_at_time.inventory_position_id,
        positions_at_time.snapshot_date,
        positions_at_time.snapshot_month_start_date,
        positions_at_time.environment,
        positions_at_time.currency,
        positions_at_time.quantity_on_hand,
        positions_at_time.quantity_reserved,
        positions_at_time.reorder_point,
        positions_at_time.unit_cost,
        products.product_key,
        suppliers.supplier_key,
        stocking_sites.location_key as warehouse_location_key
    from positions_at_time
    left join products
        on positions_at_time.product_id = products.product_id
        and positions_at_time.snapshot_at >= products.valid_from
        and positions_at_time.snapshot_at < products.valid_to
    left join suppliers
        on products.supplier_id = suppliers.supplier_id
        and positions_at_time.snapshot_at >= suppliers.valid_from
        and positions_at_time.snapshot_at < suppliers.valid_to
    left join locations as stocking_sites
        on positions_at_time.warehouse_id = stocking_sites.location_id

),

final as (

    select
        -- keys
        inventory_position_id as inventory_position_key,
        cast({{ date_key('snapshot_date') }} as {{ dbt.type_int() }}) as snapshot_date_key,
        environment,
        coalesce(warehouse_location_key, {{ unknown_member_key() }}) as warehouse_location_key,
        coalesce(product_key, {{ unknown_member_key() }}) as product_key,
        coalesce(supplier_key, {{ unknown_member_key() }}) as supplier_key,

        -- attributes
        snapshot_date,
        snapshot_month_start_date,
        currency,
        reorder_point is not null and quantity_on_hand - quantity_reserved <= reorder_point
            as is_below_reorder_point,
        quantity_on_hand = 0 as is_stock_out,

        -- measures
        quantity_on_hand,
        quantity_reserved,
        quantity_on_hand - quantity_reserved as quantity_available,
        reorder_point,
        cast(unit_cost as decimal(18, 4)) as unit_cost,
        cast(quantity_on_hand * unit_cost as decimal(18, 4)) as stock_value,

        -- the latest change applied
        {{ latest_logged_change_id() }} as _applied_change_id
    from joined

)

select * from final
