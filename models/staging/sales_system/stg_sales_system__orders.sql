{#- A table on MySQL/MariaDB (and Spark), a view elsewhere: MariaDB evaluates a view
    that ranks the order lines again at every reference, and joined it to the order lines
    as a nested loop in its models and tests (D92). -#}
{{ config(
    materialized=('table' if target.type in ('spark', 'mysql') else 'view'),
    indexes=engine_indexes([{'columns': ['order_id']}]),
) }}

with order_lines as (

    select * from {{ ref('base_sales_system__sales_order_lines') }}
    where quarantine_reason is null

),

-- the order's header attributes repeat on each of its lines; the most recently
-- updated line speaks for the order
ranked_lines as (

    select
        *,
        row_number() over (
            partition by order_id
            order by
                coalesce(updated_at, cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})) desc,
                order_line_number
        ) as line_rank
    from order_lines

),

renamed as (

    select
        -- ids
        order_id,
        customer_pseudonym,
        store_id,
        carrier_id,
        {{ generate_surrogate_key(['country', 'region', 'state_province', 'city']) }} as ship_to_area_id,

        -- strings
        coalesce(ship_mode, 'Unknown') as ship_mode,
        coalesce(channel, 'Unknown') as channel,
        coalesce(platform, 'Unknown') as platform,
        coalesce(segment, 'Unknown') as customer_segment,
        customer_age_band,

        -- booleans
        ship_date is not null as is_shipped,

        -- dates
        order_date,
        ship_date,

        -- timestamps
        updated_at
    from ranked_lines
    where line_rank = 1

)

select * from renamed
