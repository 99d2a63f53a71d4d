{#- The suppression pattern protects every suppressed cell from subtraction:
    - every line (the cells sharing the values of `columns`, its margin included) that
      holds a suppressed cell holds at least two;
    - in every line, the visible cells' additive measures never exceed the line's
      published margin (the row matching `margin`); a measure in `rounded_measures` is
      published rounded to cents from amounts with 4 decimals (D112), so it may exceed
      the margin by the rounding of each of the line's cells (half a cent each);
    - a suppressed cell publishes no measure (null, never 0), a published cell all
      of them, and the status is one of published / primary / secondary. -#}
{% test sdc_suppression_pattern(model, lines, measures, additive_measures=[], rounded_measures=[]) %}

{%- set hidden = "suppression_status <> 'published'" %}

{% for line in lines %}
select
    'line {{ line.columns | join(" x ") }} holds one suppressed cell or exceeds its margin' as violation,
    {{ sdc_line_label(line.columns) }} as line_values,
    sum(case when {{ hidden }} then 1 else 0 end) as suppressed_cells
from {{ model }}
group by {{ line.columns | join(', ') }}
having sum(case when {{ hidden }} then 1 else 0 end) = 1
{%- for measure in additive_measures if line.margin %}
    or sum(case when not ({{ line.margin }}) and not ({{ hidden }}) then {{ measure }} else 0 end)
        > max(case when ({{ line.margin }}) and not ({{ hidden }}) then {{ measure }} end)
        {%- if measure in rounded_measures %} + 0.005 * count(*){% endif %}
{%- endfor %}

union all

{% endfor %}
select
    'suppressed cell with a value, published cell without, or unknown status' as violation,
    {{ sdc_line_label(lines[0].columns) }} as line_values,
    1 as suppressed_cells
from {{ model }}
where suppression_status not in ('published', 'primary', 'secondary')
{%- for measure in measures %}
    or ({{ hidden }} and {{ measure }} is not null)
    or (not ({{ hidden }}) and {{ measure }} is null)
{%- endfor %}

{% endtest %}
