{#
    The production guard, run first in every dbt run (on-run-start, after the engine
    helpers), before any seed, model or snapshot: an unsafe or missing key stops the run
    before a relation is created (D107-D109).

    The engine judges the key the session holds (pseudonymization_key_verdict) and
    answers with a verdict only, never the key: the key passes through neither dbt's
    Jinja nor SQL text, and no message prints it. A refused key raises while the hook
    is compiled, which ends the run: dbt 1.11 lets a compilation error of a start hook
    through (and `skip_nodes_if_on_run_start_fails` skips every node after any failed
    start hook); dbt 1.7 (MySQL) catches every runtime error of a hook and goes on with
    the nodes, so there the refusal is an error it does not catch.

    Every model that pseudonymizes checks the key again (pseudonymization_key() in
    pseudonymize.sql), for the commands that run no hooks.
#}
{% macro assert_pseudonymization_key_is_safe() -%}
    {%- if execute -%}
        {%- set verdict = run_query(pseudonymization_key_verdict()).columns[0].values()[0] -%}
        {%- if verdict != 'safe' -%}
            {%- set production = 'Target ' ~ target.name ~ ' is a production target and SALES_INSIGHTS_PSEUDONYMIZATION_KEY ' -%}
            {%- set reasons = {
                'too_short': 'The pseudonymization key (SALES_INSIGHTS_PSEUDONYMIZATION_KEY) is shorter than 32 bytes',
                'development_default': production ~ 'is the unsafe development default (it contains the word unsafe, in some case or spacing)',
                'too_few_distinct_bytes': production ~ 'has fewer than 8 distinct byte values in its first 64 bytes (one character repeated, or a short pattern): it is not random',
            } -%}
            {%- set message = reasons.get(verdict, 'The pseudonymization key was refused: ' ~ verdict)
                ~ '. Set a secret key of at least 32 random bytes, e.g. python -c "import secrets; print(secrets.token_hex(32))". No seed, model or snapshot was run.' -%}
            {{ refuse_run(message) }}
        {%- endif -%}
    {%- endif -%}
    select 1 as pseudonymization_key_is_safe
{%- endmacro %}

{#-
    One row, one column: 'safe', or why the session's key is refused. Every target
    refuses a key under 32 bytes; a production target (var production_target_names)
    also refuses a key that contains "unsafe" in any case (the development default,
    whatever its spacing or case) and a key with fewer than 8 distinct byte values in
    its first 64 bytes (the HMAC key block).
-#}
{% macro pseudonymization_key_verdict() -%}
    {%- set is_production = target.name in var('production_target_names') -%}
    select
        case
            when key_bytes < 32 then 'too_short'
            {%- if is_production %}
            when contains_unsafe = 1 then 'development_default'
            when distinct_bytes < 8 then 'too_few_distinct_bytes'
            {%- endif %}
            else 'safe'
        end as verdict
    from (
        select
            max(length(session_key.key_hex)) / 2 as key_bytes,
            max(case when lower(session_key.key_text) like '%unsafe%' then 1 else 0 end) as contains_unsafe,
            count(distinct case
                when byte_positions.byte_position * 2 <= length(session_key.key_hex)
                    then substr(session_key.key_hex, byte_positions.byte_position * 2 - 1, 2)
            end) as distinct_bytes
        from (
            select
                key_text,
                {{ text_to_hex('key_text') }} as key_hex
            from (select {{ session_pseudonymization_key() }} as key_text) as session_key_text
        ) as session_key
        cross join ({{ key_byte_positions() }}) as byte_positions
    ) as key_facts
{%- endmacro %}

{#- The positions 1..64 of the key block's bytes, one row each. -#}
{% macro key_byte_positions() -%}
    {{ return(adapter.dispatch('key_byte_positions', 'sales_insights')()) }}
{%- endmacro %}

{% macro default__key_byte_positions() -%}
    {%- for position in range(1, 65) %}
    select {{ position }} as byte_position{{ ' union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- One generated row source: Spark runs each arm of a union as a task of its own. -#}
{% macro spark__key_byte_positions() -%}
    select explode(sequence(1, 64)) as byte_position
{%- endmacro %}

{#- Ends the run with the message, before any node runs (see above). -#}
{% macro refuse_run(message) -%}
    {%- if dbt_version is string and dbt_version.startswith('1.7') -%}
        {#- dbt 1.7's safe_run_hooks catches DbtRuntimeError (a compilation error too) and
            runs the nodes anyway; a DependencyError is not one, so it ends the run -#}
        {%- do exceptions.raise_dependency_error(message) -%}
    {%- else -%}
        {%- do exceptions.raise_compiler_error(message) -%}
    {%- endif -%}
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
