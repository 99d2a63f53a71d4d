{#- Mirrors dbt_utils.expression_is_true: the expression holds on every row. -#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
