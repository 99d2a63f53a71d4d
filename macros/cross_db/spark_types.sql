{#
    The contracts declare portable type names (`varchar`, `integer`, `decimal(p,s)`, ...).
    Spark knows `varchar` only with a length, and calls text `string`; dbt checks a
    contract by casting nulls to the declared types, so on Spark the declared text
    types are read as `string` (what Spark's own columns report) before casting.
#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type_name(type) }})
{%- endmacro %}

{% macro spark_type_name(type) -%}
    {%- set spark_types = {'varchar': 'string', 'text': 'string', 'character varying': 'string'} -%}
    {{- return(spark_types.get(type | trim | lower, type)) -}}
{%- endmacro %}
