{#
    The validity range of a snapshot version, as the dimensions expose it. The first
    version of an entity is stretched back to the beginning of time: the warehouse
    only learnt of the entity when it was first snapshotted, and facts that happened
    before that must still find a version (the one we know).
    The open end of the current version is a far-future timestamp, so that a fact's
    lookup is a plain range join.
#}
{% macro scd_valid_from(entity_id) -%}
    case
        when row_number() over (partition by {{ entity_id }} order by dbt_valid_from) = 1
            then {{ beginning_of_time() }}
        else dbt_valid_from
    end
{%- endmacro %}

{% macro scd_valid_to() -%}
    coalesce(dbt_valid_to, {{ end_of_time() }})
{%- endmacro %}

{% macro beginning_of_time() -%}
    cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro end_of_time() -%}
    cast('9999-12-31 00:00:00' as {{ dbt.type_timestamp() }})
{%- endmacro %}
