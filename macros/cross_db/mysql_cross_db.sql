{#
    dbt's cross-database macros on MySQL 8 and MariaDB 10.11+.

    dbt-mysql 1.7 implements none of them, so dbt's defaults (Postgres spellings:
    `||`, `::`, `cast(x as integer)`, date_trunc(), ...) would reach the server; on MySQL
    `||` is even a logical OR. These are the `mysql__` versions of every cross-database
    macro the project calls (`grep -r "dbt\." models macros tests snapshots`), found
    first because dbt_project.yml puts this project ahead of dbt in the `dbt` dispatch
    search order. Each is written in the syntax MySQL 8 and MariaDB share.
    (current_timestamp is the one dbt-mysql has: current_timestamp().)
#}

{#- Types, as CAST targets: MySQL casts only to signed/unsigned, decimal, char, date,
    datetime, time, double, json and binary (no `integer`, `bigint`, `text`,
    `timestamp`). Contract column types are translated separately (mysql_adapter.sql). -#}
{% macro mysql__type_string() -%}
    char
{%- endmacro %}

{% macro mysql__type_int() -%}
    signed
{%- endmacro %}

{% macro mysql__type_bigint() -%}
    signed
{%- endmacro %}

{#- MySQL's boolean is tinyint(1) and not a CAST target. -#}
{% macro mysql__type_boolean() -%}
    signed
{%- endmacro %}

{#- DATETIME, not TIMESTAMP: a MySQL TIMESTAMP is converted to the session time zone and
    ends in 2038, and the dimensions' open end is 9999-12-31. -#}
{% macro mysql__type_timestamp() -%}
    datetime
{%- endmacro %}



{#- Casts. dbt 1.7 has no dbt.cast (1.8+); this one is ready for it. A cast of a string
    that does not convert is an error inside a statement that writes a table in strict
    mode, whatever "safe" says: the project parses with parse_* macros instead, which
    check the shape (and, for dates, the calendar) before casting. -#}
{% macro mysql__cast(field, type) -%}
    cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro mysql__safe_cast(field, type) -%}
    cast({{ field }} as {{ type }})
{%- endmacro %}

{#- Strings. concat() is null when any argument is null, like `||` on the other engines. -#}
{% macro mysql__concat(fields) -%}
    concat({{ fields | join(', ') }})
{%- endmacro %}

{#- MariaDB's md5() answers in utf8mb3 with a case-insensitive collation; the outer cast
    gives the key the connection's (binary) collation, like every other string. -#}
{% macro mysql__hash(field) -%}
    cast(md5(cast({{ field }} as char)) as char)
{%- endmacro %}

{#- Dates. dateadd keeps a date a date when the part is a day or longer. -#}
{% macro mysql__dateadd(datepart, interval, from_date_or_timestamp) -%}
    date_add({{ from_date_or_timestamp }}, interval ({{ interval }}) {{ datepart }})
{%- endmacro %}

{#- The number of `datepart` boundaries crossed between the two, as dbt's Postgres
    version counts them (2024-01-31 → 2024-02-01 is one month), not MySQL's
    timestampdiff (whole elapsed units). -#}
{% macro mysql__datediff(first_date, second_date, datepart) -%}
    {%- set part = datepart | lower -%}
    {%- if part == 'day' -%}
        datediff({{ second_date }}, {{ first_date }})
    {%- elif part == 'week' -%}
        (case
            when {{ first_date }} < {{ second_date }}
                then floor(datediff({{ second_date }}, {{ first_date }}) / 7)
            else ceil(datediff({{ second_date }}, {{ first_date }}) / 7)
        end)
    {%- elif part == 'month' -%}
        ((year({{ second_date }}) * 12 + month({{ second_date }}))
            - (year({{ first_date }}) * 12 + month({{ first_date }})))
    {%- elif part == 'quarter' -%}
        ((year({{ second_date }}) * 4 + quarter({{ second_date }}))
            - (year({{ first_date }}) * 4 + quarter({{ first_date }})))
    {%- elif part == 'year' -%}
        (year({{ second_date }}) - year({{ first_date }}))
    {%- elif part in ('hour', 'minute', 'second') -%}
        timestampdiff(
            {{ part }},
            {{ mysql__date_trunc(part, first_date) }},
            {{ mysql__date_trunc(part, second_date) }}
        )
    {%- else -%}
        {{ exceptions.raise_compiler_error("datediff: unsupported datepart '" ~ datepart ~ "' on MySQL") }}
    {%- endif -%}
{%- endmacro %}

{#- The start of the period, as a datetime (dbt's Postgres version returns a timestamp
    too); weeks start on Monday, as in date_trunc('week', ...) elsewhere. -#}
{% macro mysql__date_trunc(datepart, date) -%}
    {%- set part = datepart | lower -%}
    {%- set formats = {
        'year': '%Y-01-01 00:00:00',
        'month': '%Y-%m-01 00:00:00',
        'day': '%Y-%m-%d 00:00:00',
        'hour': '%Y-%m-%d %H:00:00',
        'minute': '%Y-%m-%d %H:%i:00',
        'second': '%Y-%m-%d %H:%i:%s',
    } -%}
    {%- if part in formats -%}
        cast(date_format({{ date }}, '{{ formats[part] }}') as datetime)
    {%- elif part == 'quarter' -%}
        cast(date_add(makedate(year({{ date }}), 1), interval (quarter({{ date }}) - 1) quarter) as datetime)
    {%- elif part == 'week' -%}
        cast(date_sub(cast({{ date }} as date), interval weekday({{ date }}) day) as datetime)
    {%- else -%}
        {{ exceptions.raise_compiler_error("date_trunc: unsupported datepart '" ~ datepart ~ "' on MySQL") }}
    {%- endif -%}
{%- endmacro %}
