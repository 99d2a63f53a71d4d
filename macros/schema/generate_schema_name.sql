{#
    Models land in the schema their folder names (staging, core, sales, ...), not in
    `<target schema>_<custom schema>`: the warehouse is shared by the analysts, the
    open-data export and the grants, which all address these schemas by name.
    Set the `schema_prefix` variable to isolate a personal development build.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set prefix = var('schema_prefix', '') -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ prefix }}{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
