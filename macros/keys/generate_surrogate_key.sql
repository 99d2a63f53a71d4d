{#
    Mirrors dbt_utils.generate_surrogate_key(field_list): a hash of the fields cast to
    text, nulls replaced by a marker so that (null, 'a') and ('', 'a') differ, joined
    with '-'. Built only on dbt's cross-database macros, so it gives the same key on
    every engine.
#}
{% macro generate_surrogate_key(field_list) -%}
    {%- set fields = [] -%}
    {%- for field in field_list -%}
        {%- do fields.append(
            "coalesce(cast(" ~ field ~ " as " ~ dbt.type_string() ~ "), '_dbt_utils_surrogate_key_null_')"
        ) -%}
        {%- if not loop.last -%}
            {%- do fields.append("'-'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(fields)) }}
{%- endmacro %}

{#
    The key of every dimension's "unknown" member: facts whose reference is missing or
    not (yet) in the dimension point here instead of being dropped by an inner join.
#}
{% macro unknown_member_key() -%}
    '-1'
{%- endmacro %}

{#- The dimension member of customers erased under GDPR article 17: their facts stay in
    the totals but point here, so nothing links them to a person or to each other. -#}
{% macro erased_member_key() -%}
    '-2'
{%- endmacro %}

{#- The member for a reference that does not apply, as opposed to one that is missing
    or not known: the store of an online order (dim_location, D118). -#}
{% macro not_applicable_member_key() -%}
    '-3'
{%- endmacro %}
