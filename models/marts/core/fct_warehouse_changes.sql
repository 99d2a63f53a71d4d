{{ config(**incremental_append_config()) }}
{#- an erased customer's pseudonym leaves the log with the customer (D134) -#}
{{ config(post_hook=["{{ purge_erased_customers(this, 'entity_id') }}"]) }}

{#- One row per change that can alter a built row of the incremental models: the months
    of a landing batch's rows, or a dimension or reference version added, changed or
    removed. Appended to at every build, never rebuilt; the incremental models rebuild
    the periods of the changes logged after the latest they have applied
    (macros/incremental/changes.sql, D134).

    Each dimension and reference table is described by a fingerprint of what the facts
    and the costed lines take from it, so a change of anything else (a brand, a
    discontinued date) rebuilds nothing. -#}
with order_lines as (

    select * from {{ ref('base_sales_system__sales_order_lines') }}

),

stock_positions as (

    select * from {{ ref('base_warehouse_system__inventory_snapshots') }}

),

products as (

    select * from {{ ref('dim_product') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

suppliers as (

    select * from {{ ref('dim_supplier') }}

),

carriers as (

    select * from {{ ref('dim_carrier') }}

),

locations as (

    select * from {{ ref('dim_location') }}

),

dates as (

    select * from {{ ref('dim_date') }}
    where not is_unknown_member

),

post_invoice_deductions as (

    select * from {{ ref('stg_finance__post_invoice_deductions') }}

),

freight_costs as (

    select * from {{ ref('stg_finance__freight_costs') }}

),

manufacturing_costs as (

    select * from {{ ref('stg_finance__manufacturing_costs') }}

),

fiscal_years as (

    -- the dates a reference rate of a fiscal year applies to
    select
        fiscal_year,
        cast(min(date_day) as {{ dbt.type_timestamp() }}) as valid_from,
        cast({{ dbt.dateadd('day', 1, 'max(date_day)') }} as {{ dbt.type_timestamp() }}) as valid_to
    from dates
    group by fiscal_year

),

product_versions as (

    select
        product_key as version_id,
        product_id as entity_id,
        {{ generate_surrogate_key([
            'product_id', 'supplier_id', 'product_name', 'category', 'sub_category', 'unit_standard_cost',
        ]) }} as version_fingerprint,
        valid_from,
        valid_to
    from products

),

customer_versions as (

    select
        customer_key as version_id,
        customer_pseudonym as entity_id,
        {{ generate_surrogate_key(['customer_pseudonym', 'customer_segment', 'country']) }} as version_fingerprint,
        valid_from,
        valid_to
    from customers

),

supplier_versions as (

    select
        supplier_key as version_id,
        supplier_id as entity_id,
        {{ generate_surrogate_key(['supplier_id']) }} as version_fingerprint,
        valid_from,
        valid_to
    from suppliers

),

carrier_versions as (

    select
        carrier_key as version_id,
        carrier_id as entity_id,
        {{ generate_surrogate_key(['carrier_id']) }} as version_fingerprint,
        {{ beginning_of_time() }} as valid_from,
        {{ end_of_time() }} as valid_to
    from carriers

),

location_versions as (

    select
        location_key as version_id,
        location_id as entity_id,
        {{ generate_surrogate_key([
            'location_id', 'location_type', 'country', 'region', 'state_province', 'city',
        ]) }} as version_fingerprint,
        {{ beginning_of_time() }} as valid_from,
        {{ end_of_time() }} as valid_to
    from locations

),

calendar_versions as (

    select
        cast(date_key as {{ dbt.type_string() }}) as version_id,
        cast(date_key as {{ dbt.type_string() }}) as entity_id,
        {{ generate_surrogate_key(['month_start_date', 'fiscal_year', 'fiscal_quarter']) }} as version_fingerprint,
        cast(date_day as {{ dbt.type_timestamp() }}) as valid_from,
        cast({{ dbt.dateadd('day', 1, 'date_day') }} as {{ dbt.type_timestamp() }}) as valid_to
    from dates

),

deduction_rate_versions as (

    {{ fiscal_year_rate_versions(
        'post_invoice_deductions', 'post_invoice_deduction_id', 'customer_pseudonym', ['deduction_pct']
    ) }}

),

freight_rate_versions as (

    {{ fiscal_year_rate_versions('freight_costs', 'freight_cost_id', 'country', ['freight_pct', 'other_cost_pct']) }}

),

manufacturing_cost_versions as (

    {{ fiscal_year_rate_versions(
        'manufacturing_costs', 'manufacturing_cost_id', 'product_id', ['unit_manufacturing_cost']
    ) }}

),

order_line_changes as (

    {{ landed_row_changes('order_lines', 'order_lines', 'order_date', group_column='order_id') }}

),

stock_position_changes as (

    {{ landed_row_changes('stock_positions', 'stock_positions', 'snapshot_date') }}

),

{% if is_incremental() %}

    logged_versions as (

        {{ latest_logged_versions() }}

    ),

{% endif %}

product_changes as (

    {{ version_changes('product_versions', 'product', 'logged_versions') }}

),

customer_changes as (

    {{ version_changes('customer_versions', 'customer', 'logged_versions') }}

),

supplier_changes as (

    {{ version_changes('supplier_versions', 'supplier', 'logged_versions') }}

),

carrier_changes as (

    {{ version_changes('carrier_versions', 'carrier', 'logged_versions') }}

),

location_changes as (

    {{ version_changes('location_versions', 'location', 'logged_versions') }}

),

calendar_changes as (

    {{ version_changes('calendar_versions', 'calendar', 'logged_versions') }}

),

deduction_rate_changes as (

    {{ version_changes('deduction_rate_versions', 'deduction_rate', 'logged_versions') }}

),

freight_rate_changes as (

    {{ version_changes('freight_rate_versions', 'freight_rate', 'logged_versions') }}

),

manufacturing_cost_changes as (

    {{ version_changes('manufacturing_cost_versions', 'manufacturing_cost', 'logged_versions') }}

),

unioned as (

    select * from order_line_changes
    union all
    select * from stock_position_changes
    union all
    select * from product_changes
    union all
    select * from customer_changes
    union all
    select * from supplier_changes
    union all
    select * from carrier_changes
    union all
    select * from location_changes
    union all
    select * from calendar_changes
    union all
    select * from deduction_rate_changes
    union all
    select * from freight_rate_changes
    union all
    select * from manufacturing_cost_changes

),

final as (

    select
        cast(change_id as {{ dbt.type_string() }}) as change_id,
        cast(change_kind as {{ dbt.type_string() }}) as change_kind,
        cast(change_type as {{ dbt.type_string() }}) as change_type,
        cast(version_id as {{ dbt.type_string() }}) as version_id,
        cast(entity_id as {{ dbt.type_string() }}) as entity_id,
        cast(version_fingerprint as {{ dbt.type_string() }}) as version_fingerprint,
        cast(valid_from as {{ dbt.type_timestamp() }}) as valid_from,
        cast(valid_to as {{ dbt.type_timestamp() }}) as valid_to,
        cast(affected_from as {{ dbt.type_timestamp() }}) as affected_from,
        cast(affected_to as {{ dbt.type_timestamp() }}) as affected_to
    from unioned

)

select * from final
