{{ config(**incremental_by_period_config('order_month_start_date')) }}
{{ config(indexes=engine_indexes([
    {'columns': ['order_date_key']},
    {'columns': ['product_key']},
    {'columns': ['customer_key']},
    {'columns': ['ship_to_location_key']},
    {'columns': ['order_month_start_date']},
])) }}

{#- One row per order line. Every dimension is joined to the version that was valid
    on the order date; a reference the dimension does not know points to its unknown
    member, so no line is ever lost to a join.

    Incremental by order month (macros/incremental/incremental_by_period.sql): a run
    rebuilds, in full, every month that holds a line that is new or corrected since the
    last build (updated_at or order date within the look-back window of the last
    build's latest), every month a corrected order left, and every month with a line
    whose dimension version changed under it (a customer erased, a product or supplier
    version inserted, an inferred product mastered), and every month that holds a built
    line no longer landed (deleted in the source system). -#}
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

    previous_build as (

        select
            max(updated_at) as max_updated_at,
            max(order_date) as max_order_date
        from {{ this }}

    ),

    changed_lines as (

        -- new lines and late corrections, with the look-back window for late landings
        select
            all_order_lines.order_id,
            all_order_lines.order_month_start_date
        from all_order_lines
        cross join previous_build
        where
            all_order_lines.updated_at >= {{ minus_lookback('previous_build.max_updated_at') }}
            or all_order_lines.order_date >= {{ minus_lookback('previous_build.max_order_date') }}
            or previous_build.max_order_date is null

    ),

    built_lines as (

        select
            built.order_id,
            built.order_line_number,
            built.order_month_start_date,
            built.order_date,
            built.quantity,
            built.product_key,
            built.customer_key,
            built.supplier_key,
            built.standard_cost_amount,
            cast(built.order_date as {{ dbt.type_timestamp() }}) as ordered_at
        from {{ this }} as built

    ),

    stale_lines as (

        -- lines whose dimension versions are no longer those a full build would pick
        select built_lines.order_month_start_date
        from built_lines
        left join {{ ref('dim_product') }} as product_versions
            on built_lines.product_key = product_versions.product_key
        left join {{ ref('dim_customer') }} as customer_versions
            on built_lines.customer_key = customer_versions.customer_key
        left join suppliers as supplier_versions
            on product_versions.supplier_id = supplier_versions.supplier_id
            and built_lines.ordered_at >= supplier_versions.valid_from
            and built_lines.ordered_at < supplier_versions.valid_to
        where
            product_versions.product_key is null
            or customer_versions.customer_key is null
            or built_lines.ordered_at < product_versions.valid_from
            or built_lines.ordered_at >= product_versions.valid_to
            or built_lines.ordered_at < customer_versions.valid_from
            or built_lines.ordered_at >= customer_versions.valid_to
            or built_lines.supplier_key <> coalesce(supplier_versions.supplier_key, {{ unknown_member_key() }})
            or not (
                (built_lines.standard_cost_amount is null and product_versions.unit_standard_cost is null)
                or built_lines.standard_cost_amount
                = cast(built_lines.quantity * product_versions.unit_standard_cost as decimal(18, 4))
            )

    ),

    rebuilt_months as (

        select order_month_start_date from changed_lines
        union
        -- a corrected order date moves the order's lines out of the month they were built in
        select built_lines.order_month_start_date
        from built_lines
        inner join changed_lines
            on built_lines.order_id = changed_lines.order_id
        union
        select order_month_start_date from stale_lines
        union
        -- a built line that is no longer landed: deleted in the source system (D64)
        select built_lines.order_month_start_date
        from built_lines
        left join all_order_lines
            on built_lines.order_id = all_order_lines.order_id
            and built_lines.order_line_number = all_order_lines.order_line_number
        where all_order_lines.order_id is null

    ),

{% endif %}

order_lines as (

    select * from all_order_lines
    {% if is_incremental() %}
        where order_month_start_date in (select rebuilt_months.order_month_start_date from rebuilt_months)
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

        -- the line's last change in the source system
        updated_at
    from joined

)

select * from final
