{#
    The warehouse's own record of what dbt did to it: every invocation that runs hooks
    (build, run, seed, snapshot, test) writes a `start` row at run start and, at run
    end, one `node` row per executed node with its status and an `end` row. The
    open-data export reads it (open_data_export/export.py) and refuses to publish from a
    warehouse whose last invocation did not end, or any of whose nodes last failed,
    errored or was skipped. It lives in the warehouse, not in target/, so it describes
    this warehouse whatever target path or machine built it (docs/decisions.md D121).
#}

{%- macro run_log_schema() -%}
    {{ var('schema_prefix', '') }}audit
{%- endmacro %}

{%- macro run_log_relation() -%}
    {{ run_log_schema() }}.dbt_run_log
{%- endmacro %}

{#- on-run-start: the log table, and this invocation's `start` row. -#}
{% macro record_run_start() -%}
    {%- if execute -%}
        {%- do run_log_execute(create_run_log_schema()) -%}
        {%- do run_log_execute(create_run_log_table()) -%}
        {%- do run_log_execute(insert_run_log_rows([run_log_row('start')])) -%}
    {%- endif -%}
    select 1 as run_start_recorded
{%- endmacro %}

{#- on-run-end: one row per executed node, then the `end` row. -#}
{% macro record_run_end(results) -%}
    {%- if execute -%}
        {#- a run whose start was not recorded (a run-start hook failed) still records its end -#}
        {%- do run_log_execute(create_run_log_schema()) -%}
        {%- do run_log_execute(create_run_log_table()) -%}
        {%- set rows = [] -%}
        {%- for result in results if result.node is not none -%}
            {%- do rows.append(run_log_row('node', result.node.unique_id, result.status)) -%}
        {%- endfor -%}
        {%- do rows.append(run_log_row('end')) -%}
        {#- a few hundred rows a statement keeps every engine's statement size small -#}
        {%- for batch in rows | batch(200) -%}
            {%- do run_log_execute(insert_run_log_rows(batch)) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1 as run_end_recorded
{%- endmacro %}

{#- Committed at once: dbt-mysql, unlike the other adapters, does not autocommit here. -#}
{% macro run_log_execute(sql) -%}
    {%- call statement('run_log', auto_begin=True) -%}
        {{ sql }}
    {%- endcall -%}
    {%- do adapter.commit() -%}
{%- endmacro %}

{%- macro run_log_row(event, unique_id=none, status=none) -%}
    {{ return({
        'invocation_id': invocation_id,
        'command': flags.WHICH,
        'event': event,
        'unique_id': unique_id,
        'status': (status | string) if status is not none else none,
        'recorded_at': modules.datetime.datetime.utcnow().isoformat(),
    }) }}
{%- endmacro %}

{%- macro run_log_literal(value) -%}
    {%- if value is none -%}null{%- else -%}'{{ value | replace("'", "''") }}'{%- endif -%}
{%- endmacro %}

{% macro insert_run_log_rows(rows) -%}
    insert into {{ run_log_relation() }} (invocation_id, command, event, unique_id, status, recorded_at)
    values
    {%- for row in rows %}
        ({{ run_log_literal(row.invocation_id) }}, {{ run_log_literal(row.command) }}, {{ run_log_literal(row.event) }}, {{ run_log_literal(row.unique_id) }}, {{ run_log_literal(row.status) }}, {{ run_log_literal(row.recorded_at) }}){{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro create_run_log_schema() -%}
    {{ return(adapter.dispatch('create_run_log_schema', 'sales_insights')()) }}
{%- endmacro %}

{% macro default__create_run_log_schema() -%}
    create schema if not exists {{ run_log_schema() }}
{%- endmacro %}

{% macro mysql__create_run_log_schema() -%}
    create database if not exists {{ run_log_schema() }}
{%- endmacro %}

{#- Every column text: the same table on every engine, with ISO-8601 UTC timestamps. -#}
{% macro create_run_log_table() -%}
    {%- set text_type = run_log_text_type() -%}
    create table if not exists {{ run_log_relation() }} (
        invocation_id {{ text_type }},
        command {{ text_type }},
        event {{ text_type }},
        unique_id {{ text_type }},
        status {{ text_type }},
        recorded_at {{ text_type }}
    ){{ run_log_table_format() }}
{%- endmacro %}

{% macro run_log_text_type() -%}
    {{ return(adapter.dispatch('run_log_text_type', 'sales_insights')()) }}
{%- endmacro %}

{% macro default__run_log_text_type() -%}
    {{ return(dbt.type_string()) }}
{%- endmacro %}

{#- dbt-mysql's string type is an unbounded text; a node's id fits in 512 characters. -#}
{% macro mysql__run_log_text_type() -%}
    {{ return('varchar(512)') }}
{%- endmacro %}

{% macro run_log_table_format() -%}
    {{ return(adapter.dispatch('run_log_table_format', 'sales_insights')()) }}
{%- endmacro %}

{% macro default__run_log_table_format() -%}
    {{ return('') }}
{%- endmacro %}

{#- the project's Spark tables are parquet (D33), which the exporter reads without a JVM -#}
{% macro spark__run_log_table_format() -%}
    {{ return(' using parquet') }}
{%- endmacro %}
