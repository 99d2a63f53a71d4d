{#- Mirrors dbt_utils.accepted_range: every non-null value lies within the bounds. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

with out_of_range as (

    select {{ column_name }} as value_out_of_range
    from {{ model }}
    where {{ column_name }} is not null
        and (
            1 = 0
            {%- if min_value is not none %}
            or {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }}
            {%- endif %}
            {%- if max_value is not none %}
            or {{ column_name }} {{ '>' if inclusive else '>=' }} {{ max_value }}
            {%- endif %}
        )

)

select * from out_of_range

{% endtest %}
