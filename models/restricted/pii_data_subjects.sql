{#-
    The one place personal data lives: customers' names, contact details, birth dates
    and postal codes, and suppliers' contact persons, read straight from the raw
    exports (staging keeps none of it). Latest known values per data subject.
    Access: the owner only (see the grants issue); nothing downstream selects from it.
-#}
with order_lines as (

    select * from {{ raw_source('sales_system', 'sales_order_lines') }}

),

suppliers as (

    select * from {{ raw_source('sales_system', 'suppliers') }}

),

pseudonymization_key as (

    {{ pseudonymization_key_pads() }}

),

erased_customers as (

    {{ erased_customer_numbers() }}

),

customer_versions as (

    select
        {{ customer_number('customer_id') }} as customer_id,
        {{ clean_text('customer_name') }} as full_name,
        lower({{ clean_text('customer_email') }}) as email,
        {{ clean_text('customer_phone') }} as phone,
        {{ parse_date('customer_birth_date') }} as birth_date,
        {{ clean_text('postal_code') }} as postal_code,
        {{ clean_text('country') }} as country,
        row_number() over (
            partition by {{ customer_number('customer_id') }}
            order by
                coalesce({{ parse_date('order_date') }}, cast('1900-01-01' as date)) desc,
                coalesce({{ parse_timestamp('updated_at') }}, cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})) desc,
                {{ clean_text('order_id') }} desc,
                {{ clean_text('order_line_number') }} desc
        ) as recency_rank
    from order_lines
    left join erased_customers
        on {{ customer_number('customer_id') }} = erased_customers.erased_customer_id
    where
        {{ customer_number('customer_id') }} is not null
        -- erased customers (GDPR article 17) are not kept, not even here
        and erased_customers.erased_customer_id is null

),

supplier_contact_versions as (

    select
        {{ clean_text('supplier_id') }} as supplier_id,
        {{ clean_text('contact_name') }} as full_name,
        lower({{ clean_text('contact_email') }}) as email,
        {{ clean_text('country') }} as country,
        row_number() over (
            partition by {{ clean_text('supplier_id') }}
            order by
                coalesce({{ parse_timestamp('updated_at') }}, cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})) desc,
                {{ clean_text('contact_name') }}
        ) as recency_rank
    from suppliers
    where {{ clean_text('supplier_id') }} is not null

),

customers as (

    select
        {{ generate_surrogate_key(["'customer'", 'customer_versions.customer_id']) }} as data_subject_id,
        'customer' as data_subject_type,
        customer_versions.customer_id,
        -- pseudonymized here, once per customer, not on each of its order lines
        {{ pseudonymize('customer_versions.customer_id', 'pseudonymization_key') }} as customer_pseudonym,
        cast(null as {{ dbt.type_string() }}) as supplier_id,
        customer_versions.full_name,
        customer_versions.email,
        customer_versions.phone,
        customer_versions.birth_date,
        customer_versions.postal_code,
        customer_versions.country
    from customer_versions
    cross join pseudonymization_key
    where customer_versions.recency_rank = 1

),

supplier_contacts as (

    select
        {{ generate_surrogate_key(["'supplier_contact'", 'supplier_id']) }} as data_subject_id,
        'supplier_contact' as data_subject_type,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as customer_pseudonym,
        supplier_id,
        full_name,
        email,
        cast(null as {{ dbt.type_string() }}) as phone,
        cast(null as date) as birth_date,
        cast(null as {{ dbt.type_string() }}) as postal_code,
        country
    from supplier_contact_versions
    where recency_rank = 1 and full_name is not null

),

final as (

    select * from customers
    union all
    select * from supplier_contacts

)

select * from final
