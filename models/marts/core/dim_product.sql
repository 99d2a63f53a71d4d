{{ config(indexes=engine_indexes([
    {'columns': ['product_id', 'valid_from']},
])) }}

{#- Products, one row per version (SCD2 from snap_products). Products that orders or
    stock positions mention but the product master does not know yet are added as
    inferred members, described as the order export described them, so that facts keep
    their product; the unknown member catches lines without any usable product. -#}
with product_versions as (

    select * from {{ ref('snap_products') }}

),

ordered_products as (

    select * from {{ ref('stg_sales_system__ordered_products') }}

),

stocked_products as (

    select distinct product_id from {{ ref('stg_warehouse_system__inventory_snapshots') }}

),

versions as (

    select
        product_id,
        supplier_id,
        product_name,
        category,
        sub_category,
        brand,
        unit_list_price,
        unit_standard_cost,
        is_discontinued,
        launched_on,
        discontinued_on,
        {{ scd_valid_from('product_id') }} as valid_from,
        {{ scd_valid_to() }} as valid_to,
        dbt_valid_to is null as is_current,
        false as is_inferred_member
    from product_versions

),

unmastered_product_ids as (

    select product_id from ordered_products
    union
    select product_id from stocked_products

),

inferred_members as (

    select
        unmastered_product_ids.product_id,
        cast(null as {{ dbt.type_string() }}) as supplier_id,
        coalesce(ordered_products.product_name, 'Unknown') as product_name,
        coalesce(ordered_products.category, 'Unknown') as category,
        coalesce(ordered_products.sub_category, 'Unknown') as sub_category,
        'Unknown' as brand,
        cast(null as decimal(18, 4)) as unit_list_price,
        cast(null as decimal(18, 4)) as unit_standard_cost,
        false as is_discontinued,
        cast(null as date) as launched_on,
        cast(null as date) as discontinued_on,
        {{ beginning_of_time() }} as valid_from,
        {{ end_of_time() }} as valid_to,
        true as is_current,
        true as is_inferred_member
    from unmastered_product_ids
    left join ordered_products
        on unmastered_product_ids.product_id = ordered_products.product_id
    where unmastered_product_ids.product_id not in (
        select product_versions.product_id from product_versions
    )

),

unknown_member as (

    select
        'unknown' as product_id,
        cast(null as {{ dbt.type_string() }}) as supplier_id,
        'Unknown' as product_name,
        'Unknown' as category,
        'Unknown' as sub_category,
        'Unknown' as brand,
        cast(null as decimal(18, 4)) as unit_list_price,
        cast(null as decimal(18, 4)) as unit_standard_cost,
        false as is_discontinued,
        cast(null as date) as launched_on,
        cast(null as date) as discontinued_on,
        {{ beginning_of_time() }} as valid_from,
        {{ end_of_time() }} as valid_to,
        true as is_current,
        false as is_inferred_member

),

unioned as (

    select * from versions
    union all
    select * from inferred_members

),

final as (

    select
        {{ generate_surrogate_key(['product_id', 'valid_from']) }} as product_key,
        product_id,
        supplier_id,
        product_name,
        category,
        sub_category,
        brand,
        unit_list_price,
        unit_standard_cost,
        is_discontinued,
        is_inferred_member,
        false as is_unknown_member,
        launched_on,
        discontinued_on,
        valid_from,
        valid_to,
        is_current
    from unioned

    union all

    select
        {{ unknown_member_key() }} as product_key,
        product_id,
        supplier_id,
        product_name,
        category,
        sub_category,
        brand,
        unit_list_price,
        unit_standard_cost,
        is_discontinued,
        is_inferred_member,
        true as is_unknown_member,
        launched_on,
        discontinued_on,
        valid_from,
        valid_to,
        is_current
    from unknown_member

)

select * from final
