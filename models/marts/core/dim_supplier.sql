{#- Suppliers, one row per version (SCD2 from snap_suppliers). Contact persons are
    only in the restricted PII model. -#}
with supplier_versions as (

    select * from {{ ref('snap_suppliers') }}

),

versions as (

    select
        {{ generate_surrogate_key(['supplier_id', scd_valid_from('supplier_id')]) }} as supplier_key,
        supplier_id,
        supplier_name,
        country,
        lead_time_days,
        false as is_unknown_member,
        {{ scd_valid_from('supplier_id') }} as valid_from,
        {{ scd_valid_to() }} as valid_to,
        dbt_valid_to is null as is_current
    from supplier_versions

),

unknown_member as (

    select
        {{ unknown_member_key() }} as supplier_key,
        'unknown' as supplier_id,
        'Unknown' as supplier_name,
        'Unknown' as country,
        cast(null as {{ dbt.type_int() }}) as lead_time_days,
        true as is_unknown_member,
        {{ beginning_of_time() }} as valid_from,
        {{ end_of_time() }} as valid_to,
        true as is_current

),

final as (

    select * from versions
    union all
    select * from unknown_member

)

select * from final
