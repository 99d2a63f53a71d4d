{#- Threshold rule: every published cell aggregates at least `min_units` distinct
    contributing units, recounted from the per-contributor input (not trusted from the
    published table). `min_units` is the name of the project variable holding K. -#}
{% test sdc_threshold(model, contributions, cell_columns, contributor_column, min_units) %}

with contributing_units as (

    select
        {{ cell_columns | join(',\n        ') }},
        count(distinct {{ contributor_column }}) as contributing_units
    from {{ contributions }}
    group by {{ cell_columns | join(', ') }}

)

select
    {%- for column in cell_columns %}
    published.{{ column }},
    {%- endfor %}
    coalesce(contributing_units.contributing_units, 0) as contributing_units
from {{ model }} as published
left join contributing_units
    on {% for column in cell_columns -%}
    {% if not loop.first %} and {% endif %}published.{{ column }} = contributing_units.{{ column }}
    {%- endfor %}
where published.suppression_status = 'published'
    and coalesce(contributing_units.contributing_units, 0) < {{ var(min_units) | int }}

{% endtest %}
