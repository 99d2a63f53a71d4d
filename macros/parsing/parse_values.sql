{#
    Parsing raw text into typed values. Every raw column lands as text; a value that
    does not have the contract's exact format becomes null (and the staging model turns
    that into a quarantine reason or applies the column's missing-value policy).
    The format is checked with a regular expression first because engines' own casts
    are too lenient (DuckDB casts '3.5' to the integer 4).
#}

{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{% macro matches_pattern(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern', 'sales_insights')(expression, pattern)) }}
{%- endmacro %}

{% macro default__matches_pattern(expression, pattern) -%}
    regexp_like({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__matches_pattern(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__matches_pattern(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{#- Java's `$` also matches before a final line break ('12\n' would pass as an integer);
    `\z` is the true end of the value. Backslashes are escapes in Spark's string literals. -#}
{% macro spark__matches_pattern(expression, pattern) -%}
    {%- if pattern.endswith('$') -%}
        {%- set pattern = pattern[:-1] ~ '\\\\z' -%}
    {%- endif -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}

{#- MariaDB has no regexp_like (MySQL 8 has); both have the REGEXP operator, which is
    case-sensitive under the project's binary collation (see profiles.yml.example). Both
    engines' `$` (PCRE on MariaDB, ICU on MySQL 8) also match before a final line break,
    as Java's does: `\z` is the true end of the value (the backslash doubled for
    MySQL's string literals). -#}
{% macro mysql__matches_pattern(expression, pattern) -%}
    {%- if pattern.endswith('$') -%}
        {%- set pattern = pattern[:-1] ~ '\\\\z' -%}
    {%- endif -%}
    ({{ expression }} regexp '{{ pattern }}')
{%- endmacro %}

{% macro parse_integer(column) -%}
    case
        when {{ matches_pattern(clean_text(column), '^[-+]?[0-9]{1,9}$') }}
            then cast({{ clean_text(column) }} as {{ dbt.type_int() }})
    end
{%- endmacro %}

{% macro parse_decimal(column, precision=18, scale=4) -%}
    case
        when {{ matches_pattern(clean_text(column), '^[-+]?[0-9]{1,12}([.][0-9]+)?$') }}
            then cast({{ clean_text(column) }} as decimal({{ precision }}, {{ scale }}))
    end
{%- endmacro %}

{% macro parse_date(column) -%}
    case
        when {{ matches_pattern(clean_text(column), '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') }}
            then {{ try_cast(clean_text(column), 'date') }}
    end
{%- endmacro %}

{% macro parse_timestamp(column) -%}
    case
        when {{ matches_pattern(clean_text(column), '^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}$') }}
            then {{ try_cast(clean_text(column), dbt.type_timestamp()) }}
    end
{%- endmacro %}

{#- A cast that gives null instead of failing on a value of the right shape but
    impossible (2024-02-30): the format was already checked by a regular expression. -#}
{% macro try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'sales_insights')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    {{ dbt.safe_cast(expression, data_type) }}
{%- endmacro %}

{% macro duckdb__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- Spark 3.2+ has try_cast; dbt-spark turns ANSI mode off (where a plain cast gives null
    too), but a cluster's session may have it on. -#}
{% macro spark__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- dates and timestamps only: see create_engine_helpers -#}
{% macro postgres__try_cast(expression, data_type) -%}
    {%- if data_type | lower == 'date' -%}
        {{ target.schema }}.try_cast_date({{ expression }})
    {%- elif 'timestamp' in data_type | lower -%}
        {{ target.schema }}.try_cast_timestamp({{ expression }})
    {%- else -%}
        cast({{ expression }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}

{#- MySQL's cast of an impossible date is null with a warning in a query, but an error
    in a statement that writes a table (strict mode, the default): the build would stop
    on the first 2024-02-30. So the calendar is checked in SQL first (month 1-12, day
    within the month, time of day within the day) and only a real date is cast. The
    shape was already checked by a regular expression: `yyyy-mm-dd` and, for
    timestamps, `yyyy-mm-dd hh:mi:ss` with a space or a T. -#}
{% macro mysql__try_cast(expression, data_type) -%}
    {%- set type = data_type | lower -%}
    {%- if type not in ('date', 'datetime', 'timestamp') -%}
        cast({{ expression }} as {{ data_type }})
    {%- else -%}
        {%- set month = 'cast(substring(' ~ expression ~ ', 6, 2) as unsigned)' -%}
        {%- set day = 'cast(substring(' ~ expression ~ ', 9, 2) as unsigned)' -%}
        case
            when {{ month }} between 1 and 12
                and {{ day }} between 1
                    and dayofmonth(last_day(cast(concat(substring({{ expression }}, 1, 7), '-01') as date)))
            {%- if type != 'date' %}
                and cast(substring({{ expression }}, 12, 2) as unsigned) <= 23
                and cast(substring({{ expression }}, 15, 2) as unsigned) <= 59
                and cast(substring({{ expression }}, 18, 2) as unsigned) <= 59
            {%- endif %}
                then
                {%- if type == 'date' %} cast({{ expression }} as date)
                {%- else %} cast(replace({{ expression }}, 'T', ' ') as datetime)
                {%- endif %}
        end
    {%- endif -%}
{%- endmacro %}

{#- A value is "unparsable" when it is present as text but does not parse. -#}
{% macro is_unparsable(raw_column, parsed_expression) -%}
    ({{ clean_text(raw_column) }} is not null and {{ parsed_expression }} is null)
{%- endmacro %}
