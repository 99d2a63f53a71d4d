{% snapshot snap_products %}

{#- Product history. `updated_at` is when the product master changed a product; a row
    without one is treated as having always been this way. -#}
{{
    config(
        target_schema=var('schema_prefix', '') ~ 'snapshots',
        unique_key='product_id',
        strategy='timestamp',
        updated_at='changed_at',
        invalidate_hard_deletes=true,
    )
}}

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
    coalesce(updated_at, cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})) as changed_at
from {{ ref('stg_sales_system__products') }}

{% endsnapshot %}
