{{ config(indexes=engine_indexes([
    {'columns': ['customer_pseudonym', 'valid_from']},
])) }}

{#- Customers, one row per version of their non-identifying attributes (SCD2 from
    snap_customers). Names and contact details are only in the restricted PII model. -#}
with customer_versions as (

    select * from {{ ref('snap_customers') }}

),

versions as (

    select
        {{ generate_surrogate_key(['customer_pseudonym', scd_valid_from('customer_pseudonym')]) }} as customer_key,
        customer_pseudonym,
        customer_segment,
        customer_age_band,
        country,
        region,
        false as is_unknown_member,
        {{ scd_valid_from('customer_pseudonym') }} as valid_from,
        {{ scd_valid_to() }} as valid_to,
        dbt_valid_to is null as is_current
    from customer_versions

),

unknown_member as (

    select
        {{ unknown_member_key() }} as customer_key,
        'unknown' as customer_pseudonym,
        'Unknown' as customer_segment,
        'unknown' as customer_age_band,
        'Unknown' as country,
        'Unknown' as region,
        true as is_unknown_member,
        {{ beginning_of_time() }} as valid_from,
        {{ end_of_time() }} as valid_to,
        true as is_current

),

erased_member as (

    -- customers erased under GDPR article 17: their sales stay in the totals, attached
    -- to this one member, so no row links them to a person or to each other
    select
        {{ erased_member_key() }} as customer_key,
        {{ erased_customer_pseudonym() }} as customer_pseudonym,
        'Unknown' as customer_segment,
        'unknown' as customer_age_band,
        'Unknown' as country,
        'Unknown' as region,
        -- a known state, not a missing reference: facts join it like any customer
        false as is_unknown_member,
        {{ beginning_of_time() }} as valid_from,
        {{ end_of_time() }} as valid_to,
        true as is_current

),

final as (

    select * from versions
    union all
    select * from unknown_member
    union all
    select * from erased_member

)

select * from final
