{% snapshot snap_suppliers %}

{{
    config(
        target_schema=var('schema_prefix', '') ~ 'snapshots',
        unique_key='supplier_id',
        strategy='timestamp',
        updated_at='changed_at',
        invalidate_hard_deletes=true,
    )
}}

select
    supplier_id,
    supplier_name,
    country,
    lead_time_days,
    coalesce(updated_at, cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})) as changed_at
from {{ ref('stg_sales_system__suppliers') }}

{% endsnapshot %}
