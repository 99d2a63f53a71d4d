{{ config(**incremental_by_period_config('snapshot_month_start_date')) }}
{{ config(indexes=engine_indexes([
    {'columns': ['snapshot_date_key', 'environment']},
    {'columns': ['product_key']},
    {'columns': ['warehouse_location_key']},
    {'columns': ['snapshot_month_start_date']},
])) }}

{#- One row per stock position: snapshot date × environment × warehouse × product.
    Product and supplier are the versions valid on the snapshot date.

    Incremental by snapshot month (macros/incremental/incremental_by_period.sql): the
    export has no change timestamp, so a run rebuilds every month from the last built
    snapshot date minus the look-back window on, and every month with a position whose
    product, supplier or warehouse version changed under it. -#}
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

    previous_build as (

        select max(snapshot_date) as max_snapshot_date
        from {{ this }}

    ),

    changed_positions as (

        select all_inventory_positions.snapshot_month_start_date
        from all_inventory_positions
        cross join previous_build
        where
            all_inventory_positions.snapshot_date >= {{ minus_lookback('previous_build.max_snapshot_date') }}
            or previous_build.max_snapshot_date is null

    ),

    built_positions as (

        select
            built.snapshot_month_start_date,
            built.product_key,
            built.supplier_key,
            built.warehouse_location_key,
            cast(built.snapshot_date as {{ dbt.type_timestamp() }}) as snapshot_at
        from {{ this }} as built

    ),

    stale_positions as (

        -- positions whose dimension versions are no longer those a full build would pick
        select built_positions.snapshot_month_start_date
        from built_positions
        left join {{ ref('dim_product') }} as product_versions
            on built_positions.product_key = product_versions.product_key
        left join suppliers as supplier_versions
            on product_versions.supplier_id = supplier_versions.supplier_id
            and built_positions.snapshot_at >= supplier_versions.valid_from
            and built_positions.snapshot_at < supplier_versions.valid_to
        left join {{ ref('dim_location') }} as location_versions
            on built_positions.warehouse_location_key = location_versions.location_key
        where
            product_versions.product_key is null
            or location_versions.location_key is null
            or built_positions.snapshot_at < product_versions.valid_from
            or built_positions.snapshot_at >= product_versions.valid_to
            or built_positions.supplier_key <> coalesce(supplier_versions.supplier_key, {{ unknown_member_key() }})

    ),

    rebuilt_months as (

        select snapshot_month_start_date from changed_positions
        union
        select snapshot_month_start_date from stale_positions

    ),

{% endif %}

inventory_positions as (

    select * from all_inventory_positions
    {% if is_incremental() %}
        where snapshot_month_start_date in (select rebuilt_months.snapshot_month_start_date from rebuilt_months)
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
        cast(quantity_on_hand * unit_cost as decimal(18, 4)) as stock_value
    from joined

)

select * from final
