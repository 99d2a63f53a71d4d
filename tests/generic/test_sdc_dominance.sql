{#- Dominance rules on a published magnitude, recomputed from the per-contributor input
    after summing each unit's contributions (negative amounts count as 0):
    rule='nk': the n largest units hold no more than k % of the cell (the (n, k) rule);
    rule='p_percent': the cell minus its two largest units is at least p % of the
    largest, so the second-largest cannot estimate the largest within p %. -#}
{% test sdc_dominance(model, contributions, cell_columns, contributor_column, magnitude_column, rule='nk') %}

{%- set dominance_n = var('open_data_dominance_n') | int -%}
{%- set dominance_k = var('open_data_dominance_k') | int -%}
{%- set p_percent = var('open_data_p_percent') | int -%}

with unit_contributions as (

    select
        {{ cell_columns | join(',\n        ') }},
        {{ contributor_column }},
        sum(case when {{ magnitude_column }} > 0 then {{ magnitude_column }} else 0 end) as contribution
    from {{ contributions }}
    group by {{ cell_columns | join(', ') }}, {{ contributor_column }}

),

ranked as (

    select
        {{ cell_columns | join(',\n        ') }},
        contribution,
        row_number() over (
            partition by {{ cell_columns | join(', ') }} order by contribution desc
        ) as contribution_rank
    from unit_contributions

),

cells as (

    select
        {{ cell_columns | join(',\n        ') }},
        sum(contribution) as total,
        sum(case when contribution_rank <= {{ dominance_n }} then contribution else 0 end) as top_n,
        sum(case when contribution_rank = 1 then contribution else 0 end) as largest,
        sum(case when contribution_rank = 2 then contribution else 0 end) as second_largest
    from ranked
    group by {{ cell_columns | join(', ') }}

)

select
    {%- for column in cell_columns %}
    published.{{ column }},
    {%- endfor %}
    cells.total,
    cells.top_n,
    cells.largest,
    cells.second_largest
from {{ model }} as published
inner join cells
    on {% for column in cell_columns -%}
    {% if not loop.first %} and {% endif %}published.{{ column }} = cells.{{ column }}
    {%- endfor %}
where published.suppression_status = 'published'
{%- if rule == 'nk' %}
    and cells.top_n * 100 > {{ dominance_k }} * cells.total
{%- elif rule == 'p_percent' %}
    and (cells.total - cells.largest - cells.second_largest) * 100 < {{ p_percent }} * cells.largest
{%- else %}
    {{ exceptions.raise_compiler_error("sdc_dominance: rule must be 'nk' or 'p_percent', not " ~ rule) }}
{%- endif %}

{% endtest %}
