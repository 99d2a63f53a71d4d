{#
    Keyed pseudonyms: HMAC-SHA-256 (RFC 2104) of an identifier under a secret key.

    No engine the project supports has the same HMAC function (DuckDB and MySQL have
    none), but all have SHA-256, hex encoding and integer XOR, so HMAC is built from
    them: H((K' xor opad) || H((K' xor ipad) || message)), where K' is the key hashed
    when it is longer than SHA-256's 64-byte block and zero-padded to the block.

    The key never appears in SQL: `pseudonymization_key()` reads it from the session,
    where the connection put it (docs/decisions/privacy.md, D23).

    Usage, in a model:
        pseudonymization_key as ({{ pseudonymization_key_pads() }}),
        ... {{ pseudonymize("customer_id", "pseudonymization_key") }} as customer_pseudonym
        from source cross join pseudonymization_key
#}

{#- One row: the inner and outer padded key blocks, as 128 lowercase hex digits each. -#}
{% macro pseudonymization_key_pads(key_hex=none) -%}
    {%- set key_hex = key_hex or text_to_hex(pseudonymization_key()) -%}
    {%- set inner_bytes, outer_bytes = [], [] -%}
    {%- for position in range(64) -%}
        {%- set key_byte = hex_to_integer("substr(key_block_hex, " ~ (2 * position + 1) ~ ", 2)") -%}
        {%- do inner_bytes.append(integer_to_hex_byte(bitwise_xor(key_byte, 54))) -%}
        {%- do outer_bytes.append(integer_to_hex_byte(bitwise_xor(key_byte, 92))) -%}
    {%- endfor -%}
    select
        {{ dbt.concat(inner_bytes) }} as inner_pad_hex,
        {{ dbt.concat(outer_bytes) }} as outer_pad_hex
    from (
        select
            rpad(
                case
                    when length(key_hex) > 128 then {{ sha256_of_hex('key_hex') }}
                    else key_hex
                end,
                128,
                '0'
            ) as key_block_hex
        from (select {{ key_hex }} as key_hex) as pseudonymization_key_input
    ) as pseudonymization_key_block
{%- endmacro %}

{#- The HMAC-SHA-256 of the hex-encoded message, as 64 lowercase hex digits. -#}
{% macro hmac_sha256_of_hex(message_hex, key_pads_relation) -%}
    {{ sha256_of_hex(dbt.concat([
        key_pads_relation ~ ".outer_pad_hex",
        sha256_of_hex(dbt.concat([key_pads_relation ~ ".inner_pad_hex", message_hex])),
    ])) }}
{%- endmacro %}

{#- The keyed pseudonym of a text identifier (null stays null). -#}
{% macro pseudonymize(identifier, key_pads_relation) -%}
    {{ hmac_sha256_of_hex(text_to_hex(identifier), key_pads_relation) }}
{%- endmacro %}


{#-
    The key, checked: a key shorter than 32 bytes never builds, and a production target
    (var `production_target_names`) refuses a key containing "unsafe" in any case (the
    development default, however spaced or cased). The check runs on the engine, against
    the key the session holds, so the key never passes through dbt's Jinja; every model
    that pseudonymizes fails without it. The on-run-start guard checks more, before
    anything is built (assert_pseudonymization_key_is_safe.sql).
-#}
{% macro pseudonymization_key() -%}
    {%- set session_key = session_pseudonymization_key() -%}
    case
        when length({{ text_to_hex(session_key) }}) < 64
            then {{ raise_sql_error('The pseudonymization key (SALES_INSIGHTS_PSEUDONYMIZATION_KEY) is shorter than 32 bytes') }}
        {%- if target.name in var('production_target_names') %}
        when lower({{ session_key }}) like '%unsafe%'
            then {{ raise_sql_error("Target " ~ target.name ~ " is a production target and SALES_INSIGHTS_PSEUDONYMIZATION_KEY is the unsafe development default: set a secret key of at least 32 random bytes") }}
        {%- endif %}
        else {{ session_key }}
    end
{%- endmacro %}

{#- Where the key comes from: a session setting made by the connection, never SQL text. -#}
{% macro session_pseudonymization_key() -%}
    {{ return(adapter.dispatch('session_pseudonymization_key', 'sales_insights')()) }}
{%- endmacro %}

{% macro default__session_pseudonymization_key() -%}
    {{ exceptions.raise_compiler_error(
        "Pseudonymization: no way to read the key on adapter '" ~ target.type ~ "'. "
        ~ "Add a " ~ target.type ~ "__session_pseudonymization_key macro.") }}
{%- endmacro %}

{#- Set on every cursor by engine_plugins/pseudonymization_key.py (a dbt-duckdb plugin). -#}
{% macro duckdb__session_pseudonymization_key() -%}
    case
        when getvariable('sales_insights_pseudonymization_key') is null
            then error('The pseudonymization key is not set: the duckdb profile must load the plugin engine_plugins/pseudonymization_key.py (see profiles.yml.example)')
        else getvariable('sales_insights_pseudonymization_key')
    end
{%- endmacro %}

{#- Set by libpq from PGOPTIONS (scripts/_env.sh); the function raises a clear error without it. -#}
{% macro postgres__session_pseudonymization_key() -%}
    {{ target.schema }}.sales_insights_pseudonymization_key()
{%- endmacro %}


{#- Read at run time, in the JVM, from the environment of the process Spark runs in (in
    `session` mode dbt's own: pyspark's JVM inherits it), so the key is never a literal of
    the statement's text or plan and no error message can print it (D110). Unset or
    empty, the development default the profile carries as a Spark conf, as the other
    engines fall back to it; that conf never holds the real key. java_method answers
    String.valueOf() of the result, so an unset variable reads as the text 'null' (a key
    'null' would be refused as too short anyway). java_method is
    nondeterministic: Spark allows it in a projection, where pseudonymization_key_pads()
    and the guard's verdict use it. -#}
{% macro spark__session_pseudonymization_key() -%}
    coalesce(
        case
            when java_method('java.lang.System', 'getenv', 'SALES_INSIGHTS_PSEUDONYMIZATION_KEY') not in ('', 'null')
                then java_method('java.lang.System', 'getenv', 'SALES_INSIGHTS_PSEUDONYMIZATION_KEY')
        end,
        case
            when left('${spark.sales_insights.development_pseudonymization_key}', 2) = concat('$', '{')
                then raise_error('The pseudonymization key is not set: set SALES_INSIGHTS_PSEUDONYMIZATION_KEY in the environment of the Spark driver and executors, or the development default spark.sales_insights.development_pseudonymization_key in the profile (see profiles.yml.example)')
            else '${spark.sales_insights.development_pseudonymization_key}'
        end
    )
{%- endmacro %}

{#- A user variable set by the driver's init_command on every connection dbt-mysql opens
    (engine_plugins/mysql_pseudonymization_key.py, loaded in .venv-mysql by scripts/_env.sh). -#}
{% macro mysql__session_pseudonymization_key() -%}
    case
        when @sales_insights_pseudonymization_key is null
            then {{ raise_sql_error('The pseudonymization key is not set: run dbt-mysql from the virtualenv scripts/_env.sh sets up (DBT_TARGET=mysql)') }}
        else @sales_insights_pseudonymization_key
    end
{%- endmacro %}


{#- Building blocks, one per engine difference. -#}
{% macro text_to_hex(text_expression) -%}
    {{ return(adapter.dispatch('text_to_hex', 'sales_insights')(text_expression)) }}
{%- endmacro %}

{% macro default__text_to_hex(text_expression) -%}
    lower(hex({{ text_expression }}))
{%- endmacro %}

{% macro duckdb__text_to_hex(text_expression) -%}
    lower(hex(encode({{ text_expression }})))
{%- endmacro %}

{% macro postgres__text_to_hex(text_expression) -%}
    encode(convert_to({{ text_expression }}, 'UTF8'), 'hex')
{%- endmacro %}

{#- hex() encodes the string in its own character set: converted to utf8mb4 first, so
    a latin1 column gives the same bytes (and pseudonym) as on the other engines. -#}
{% macro mysql__text_to_hex(text_expression) -%}
    lower(hex(convert({{ text_expression }} using utf8mb4)))
{%- endmacro %}

{% macro sha256_of_hex(hex_expression) -%}
    {{ return(adapter.dispatch('sha256_of_hex', 'sales_insights')(hex_expression)) }}
{%- endmacro %}

{% macro default__sha256_of_hex(hex_expression) -%}
    lower(sha2(unhex({{ hex_expression }}), 256))
{%- endmacro %}

{% macro duckdb__sha256_of_hex(hex_expression) -%}
    sha256(unhex({{ hex_expression }}))
{%- endmacro %}

{% macro postgres__sha256_of_hex(hex_expression) -%}
    encode(sha256(decode({{ hex_expression }}, 'hex')), 'hex')
{%- endmacro %}

{#- sha2() of the bytes unhex() gives (a binary string), as hex digits. -#}
{% macro mysql__sha256_of_hex(hex_expression) -%}
    lower(sha2(unhex({{ hex_expression }}), 256))
{%- endmacro %}

{% macro hex_to_integer(hex_expression) -%}
    {{ return(adapter.dispatch('hex_to_integer', 'sales_insights')(hex_expression)) }}
{%- endmacro %}

{% macro default__hex_to_integer(hex_expression) -%}
    cast(conv({{ hex_expression }}, 16, 10) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro duckdb__hex_to_integer(hex_expression) -%}
    cast('0x' || {{ hex_expression }} as integer)
{%- endmacro %}

{% macro postgres__hex_to_integer(hex_expression) -%}
    cast(cast(concat('x', {{ hex_expression }}) as bit(8)) as integer)
{%- endmacro %}

{#- conv() answers in decimal digits, as a string. -#}
{% macro mysql__hex_to_integer(hex_expression) -%}
    cast(conv({{ hex_expression }}, 16, 10) as unsigned)
{%- endmacro %}

{% macro bitwise_xor(left, right) -%}
    {{ return(adapter.dispatch('bitwise_xor', 'sales_insights')(left, right)) }}
{%- endmacro %}

{% macro default__bitwise_xor(left, right) -%}
    ({{ left }} ^ {{ right }})
{%- endmacro %}

{% macro duckdb__bitwise_xor(left, right) -%}
    xor({{ left }}, {{ right }})
{%- endmacro %}

{% macro postgres__bitwise_xor(left, right) -%}
    ({{ left }} # {{ right }})
{%- endmacro %}

{#- `^` of two integers is a BIGINT UNSIGNED on MySQL 8 and MariaDB (MySQL 8's `^` of
    two binary strings would XOR them bytewise: the operands are integers here). -#}
{% macro mysql__bitwise_xor(left, right) -%}
    ({{ left }} ^ {{ right }})
{%- endmacro %}

{% macro integer_to_hex_byte(integer_expression) -%}
    {{ return(adapter.dispatch('integer_to_hex_byte', 'sales_insights')(integer_expression)) }}
{%- endmacro %}

{% macro default__integer_to_hex_byte(integer_expression) -%}
    lpad(lower(hex({{ integer_expression }})), 2, '0')
{%- endmacro %}

{% macro postgres__integer_to_hex_byte(integer_expression) -%}
    lpad(to_hex({{ integer_expression }}), 2, '0')
{%- endmacro %}

{#- hex() of an integer is its hexadecimal digits, in upper case. -#}
{% macro mysql__integer_to_hex_byte(integer_expression) -%}
    lpad(lower(hex({{ integer_expression }})), 2, '0')
{%- endmacro %}
