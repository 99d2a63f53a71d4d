{#
    Helpers some engines need as database functions, created at the start of every run
    (`on-run-start` in dbt_project.yml). DuckDB needs none.
#}
{% macro create_engine_helpers() -%}
    {{ return(adapter.dispatch('create_engine_helpers', 'sales_insights')()) }}
{%- endmacro %}

{% macro default__create_engine_helpers() -%}
    select 1 as no_engine_helpers_needed
{%- endmacro %}

{#
    PostgreSQL has no try_cast: a well-formed but impossible date (2024-02-30) would fail
    the whole statement. These functions return null instead, like DuckDB's try_cast.
#}
{% macro postgres__create_engine_helpers() -%}
    create schema if not exists {{ target.schema }};
    {#- the roles the grants name (cluster-wide; created once, never dropped): analysts
        read the marts, the public role will read the open-data schema -#}
    {% for role in [
        env_var('SALES_INSIGHTS_ANALYST_ROLE', 'sales_insights_analyst'),
        env_var('SALES_INSIGHTS_PUBLIC_ROLE', 'sales_insights_public'),
    ] %}
    do $roles$
    begin
        if not exists (select from pg_catalog.pg_roles where rolname = '{{ role }}') then
            create role {{ role }} nologin;
        end if;
    end
    $roles$;
    {% endfor %}
    {#- the pseudonymization key comes from the session (PGOPTIONS), never from SQL text -#}
    create or replace function {{ target.schema }}.sales_insights_pseudonymization_key() returns text
    language plpgsql stable as $body$
    declare
        key text := current_setting('sales_insights.pseudonymization_key', true);
    begin
        if key is null or key = '' then
            raise exception 'The pseudonymization key is not set: export SALES_INSIGHTS_PSEUDONYMIZATION_KEY and run dbt through scripts/_env.sh, which passes it to the session in PGOPTIONS';
        end if;
        return key;
    end
    $body$;
    {#- volatile, or the planner would fold a constant call and raise unconditionally -#}
    create or replace function {{ target.schema }}.sales_insights_raise(message text) returns text
    language plpgsql volatile as $body$
    begin
        raise exception '%', message;
    end
    $body$;
    create or replace function {{ target.schema }}.try_cast_date(value text) returns date
    language plpgsql immutable as $body$
    begin
        return value::date;
    exception when others then
        return null;
    end
    $body$;
    create or replace function {{ target.schema }}.try_cast_timestamp(value text) returns timestamp
    language plpgsql immutable as $body$
    begin
        return value::timestamp;
    exception when others then
        return null;
    end
    $body$
{%- endmacro %}

{#
    MySQL and MariaDB: the roles the grants name, and `sales_insights_raise`, which
    aborts a statement with a message (SIGNAL; MySQL has no expression that raises), in
    the profile's schema, a database of its own. No try_cast helpers: try_cast checks
    the calendar in SQL (parse_values.sql). The driver runs one statement at a time, so
    they run here, one by one, and the hook itself is a trivial select.
#}
{% macro mysql__create_engine_helpers() -%}
    {%- if execute -%}
        {%- set statements = [
            "create database if not exists " ~ target.schema ~ " default character set utf8mb4 collate "
                ~ (target.get('collation') or 'utf8mb4_bin'),
            "create role if not exists "
                ~ env_var('SALES_INSIGHTS_ANALYST_ROLE', 'sales_insights_analyst') ~ ", "
                ~ env_var('SALES_INSIGHTS_PUBLIC_ROLE', 'sales_insights_public'),
            "drop function if exists " ~ target.schema ~ ".sales_insights_raise",
            "create function " ~ target.schema ~ ".sales_insights_raise(message varchar(1000))
            returns varchar(1)
            not deterministic no sql
            begin
                -- MySQL 8 refuses a condition message over 128 characters (MariaDB not)
                declare shortened varchar(128) default left(message, 128);
                signal sqlstate '45000' set message_text = shortened;
                return null;
            end",
        ] -%}
        {%- for statement in statements -%}
            {%- do run_query(statement) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1 as engine_helpers_created
{%- endmacro %}

{#
    DuckDB is an embedded file with no roles: access is whoever can read the file.
    dbt-duckdb warns on every grant; the project's grants are enforced on the engines
    that have roles, and on DuckDB they are a documented no-op rather than a warning.
#}
{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}

{#
    Open-source Spark SQL has no GRANT ("Operation not allowed"), locally or through the
    Thrift server: access is whatever the storage and the metastore allow. On Spark the
    grants are a documented no-op, as on DuckDB; a Databricks workspace with table ACLs
    is the job of the dbt-databricks adapter, not of dbt-spark.
#}
{% macro spark__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}

{#
    dbt's grants are table privileges; a role also needs USAGE on the schema to reach
    a table. Run at the end of every run (`on-run-end`), on the engines with roles.
#}
{% macro grant_schema_usage() -%}
    {{ return(adapter.dispatch('grant_schema_usage', 'sales_insights')()) }}
{%- endmacro %}

{% macro default__grant_schema_usage() -%}
    select 1 as no_schema_grants_needed
{%- endmacro %}

{% macro postgres__grant_schema_usage() -%}
    {%- set analyst_role = env_var('SALES_INSIGHTS_ANALYST_ROLE', 'sales_insights_analyst') -%}
    {% for schema in ['core', 'sales', 'inventory'] %}
    create schema if not exists {{ var('schema_prefix', '') }}{{ schema }};
    grant usage on schema {{ var('schema_prefix', '') }}{{ schema }} to {{ analyst_role }};
    {% endfor %}
    {#- created here like the others: a run that builds no model (`dbt seed` alone, on a
        fresh database) ends with this hook before any model created the schema -#}
    create schema if not exists {{ var('schema_prefix', '') }}restricted;
    revoke all on schema {{ var('schema_prefix', '') }}restricted from {{ analyst_role }};
    {#- the public reads the open-data schema, and nothing else -#}
    {%- set public_role = env_var('SALES_INSIGHTS_PUBLIC_ROLE', 'sales_insights_public') %}
    create schema if not exists {{ var('schema_prefix', '') }}open_data;
    grant usage on schema {{ var('schema_prefix', '') }}open_data to {{ public_role }}
{%- endmacro %}
