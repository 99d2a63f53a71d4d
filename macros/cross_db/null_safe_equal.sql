{#- True when both sides are equal or both are null (SQL's `is not distinct from`, which
    MySQL/MariaDB spell `<=>` and dbt 1.7 has no macro for). Never null itself, so a
    `not (...)` of it finds every difference, a value that appeared or disappeared included. -#}
{% macro null_safe_equal(left, right) -%}
    ({{ left }} = {{ right }} or ({{ left }} is null and {{ right }} is null))
{%- endmacro %}
