with inventory_snapshots as (

    select * from {{ ref('base_warehouse_system__inventory_snapshots') }}
    where quarantine_reason is null

),

renamed as (

    select
        -- ids
        {{ generate_surrogate_key(['snapshot_date', 'environment', 'warehouse_id', 'product_id']) }}
            as inventory_position_id,
        warehouse_id,
        product_id,

        -- strings
        environment,
        currency,

        -- numerics
        quantity_on_hand,
        -- reserved stock is part of on-hand: missing means none, and it can never
        -- exceed what is on hand (policy: default, capped)
        case
            when coalesce(quantity_reserved, 0) > quantity_on_hand then quantity_on_hand
            else coalesce(quantity_reserved, 0)
        end as quantity_reserved,
        reorder_point,
        unit_cost,

        -- dates
        snapshot_date
    from inventory_snapshots

)

select * from renamed
