with carriers as (

    select * from {{ ref('stg_sales_system__carriers') }}

),

known_members as (

    select
        {{ generate_surrogate_key(['carrier_id']) }} as carrier_key,
        carrier_id,
        carrier_name,
        service_level,
        false as is_unknown_member
    from carriers

),

unknown_member as (

    select
        {{ unknown_member_key() }} as carrier_key,
        'unknown' as carrier_id,
        'Unknown' as carrier_name,
        'unknown' as service_level,
        true as is_unknown_member

),

final as (

    select * from known_members
    union all
    select * from unknown_member

)

select * from final
