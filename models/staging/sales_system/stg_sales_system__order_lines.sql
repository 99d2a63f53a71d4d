with order_lines as (

    select * from {{ ref('base_sales_system__sales_order_lines') }}
    where quarantine_reason is null

),

renamed as (

    select
        -- ids
        {{ generate_surrogate_key(['order_id', 'order_line_number']) }} as order_line_id,
        order_id,
        order_line_number,
        product_id,
        -- the contract puts the customer and the ship-to address on each line: a line
        -- keeps its own, even where the lines of one order disagree (D115)
        customer_pseudonym,
        store_id,
        {{ generate_surrogate_key(['country', 'region', 'state_province', 'city']) }} as ship_to_area_id,

        -- strings: the product as it was described on the order
        product_name as ordered_product_name,
        category as ordered_category,
        sub_category as ordered_sub_category,
        currency,

        -- numerics
        quantity,
        coalesce(discount, 0) as discount,
        -- missing list price: derived from the line amount (policy: default)
        cast(
            coalesce(
                unit_price,
                case
                    when coalesce(discount, 0) < 1
                        then {{ divide_decimals('sales_amount', 'quantity * (1 - coalesce(discount, 0))') }}
                end
            ) as decimal(18, 4)
        ) as unit_price,
        unit_price is null as is_unit_price_derived,
        sales_amount,
        profit_amount,

        -- timestamps
        updated_at
    from order_lines

)

select * from renamed
