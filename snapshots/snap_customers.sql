{% snapshot snap_customers %}

{#- The export has no change timestamp for customer attributes, so changes are
    detected by comparing the tracked attributes between runs. -#}
{{
    config(
        target_schema=var('schema_prefix', '') ~ 'snapshots',
        unique_key='customer_pseudonym',
        strategy='check',
        check_cols=['customer_segment', 'customer_age_band', 'country', 'region'],
        invalidate_hard_deletes=true,
        post_hook="{{ purge_erased_customers(this) }}",
    )
}}

select
    customer_pseudonym,
    customer_segment,
    customer_age_band,
    country,
    region
from {{ ref('stg_sales_system__customers') }}

{% endsnapshot %}
