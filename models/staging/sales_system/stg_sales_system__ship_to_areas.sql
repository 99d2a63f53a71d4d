{#- A table on MySQL/MariaDB (and Spark), a view elsewhere: MariaDB evaluates a view
    that groups the order lines again at every reference (D92). -#}
{{ config(
    materialized=('table' if target.type in ('spark', 'mysql') else 'view'),
    indexes=engine_indexes([{'columns': ['ship_to_area_id']}]),
) }}

{#- The geography orders ship to, down to the city. Postal codes are personal data
    and stay in the restricted model. -#}
with order_lines as (

    select * from {{ ref('base_sales_system__sales_order_lines') }}
    where quarantine_reason is null

),

areas as (

    select distinct
        country,
        region,
        state_province,
        city
    from order_lines

),

renamed as (

    select
        -- ids
        {{ generate_surrogate_key(['country', 'region', 'state_province', 'city']) }} as ship_to_area_id,

        -- strings
        country,
        coalesce(region, 'Unknown') as region,
        coalesce(state_province, 'Unknown') as state_province,
        coalesce(city, 'Unknown') as city
    from areas

)

select * from renamed
