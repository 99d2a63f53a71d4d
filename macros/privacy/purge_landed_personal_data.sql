{#
    The erasure purge of the daily pipeline (docs/decisions.md D72), run after a green
    build: `dbt run-operation purge_erased_landed_personal_data`.

    The build already keeps an erased customer out of every model and snapshot (D25),
    but the landed export `raw.sales_order_lines` still holds their name, e-mail, phone,
    birth date and postal code, and an extract-load may land them again. This operation
    redacts those columns in the landed rows of every customer with a landed erasure
    request. It keeps the rows and the customer number: the lines stay in the totals
    (D25) and the number is what lets every later build recognize the lines as erased
    (it is in the request itself anyway). `customer_name` becomes the shared value
    `erased` rather than empty, because an empty name would quarantine the line
    (`missing_customer_name`) and take its sales out of the totals. No model reads the
    redacted columns except the restricted model and the snapshot, which drop erased
    customers, so the next build gives the same marts. Idempotent: a row already
    redacted is left alone, and a re-run redacts nothing.
-#}
{% macro purge_erased_landed_personal_data() -%}
    {%- set landed = source('sales_system', 'sales_order_lines') -%}
    {%- set redacted_columns = ['customer_email', 'customer_phone', 'customer_birth_date', 'postal_code'] -%}
    {%- set still_personal -%}
        {{ clean_text('customer_id') }} in ({{ erased_customer_numbers() }})
        and (
            coalesce(customer_name, '') <> {{ erased_customer_pseudonym() }}
            {%- for column in redacted_columns %}
            or {{ column }} is not null
            {%- endfor %}
        )
    {%- endset -%}
    {%- set to_purge = run_query("select count(*) from " ~ landed ~ " where " ~ still_personal).columns[0].values()[0] | int -%}
    {%- if to_purge > 0 -%}
        {%- do adapter.dispatch('redact_landed_rows', 'sales_insights')(landed, redacted_columns, still_personal) -%}
    {%- endif -%}
    {%- set left_over = run_query("select count(*) from " ~ landed ~ " where " ~ still_personal).columns[0].values()[0] | int -%}
    {%- if left_over > 0 -%}
        {{ exceptions.raise_compiler_error(
            "erasure purge: " ~ left_over ~ " landed row(s) of erased customers in " ~ landed ~ " still hold personal data"
        ) }}
    {%- endif -%}
    {{ log("erasure purge: redacted the personal data of " ~ to_purge ~ " landed order line(s) of erased customers in " ~ landed, info=true) }}
{%- endmacro %}

{#- The redacted row: the name becomes the shared erased value, the rest is emptied. -#}
{% macro redacted_value(column) -%}
    {%- if column == 'customer_name' -%}
        {{ erased_customer_pseudonym() }}
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- In a transaction of its own, committed: dbt-mysql, unlike the others, does not
    autocommit what a run-operation runs. -#}
{% macro default__redact_landed_rows(landed, redacted_columns, still_personal) -%}
    {%- call statement('redact_landed_rows', auto_begin=True) -%}
        update {{ landed }}
        set
            customer_name = {{ redacted_value('customer_name') }}
            {%- for column in redacted_columns %},
            {{ column }} = {{ redacted_value(column) }}
            {%- endfor %}
        where {{ still_personal }}
    {%- endcall -%}
    {%- do adapter.commit() -%}
{%- endmacro %}

{#- Parquet tables have no UPDATE, and Spark cannot overwrite a table it reads: the
    redacted table goes through a side table, as in spark__purge_erased_customers. Spark
    allows an IN subquery only in a filter, so the projection joins the requests. -#}
{% macro spark__redact_landed_rows(landed, redacted_columns, still_personal) -%}
    {%- set columns = adapter.get_columns_in_relation(landed) | map(attribute='name') | list -%}
    {%- set side = landed.incorporate(path={"identifier": landed.identifier ~ "__purging"}) -%}
    {%- set select_list = [] -%}
    {%- for column in columns -%}
        {%- if column | lower == 'customer_name' or column | lower in redacted_columns -%}
            {%- do select_list.append(
                "case when erased_customers.erased_customer_id is not null then "
                ~ redacted_value(column | lower) ~ " else landed." ~ column ~ " end as " ~ column
            ) -%}
        {%- else -%}
            {%- do select_list.append("landed." ~ column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do run_query("drop table if exists " ~ side) -%}
    {%- do run_query(
        "create table " ~ side ~ " using parquet as select " ~ select_list | join(", ")
        ~ " from " ~ landed ~ " as landed left join (" ~ erased_customer_numbers() ~ ") as erased_customers"
        ~ " on " ~ clean_text('landed.customer_id') ~ " = erased_customers.erased_customer_id"
    ) -%}
    {%- do run_query("insert overwrite table " ~ landed ~ " select " ~ columns | join(", ") ~ " from " ~ side) -%}
    {%- do run_query("drop table if exists " ~ side) -%}
{%- endmacro %}
