{#
    The erasure purge of the landed rows (docs/privacy.md; D72, D102): the one erasure
    command, `./scripts/erase.sh` (`dbt run-operation purge_erased_landed_personal_data`),
    which the daily pipeline runs after a green build; on the seed path it also runs as
    the order-line and erasure-request seeds land (purge_erased_landed_personal_data_as_seeded).

    The build already keeps an erased customer out of every model and snapshot (D25),
    but the landed export `raw.sales_order_lines` still holds their name, e-mail, phone,
    birth date and postal code, and an extract-load may land them again. This operation
    redacts those columns in the landed rows of every customer with a landed erasure
    request, matched after the same normalisation as everywhere (customer_number()). It
    keeps the rows and the customer number: the lines stay in the totals (D25) and the
    number is what lets every later build recognize the lines as erased (it is in the
    request itself anyway). `customer_name` becomes the shared value `erased` rather than
    empty, because an empty name would quarantine the line (`missing_customer_name`) and
    take its sales out of the totals. No model reads the redacted columns except the
    restricted model and the snapshot, which drop erased customers, so the next build
    gives the same marts. Idempotent: a row already redacted is left alone, and a re-run
    redacts nothing. Nothing to do (a log line, no error) while either table is not landed.
    `landed` and `requests` are relations, for a caller that must not ref() them (a seed's
    hook); by default the sources.
-#}
{% macro purge_erased_landed_personal_data(landed=none, requests=none) -%}
    {%- set landed = landed if landed is not none else source('sales_system', 'sales_order_lines') -%}
    {%- set requests = requests if requests is not none else source('privacy_office', 'erasure_requests') -%}
    {%- for relation in [landed, requests] -%}
        {%- if adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) is none -%}
            {{ log("erasure purge: nothing to purge, " ~ relation ~ " is not landed", info=true) }}
            {{ return('') }}
        {%- endif -%}
    {%- endfor -%}
    {%- set redacted_columns = ['customer_email', 'customer_phone', 'customer_birth_date', 'postal_code'] -%}
    {%- set still_personal -%}
        {{ customer_number('customer_id') }} in ({{ erased_customer_numbers(requests) }})
        and (
            coalesce(customer_name, '') <> {{ erased_customer_pseudonym() }}
            {%- for column in redacted_columns %}
            or {{ column }} is not null
            {%- endfor %}
        )
    {%- endset -%}
    {%- set to_purge = run_query("select count(*) from " ~ landed ~ " where " ~ still_personal).columns[0].values()[0] | int -%}
    {%- if to_purge > 0 -%}
        {%- do adapter.dispatch('redact_landed_rows', 'sales_insights')(landed, requests, redacted_columns, still_personal, to_purge) -%}
    {%- endif -%}
    {%- set left_over = run_query("select count(*) from " ~ landed ~ " where " ~ still_personal).columns[0].values()[0] | int -%}
    {%- if left_over > 0 -%}
        {{ exceptions.raise_compiler_error(
            "erasure purge: " ~ left_over ~ " landed row(s) of erased customers in " ~ landed ~ " still hold personal data"
        ) }}
    {%- endif -%}
    {{ log("erasure purge: redacted the personal data of " ~ to_purge ~ " landed order line(s) of erased customers in " ~ landed, info=true) }}
{%- endmacro %}

{#-
    On the seed path the landing is the committed CSV files, and every build loads them
    into `raw` again: the purge runs as the order lines and the erasure requests land, in
    a post-hook of both seeds, after the seed's commit (`transaction: false`), so the
    erased customers' personal data is redacted in the same step that re-seeds it
    (D103). Whichever of the two seeds commits last sees the other, so the purge normally
    uses this build's requests; the relations are the seed's neighbours in its schema (a
    seed's hook cannot ref() another seed). Should both hooks run at the same moment on a
    fresh database, each before the other seed is known, the `on-run-end` hook
    (purge_erased_landed_personal_data_after_seeding) purges once more when the run ends.
-#}
{% macro purge_erased_landed_personal_data_as_seeded() -%}
    {%- if execute -%}
        {#- the seed's own table is known to dbt's cache only once its hooks have run -#}
        {%- do adapter.cache_added(this.incorporate(type='table')) -%}
        {%- set landed = api.Relation.create(database=this.database, schema=this.schema, identifier='sales_order_lines') -%}
        {%- set requests = api.Relation.create(database=this.database, schema=this.schema, identifier='erasure_requests') -%}
        {%- do purge_erased_landed_personal_data(landed, requests) -%}
    {%- endif -%}
{%- endmacro %}

{#- `on-run-end`: after any run that loaded seeds, on the seed path only (D103). -#}
{% macro purge_erased_landed_personal_data_after_seeding() -%}
    {%- if execute and var('raw_data_from_seeds') | as_bool
        and results | selectattr('node.resource_type', 'equalto', 'seed') | list | length > 0 -%}
        {%- do purge_erased_landed_personal_data() -%}
    {%- endif -%}
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
    autocommit what a run-operation runs. Where the landing records batches, the redacted
    rows are a landing batch of their own (`purge`), so that the base model built batch
    by batch reads them again (macros/incremental/landing_batches.sql). -#}
{% macro default__redact_landed_rows(landed, requests, redacted_columns, still_personal, row_count) -%}
    {%- set batch = landing_batch_of_a_rewrite(landed) -%}
    {%- call statement('redact_landed_rows', auto_begin=True) -%}
        update {{ landed }}
        set
            customer_name = {{ redacted_value('customer_name') }}
            {%- for column in redacted_columns %},
            {{ column }} = {{ redacted_value(column) }}
            {%- endfor %}
            {%- if batch is not none %},
            _landing_batch_id = '{{ batch.id }}'
            {%- endif %}
        where {{ still_personal }}
    {%- endcall -%}
    {%- if batch is not none -%}
        {%- call statement('record_purge_batch') -%}
            {{ record_landing_batch_sql(batch, landed.identifier, 'purge', row_count) }}
        {%- endcall -%}
    {%- endif -%}
    {%- do adapter.commit() -%}
{%- endmacro %}

{#- Parquet tables have no UPDATE, and Spark cannot overwrite a table it reads: the
    redacted table goes through a side table, as in spark__purge_erased_customers. Spark
    allows an IN subquery only in a filter, so the projection joins the requests. No
    landing batch is recorded: Spark's base models are rebuilt in full at every run. -#}
{% macro spark__redact_landed_rows(landed, requests, redacted_columns, still_personal, row_count) -%}
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
        ~ " from " ~ landed ~ " as landed left join (" ~ erased_customer_numbers(requests) ~ ") as erased_customers"
        ~ " on " ~ customer_number('landed.customer_id') ~ " = erased_customers.erased_customer_id"
    ) -%}
    {%- do run_query("insert overwrite table " ~ landed ~ " select " ~ columns | join(", ") ~ " from " ~ side) -%}
    {%- do run_query("drop table if exists " ~ side) -%}
{%- endmacro %}
