{#
    Right to erasure (GDPR article 17). The warehouse keeps no list of erased people: at
    every build it reads the privacy office's landed requests and applies them where a
    customer number enters the warehouse (the base models and the restricted model), so
    nothing downstream ever holds an erased customer's number or pseudonym. Every
    request that names a customer is honoured, even one set aside for an unparsable
    timestamp: erasing is the safe side.
#}

{#- The customer numbers to erase, one row each (a CTE body), normalised exactly as the
    customer numbers they target (customer_number()). `requests` is the landed requests'
    relation, for callers that must not ref() it (a seed's hook); by default the source. -#}
{% macro erased_customer_numbers(requests=none) -%}
    select distinct {{ customer_number('customer_id') }} as erased_customer_id
    from {{ requests if requests is not none else raw_source('privacy_office', 'erasure_requests') }}
    where {{ customer_number('customer_id') }} is not null
{%- endmacro %}

{#- Every customer number the warehouse holds (a CTE body): the order lines' and the
    deduction rates', normalised. An erasure request that names none of them is
    unmatched (docs/privacy.md, D101). -#}
{% macro landed_customer_numbers() -%}
    select {{ customer_number('customer_id') }} as landed_customer_id
    from {{ raw_source('sales_system', 'sales_order_lines') }}
    where {{ customer_number('customer_id') }} is not null
    union
    select {{ customer_number('customer_id') }} as landed_customer_id
    from {{ raw_source('finance', 'post_invoice_deductions') }}
    where {{ customer_number('customer_id') }} is not null
{%- endmacro %}

{#- What an erased customer's pseudonym becomes: one shared value, the erased member. -#}
{% macro erased_customer_pseudonym() -%}
    'erased'
{%- endmacro %}

{#- One row per customer number of `rows` (a relation or CTE with a customer_id column),
    normalised (customer_number()), with its pseudonym, or the shared erased value when
    the customer asked to be erased (a CTE body), and the landing batch of the erasure
    request (null where none, or where requests record no batches): the rows it
    redacted changed then (D134). A model left-joins it on customer_number(customer_id):
    each customer is pseudonymized once (two SHA-256), however many rows it has. -#}
{% macro customer_pseudonyms(rows) -%}
    {%- set requests = raw_source('privacy_office', 'erasure_requests') %}
    select
        customer_numbers.customer_number,
        case
            when erased_customers.erased_customer_id is not null then {{ erased_customer_pseudonym() }}
            else {{ pseudonymize('customer_numbers.customer_number', 'pseudonymization_key') }}
        end as customer_pseudonym,
        erased_customers.erasure_batch_id
    from (
        select distinct {{ customer_number('customer_id') }} as customer_number
        from {{ rows }}
        where {{ customer_number('customer_id') }} is not null
    ) as customer_numbers
    cross join ({{ pseudonymization_key_pads() }}) as pseudonymization_key
    left join (
        select
            {{ customer_number('customer_id') }} as erased_customer_id,
            max({{ landing_batch_id(requests) }}) as erasure_batch_id
        from {{ requests }}
        where {{ customer_number('customer_id') }} is not null
        group by {{ customer_number('customer_id') }}
    ) as erased_customers
        on customer_numbers.customer_number = erased_customers.erased_customer_id
{%- endmacro %}

{#-
    A snapshot's history is not rebuilt by dbt, so an erased customer's past versions
    would survive in it: this post-hook deletes every version whose pseudonym belongs
    to an erased customer (recomputed from the requests and the key, never stored).
-#}
{% macro purge_erased_customers(relation, pseudonym_column='customer_pseudonym') -%}
    {{ return(adapter.dispatch('purge_erased_customers', 'sales_insights')(relation, pseudonym_column)) }}
{%- endmacro %}

{% macro default__purge_erased_customers(relation, pseudonym_column) -%}
    delete from {{ relation }}
    where {{ pseudonym_column }} in ({{ erased_customer_pseudonyms() }})
{%- endmacro %}

{#- Parquet tables have no DELETE, and Spark cannot overwrite a table it reads: the kept
    rows go through a side table. The statements run here, one at a time. -#}
{% macro spark__purge_erased_customers(relation, pseudonym_column) -%}
    {#- rendered outside `execute` too, so that parsing records the requests' dependency -#}
    {%- set erased_pseudonyms = erased_customer_pseudonyms() -%}
    {%- if execute -%}
        {%- set kept = relation.incorporate(path={"identifier": relation.identifier ~ "__dbt_purged"}) -%}
        {%- do run_query("drop table if exists " ~ kept) -%}
        {%- do run_query(
            "create table " ~ kept ~ " using parquet as select * from " ~ relation
            ~ " where " ~ pseudonym_column ~ " not in (" ~ erased_pseudonyms ~ ")"
        ) -%}
        {%- do run_query("insert overwrite table " ~ relation ~ " select * from " ~ kept) -%}
        {%- do run_query("drop table if exists " ~ kept) -%}
    {%- endif -%}
    select 1 as erased_customers_purged
{%- endmacro %}

{#- The pseudonyms of the erased customers (a subquery body), recomputed, never stored. -#}
{% macro erased_customer_pseudonyms() -%}
    select {{ pseudonymize('erased_customers.erased_customer_id', 'pseudonymization_key') }}
    from ({{ erased_customer_numbers() }}) as erased_customers
    cross join ({{ pseudonymization_key_pads() }}) as pseudonymization_key
{%- endmacro %}
