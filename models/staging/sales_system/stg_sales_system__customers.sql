{#- A table on MySQL/MariaDB (and Spark), a view elsewhere: MariaDB evaluates a view
    that ranks the order lines again at every reference, and joined it to the order lines
    as a nested loop in its models and tests (D92). -#}
{{ config(
    materialized=('table' if target.type in ('spark', 'mysql') else 'view'),
    indexes=engine_indexes([{'columns': ['customer_pseudonym']}]),
) }}

{#- Customers as they appear on orders: the non-identifying attributes of their most
    recent order. Names and contact details are in the restricted PII model. -#}
with order_lines as (

    select * from {{ ref('base_sales_system__sales_order_lines') }}
    where
        quarantine_reason is null
        -- erased customers have no customer record, only anonymous order lines
        and customer_pseudonym <> {{ erased_customer_pseudonym() }}

),

ranked_lines as (

    select
        *,
        row_number() over (
            partition by customer_pseudonym
            order by
                order_date desc,
                coalesce(updated_at, cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})) desc,
                order_id desc,
                order_line_number desc
        ) as recency_rank
    from order_lines

),

renamed as (

    select
        -- ids
        customer_pseudonym,

        -- strings
        coalesce(segment, 'Unknown') as customer_segment,
        customer_age_band,
        country,
        coalesce(region, 'Unknown') as region,

        -- dates
        order_date as last_ordered_on
    from ranked_lines
    where recency_rank = 1

)

select * from renamed
