{{ config(indexes=engine_indexes([
    {'columns': ['location_id']},
])) }}

{#- Places, in two roles: the company's own sites from the location master (stores,
    distribution centres, the online shop: where stock is held and sales are made) and
    the areas orders ship to (country, region, state or province, city), taken from the
    order export. Facts point to a site and to a ship-to area separately. Sites that
    orders or stock positions mention before the location master knows them are
    inferred members (type 'unknown'), so they keep their identity. Besides the unknown
    member (-1), a not-applicable member (-3) is the store of an online order (D118). -#}
with sites as (

    select * from {{ ref('stg_sales_system__locations') }}

),

order_lines as (

    select * from {{ ref('stg_sales_system__order_lines') }}

),

inventory_positions as (

    select * from {{ ref('stg_warehouse_system__inventory_snapshots') }}

),

ship_to_areas as (

    select * from {{ ref('stg_sales_system__ship_to_areas') }}

),

site_members as (

    select
        {{ generate_surrogate_key(["'site'", 'location_id']) }} as location_key,
        location_id,
        location_name,
        location_type,
        city,
        'Unknown' as state_province,
        region,
        country,
        opened_on,
        false as is_inferred_member,
        false as is_unknown_member
    from sites

),

mentioned_site_ids as (

    select store_id as location_id from order_lines
    where store_id is not null
    union
    select warehouse_id as location_id from inventory_positions

),

inferred_site_members as (

    select
        {{ generate_surrogate_key(["'site'", 'location_id']) }} as location_key,
        location_id,
        location_id as location_name,
        'unknown' as location_type,
        'Unknown' as city,
        'Unknown' as state_province,
        'Unknown' as region,
        'Unknown' as country,
        cast(null as date) as opened_on,
        true as is_inferred_member,
        false as is_unknown_member
    from mentioned_site_ids
    where location_id not in (select sites.location_id from sites)

),

area_members as (

    select
        {{ generate_surrogate_key(["'ship_to_area'", 'ship_to_area_id']) }} as location_key,
        ship_to_area_id as location_id,
        {{ dbt.concat(['city', "', '", 'country']) }} as location_name,
        'ship_to_area' as location_type,
        city,
        state_province,
        region,
        country,
        cast(null as date) as opened_on,
        false as is_inferred_member,
        false as is_unknown_member
    from ship_to_areas

),

unknown_member as (

    select
        {{ unknown_member_key() }} as location_key,
        'unknown' as location_id,
        'Unknown' as location_name,
        'unknown' as location_type,
        'Unknown' as city,
        'Unknown' as state_province,
        'Unknown' as region,
        'Unknown' as country,
        cast(null as date) as opened_on,
        false as is_inferred_member,
        true as is_unknown_member

),

-- the store of an online order: not applicable, which is not unknown (D118)
not_applicable_member as (

    select
        {{ not_applicable_member_key() }} as location_key,
        'not_applicable' as location_id,
        'Not applicable (online order)' as location_name,
        'not_applicable' as location_type,
        'Not applicable' as city,
        'Not applicable' as state_province,
        'Not applicable' as region,
        'Not applicable' as country,
        cast(null as date) as opened_on,
        false as is_inferred_member,
        false as is_unknown_member

),

final as (

    select * from site_members
    union all
    select * from inferred_site_members
    union all
    select * from area_members
    union all
    select * from unknown_member
    union all
    select * from not_applicable_member

)

select * from final
