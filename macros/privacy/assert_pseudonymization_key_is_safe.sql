{#
    Run first in every dbt run (on-run-start), so that an unsafe or missing key is
    reported before anything else; the same check guards every model that
    pseudonymizes (see pseudonymization_key in pseudonymize.sql).
#}
{% macro assert_pseudonymization_key_is_safe() -%}
    select {{ pseudonymization_key() }} is not null as pseudonymization_key_is_safe
{%- endmacro %}

{#- An expression that aborts the statement with the message. -#}
{% macro raise_sql_error(message) -%}
    {{ return(adapter.dispatch('raise_sql_error', 'sales_insights')(message)) }}
{%- endmacro %}

{% macro default__raise_sql_error(message) -%}
    {{ exceptions.raise_compiler_error("raise_sql_error is not implemented on " ~ target.type) }}
{%- endmacro %}

{% macro duckdb__raise_sql_error(message) -%}
    error('{{ message }}')
{%- endmacro %}

{% macro spark__raise_sql_error(message) -%}
    raise_error('{{ message }}')
{%- endmacro %}

{% macro postgres__raise_sql_error(message) -%}
    {{ target.schema }}.sales_insights_raise('{{ message }}')
{%- endmacro %}

{#- MySQL has no expression that raises: a stored function that SIGNALs, created at run
    start (mysql__create_engine_helpers). -#}
{% macro mysql__raise_sql_error(message) -%}
    {{ target.schema }}.sales_insights_raise('{{ message }}')
{%- endmacro %}
