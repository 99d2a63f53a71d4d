{%- set unit = rebuild_unit('order', {'order': 'order_id', 'month': 'order_month_start_date'}) %}
{{ config(**incremental_rebuild_config(unit, 'order_lines')) }}
{{ config(indexes=engine_indexes([
    {'columns': ['order_date_key']},
    {'columns': ['product_key']},
    {'columns': ['customer_key']},
    {'columns': ['ship_to_location_key']},
    {'columns': ['order_id']},
]) + applied_change_indexes()) }}

{#- One row per order line. Every dimension is joined to the version that was valid
    on the order date; a reference the dimension does not know points to its unknown
    member, so no line is ever lost to a join.

    Incremental by order (macros/incremental/incremental_by_period.sql; by month on
    Spark): a run rebuilds, in full, every order that fct_warehouse_changes says changed
    since the latest change the table has applied: the orders of newly landed or
    corrected lines, and the orders of the lines that point to a dimension version
    added, changed or removed since, on the dates it affects (a product version
    inserted, an inferred product mastered, a customer erased; D134, D136). -#}
with all_order_lines as (

    select
        *,
        {{ month_start('order_date') }} as order_month_start_date
    from {{ ref('int_order_lines_joined') }}

),

products as (

    select * from {{ ref('dim_product') }}
    where not is_unknown_member

),

customers as (

    select * from {{ ref('dim_customer') }}
    where not is_unknown_member

),

suppliers as (

    select * from {{ ref('dim_supplier') }}
    where not is_unknown_member

),

carriers as (

    select * from {{ ref('dim_carrier') }}
    where not is_unknown_member

),

locations as (

    select * from {{ ref('dim_location') }}
    where
        not is_unknown_member
        and location_key <> {{ not_applicable_member_key() }}

),

{% if is_incremental() %}

    changes as (

        {{ changes_not_applied(['order_lines', 'product', 'customer', 'supplier', 'carrier', 'location']) }}

    ),

    rebuilt_keys as (

        {{ keys_to_rebuild('changes', unit, 'order_date', [
            {'change_kind': 'product', 'column': 'product_key'},
            {'change_kind': 'customer', 'column': 'customer_key'},
            {'change_kind': 'supplier', 'column': 'supplier_key'},
            {'change_kind': 'carrier', 'column': 'carrier_key'},
            {'change_kind': 'location', 'column': 'store_location_key'},
            {'change_kind': 'location', 'column': 'ship_to_location_key'},
        ]) }}

    ),

{% endif %}

order_lines as (

    select * from all_order_lines
    {% if is_incremental() %}
        where {{ is_rebuilt(unit, 'changes', 'rebuilt_keys') }}
    {% endif %}

),

order_lines_at_time as (

    select
        *,
        cast(order_date as {{ dbt.type_timestamp() }}) as ordered_at
    from order_lines

),

joined as (

    select
        order_lines_at_time.order_line_id,
        order_lines_at_time.order_id,
        order_lines_at_time.order_line_number,
        order_lines_at_time.order_date,
        order_lines_at_time.ship_date,
        order_lines_at_time.ship_mode,
        order_lines_at_time.channel,
        order_lines_at_time.platform,
        order_lines_at_time.store_id,
        order_lines_at_time.currency,
        order_lines_at_time.quantity,
        order_lines_at_time.unit_price,
        order_lines_at_time.discount,
        order_lines_at_time.sales_amount,
        order_lines_at_time.profit_amount,
        order_lines_at_time.is_unit_price_derived,
        order_lines_at_time.is_shipped,
        order_lines_at_time.order_month_start_date,
        order_lines_at_time.updated_at,
        products.product_key,
        products.unit_standard_cost,
        customers.customer_key,
        suppliers.supplier_key,
        carriers.carrier_key,
        stores.location_key as store_location_key,
        ship_to_areas.location_key as ship_to_location_key
    from order_lines_at_time
    left join products
        on order_lines_at_time.product_id = products.product_id
        and order_lines_at_time.ordered_at >= products.valid_from
        and order_lines_at_time.ordered_at < products.valid_to
    left join customers
        on order_lines_at_time.customer_pseudonym = customers.customer_pseudonym
        and order_lines_at_time.ordered_at >= customers.valid_from
        and order_lines_at_time.ordered_at < customers.valid_to
    left join suppliers
        on products.supplier_id = suppliers.supplier_id
        and order_lines_at_time.ordered_at >= suppliers.valid_from
        and order_lines_at_time.ordered_at < suppliers.valid_to
    left join carriers
        on order_lines_at_time.carrier_id = carriers.carrier_id
    left join locations as stores
        on order_lines_at_time.store_id = stores.location_id
        and stores.location_type <> 'ship_to_area'
    left join locations as ship_to_areas
        on order_lines_at_time.ship_to_area_id = ship_to_areas.location_id
        and ship_to_areas.location_type = 'ship_to_area'

),

final as (

    select
        -- keys
        order_line_id as order_line_key,
        order_id,
        order_line_number,
        cast({{ date_key('order_date') }} as {{ dbt.type_int() }}) as order_date_key,
        cast(coalesce({{ date_key('ship_date') }}, -1) as {{ dbt.type_int() }}) as ship_date_key,
        coalesce(product_key, {{ unknown_member_key() }}) as product_key,
        coalesce(customer_key, {{ unknown_member_key() }}) as customer_key,
        coalesce(supplier_key, {{ unknown_member_key() }}) as supplier_key,
        coalesce(carrier_key, {{ unknown_member_key() }}) as carrier_key,
        -- no store on an online order: not applicable, not unknown (D118); a Brick &
        -- Mortar line without a store is unknown
        case
            when store_location_key is not null then store_location_key
            when store_id is null and platform <> 'Brick & Mortar' then {{ not_applicable_member_key() }}
            else {{ unknown_member_key() }}
        end as store_location_key,
        coalesce(ship_to_location_key, {{ unknown_member_key() }}) as ship_to_location_key,

        -- attributes of the order
        ship_mode,
        channel,
        platform,
        currency,
        is_shipped,
        is_unit_price_derived,
        order_date,
        order_month_start_date,
        ship_date,
        cast(
            case
                when ship_date is not null
                    then {{ dbt.datediff('order_date', 'ship_date', 'day') }}
            end as {{ dbt.type_int() }}
        ) as days_to_ship,

        -- measures, in the reporting currency
        quantity,
        cast(unit_price as decimal(18, 4)) as unit_list_price,
        cast(discount as decimal(9, 4)) as discount_rate,
        cast(quantity * unit_price as decimal(18, 4)) as list_price_amount,
        cast(quantity * unit_price - sales_amount as decimal(18, 4)) as discount_amount,
        cast(sales_amount as decimal(18, 4)) as sales_amount,
        cast(profit_amount as decimal(18, 4)) as profit_amount,
        cast(quantity * unit_standard_cost as decimal(18, 4)) as standard_cost_amount,

        -- the line's last change in the source system, and the latest change applied
        updated_at,
        {{ latest_logged_change_id() }} as _applied_change_id
    from joined

)

select * from final
