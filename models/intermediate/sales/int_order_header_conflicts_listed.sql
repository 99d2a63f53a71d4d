{#- A table, not a view: its groups over every order line cost seconds at a million lines,
    and each of its tests would compute them again (at 1M lines, six not_null tests took
    8-9 s each on the view). -#}
{{ config(materialized='table') }}

{#- Data quality: the orders whose lines disagree on an attribute of the order header
    (customer, ship-to country, region, state or province and city, store, dates, ship
    mode, carrier, channel, platform, segment): two lines of one order with different
    non-missing values (a value missing on one line is a missing value, not a
    disagreement). The contract repeats the header on every line; where the lines of
    one order disagree, fct_sales keeps each line's own customer, store and ship-to area
    (D115) and the order's other attributes from its most recently updated line
    (stg_sales_system__orders). One row per such order, with the number of distinct
    values of each attribute and the list of the attributes that disagree; the
    warn-level test orders_agree_on_their_header_attributes reports them. No personal
    data: counts only. -#}
{%- set conflict_labels = [] -%}
{%- for name in [
    'customer', 'country', 'region', 'state_province', 'city', 'store', 'order_date',
    'ship_date', 'ship_mode', 'carrier', 'channel', 'platform', 'segment',
] -%}
    {%- do conflict_labels.append("case when " ~ name ~ "_values > 1 then '" ~ name ~ " ' else '' end") -%}
{%- endfor -%}

with order_lines as (

    select * from {{ ref('base_sales_system__sales_order_lines') }}
    where quarantine_reason is null

),

counted as (

    select
        order_id,
        count(*) as order_lines,
        count(distinct customer_pseudonym) as customer_values,
        count(distinct country) as country_values,
        count(distinct region) as region_values,
        count(distinct state_province) as state_province_values,
        count(distinct city) as city_values,
        count(distinct store_id) as store_values,
        count(distinct order_date) as order_date_values,
        count(distinct ship_date) as ship_date_values,
        count(distinct ship_mode) as ship_mode_values,
        count(distinct carrier_id) as carrier_values,
        count(distinct channel) as channel_values,
        count(distinct platform) as platform_values,
        count(distinct segment) as segment_values
    from order_lines
    group by order_id

),

described as (

    select
        *,
        {{ dbt.concat(conflict_labels) }} as conflicting_attributes
    from counted

),

final as (

    select
        order_id,
        cast(order_lines as {{ dbt.type_bigint() }}) as order_lines,
        cast(customer_values as {{ dbt.type_bigint() }}) as customer_values,
        cast(country_values as {{ dbt.type_bigint() }}) as country_values,
        cast(region_values as {{ dbt.type_bigint() }}) as region_values,
        cast(state_province_values as {{ dbt.type_bigint() }}) as state_province_values,
        cast(city_values as {{ dbt.type_bigint() }}) as city_values,
        cast(store_values as {{ dbt.type_bigint() }}) as store_values,
        cast(order_date_values as {{ dbt.type_bigint() }}) as order_date_values,
        cast(ship_date_values as {{ dbt.type_bigint() }}) as ship_date_values,
        cast(ship_mode_values as {{ dbt.type_bigint() }}) as ship_mode_values,
        cast(carrier_values as {{ dbt.type_bigint() }}) as carrier_values,
        cast(channel_values as {{ dbt.type_bigint() }}) as channel_values,
        cast(platform_values as {{ dbt.type_bigint() }}) as platform_values,
        cast(segment_values as {{ dbt.type_bigint() }}) as segment_values,
        trim(conflicting_attributes) as conflicting_attributes
    from described
    where conflicting_attributes <> ''

)

select * from final
