{#- A table on MySQL/MariaDB (and Spark), a view elsewhere: MariaDB evaluates a view
    that ranks the order lines again at every reference, and joined it to the order lines
    as a nested loop in its models and tests (D92). -#}
{{ config(
    materialized=('table' if target.type in ('spark', 'mysql') else 'view'),
    indexes=engine_indexes([{'columns': ['product_id']}]),
) }}

{#- Products as the order export describes them, from their most recent order line:
    the fallback for products that are not (yet) in the product master. -#}
with order_lines as (

    select * from {{ ref('base_sales_system__sales_order_lines') }}
    where quarantine_reason is null

),

ranked_lines as (

    select
        *,
        row_number() over (
            partition by product_id
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
        product_id,

        -- strings
        coalesce(product_name, 'Unknown') as product_name,
        coalesce(category, 'Unknown') as category,
        coalesce(sub_category, 'Unknown') as sub_category,

        -- dates
        order_date as last_ordered_on
    from ranked_lines
    where recency_rank = 1

)

select * from renamed
