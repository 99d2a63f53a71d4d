{#
    Statistical disclosure control (SDC) for the open-data schema. Every open-data model
    applies the same rules through these macros; the methodology is public
    (docs/open_data.md), the production parameters come from environment variables
    through the project variables `open_data_*` (dbt_project.yml).
#}

{#- A project variable of the disclosure-control methodology, as an integer. -#}
{% macro sdc_parameter(name) -%}
    {{- return(var(name) | int) -}}
{%- endmacro %}

{#
    A portable GROUPING SETS: one `select ... group by` per subset of `total_columns`
    (a mapping column -> label of its total), united. A column being totalled over is
    replaced by its label, so margins sit beside the cells with a recognisable value.
    MySQL has no GROUPING SETS and its ROLLUP cannot do a full cube, hence the unions.
#}
{% macro sdc_cells_with_margins(relation, group_columns, total_columns, aggregates) -%}
    {%- set total_names = total_columns.keys() | list -%}
    {%- set subsets = [[]] -%}
    {%- for name in total_names -%}
        {%- for subset in subsets | list -%}
            {%- do subsets.append(subset + [name]) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for totalled in subsets %}
    {% if not loop.first %}union all{% endif %}
    select
        {%- for column in group_columns %}
        {% if column in totalled -%}
            cast({{ dbt.string_literal(total_columns[column]) }} as {{ dbt.type_string() }}) as {{ column }},
        {%- else -%}
            {{ column }},
        {%- endif -%}
        {%- endfor %}
        {{ aggregates | join(',\n        ') }}
    from {{ relation }}
    group by
        {{ group_columns | reject('in', totalled) | join(',\n        ') }}
    {%- endfor %}
{%- endmacro %}

{#
    Global recoding: the published member of a classification, from `groups` (a mapping
    member -> the group it is published in, a project variable). Members not in the
    mapping are published as themselves. Recoding applies to every cell of a table (not
    only where a cell would be suppressed), before contributions are summed, so a group
    is assessed by the same rules as any other cell and the grouping reveals nothing
    about which members failed them.
#}
{% macro sdc_global_recode(expression, groups) -%}
    {%- if groups -%}
    cast(case
        {%- for member, group in groups | dictsort %}
        when {{ expression }} = {{ dbt.string_literal(member) }} then {{ dbt.string_literal(group) }}
        {%- endfor %}
        else {{ expression }}
    end as {{ dbt.type_string() }})
    {%- else -%}
    {{ expression }}
    {%- endif -%}
{%- endmacro %}

{#
    One row per published cell from one row per cell × contributing unit (customer,
    supplier, ...): the number of contributing units, the cell's sums, and the
    magnitude's largest, second largest and top-n contributions, which the dominance
    rules need. Contributions are summed per unit before ranking (a customer with ten
    order lines is one contributor) and negative amounts count as 0 (gross amounts).
#}
{% macro sdc_cell_statistics(relation, cell_columns, magnitude, sums=[]) -%}
    {%- set dominance_n = sdc_parameter('open_data_dominance_n') -%}
    with ranked_contributions as (

        select
            {{ cell_columns | join(',\n            ') }},
            {%- for column in sums %}
            {{ column }},
            {%- endfor %}
            case when {{ magnitude }} > 0 then {{ magnitude }} else 0 end as gross_contribution,
            row_number() over (
                partition by {{ cell_columns | join(', ') }}
                order by {{ magnitude }} desc
            ) as contribution_rank
        from {{ relation }}

    )

    select
        {{ cell_columns | join(',\n        ') }},
        count(*) as contributing_units,
        {%- for column in sums %}
        sum({{ column }}) as {{ column }},
        {%- endfor %}
        sum(gross_contribution) as gross_magnitude,
        sum(case when contribution_rank = 1 then gross_contribution else 0 end) as largest_contribution,
        sum(case when contribution_rank = 2 then gross_contribution else 0 end) as second_largest_contribution,
        sum(case when contribution_rank <= {{ dominance_n }} then gross_contribution else 0 end)
            as top_n_contribution
    from ranked_contributions
    group by {{ cell_columns | join(', ') }}
{%- endmacro %}

{#
    Why a cell is primarily suppressed, or null when it may be published:
    - threshold: fewer than `min_units` distinct contributing units;
    - dominance: the n largest contributions exceed k % of the cell's gross magnitude
      (the (n, k) rule);
    - p_percent: the cell total minus the two largest contributions is below p % of the
      largest, so the second-largest contributor could estimate the largest within p %.
    Integer arithmetic on both sides (no division), identical on every engine.
#}
{% macro sdc_primary_suppression_reason(
    contributing_units, min_units,
    gross_magnitude='gross_magnitude', top_n='top_n_contribution',
    largest='largest_contribution', second_largest='second_largest_contribution'
) -%}
    {%- set dominance_k = sdc_parameter('open_data_dominance_k') -%}
    {%- set p_percent = sdc_parameter('open_data_p_percent') -%}
    case
        when {{ contributing_units }} < {{ min_units }} then 'threshold'
        when {{ top_n }} * 100 > {{ dominance_k }} * {{ gross_magnitude }} then 'dominance'
        when ({{ gross_magnitude }} - {{ largest }} - {{ second_largest }}) * 100
            < {{ p_percent }} * {{ largest }} then 'p_percent'
    end
{%- endmacro %}

{#
    Secondary suppression: CTEs that take `input_cte` (its `columns`, a boolean
    `is_suppressed`, a boolean `is_margin` and the numeric `suppression_cost`) and, in each line
    (a list of columns whose values fix the line: every cell of a line adds up to the
    line's margin, which is a member of the line), suppress one more cell wherever a
    line holds exactly one suppressed cell: the cheapest (smallest cost) published
    interior cell, else the margin. A line with one suppressed cell lets anyone
    recompute it by subtraction; with two or more it cannot. Each new suppression may
    break a crossing line, so the lines are revisited `rounds` times; the generic test
    `suppression_pattern` fails the build if a line is still exposed.
    The last CTE is named `output_cte`.
#}
{% macro sdc_secondary_suppression(input_cte, output_cte, columns, lines, rounds=6) -%}
    {%- set ns = namespace(previous=input_cte) -%}
    {%- for round in range(1, rounds + 1) -%}
    {%- for line in lines -%}
    {%- set step = 'secondary_round_' ~ round ~ '_line_' ~ loop.index -%}
    {%- set is_last = (round == rounds and loop.last) %}
{{ step }}_ranked as (

    select
        {{ columns | join(',\n        ') }},
        is_suppressed,
        is_margin,
        suppression_cost,
        sum(case when is_suppressed then 1 else 0 end) over (
            partition by {{ line | join(', ') }}
        ) as suppressed_in_line,
        row_number() over (
            partition by {{ line | join(', ') }}
            order by
                case when is_suppressed then 1 else 0 end,
                case when is_margin then 1 else 0 end,
                suppression_cost,
                {{ columns | join(', ') }}
        ) as candidate_rank
    from {{ ns.previous }}

),

{{ output_cte if is_last else step }} as (

    select
        {{ columns | join(',\n        ') }},
        is_suppressed or (suppressed_in_line = 1 and candidate_rank = 1) as is_suppressed,
        is_margin,
        suppression_cost
    from {{ step }}_ranked

){% if not is_last %},{% endif %}
    {%- set ns.previous = step -%}
    {%- endfor -%}
    {%- endfor -%}
{%- endmacro %}

{#- The smaller and the larger of two values (least/greatest treat nulls differently across engines). -#}
{% macro sdc_smaller(a, b) -%}
    (case when {{ a }} < {{ b }} then {{ a }} else {{ b }} end)
{%- endmacro %}

{% macro sdc_larger(a, b) -%}
    (case when {{ a }} > {{ b }} then {{ a }} else {{ b }} end)
{%- endmacro %}

{#- The published value of a measure: null (a declared missing value) when suppressed. -#}
{% macro sdc_published(expression, is_suppressed='is_suppressed') -%}
    case when not {{ is_suppressed }} then {{ expression }} end
{%- endmacro %}

{#- The suppression status published beside every cell. -#}
{% macro sdc_suppression_status(is_suppressed='is_suppressed', primary_reason='primary_suppression_reason') -%}
    case
        when {{ primary_reason }} is not null then 'primary'
        when {{ is_suppressed }} then 'secondary'
        else 'published'
    end
{%- endmacro %}

{#- A readable label of a line's values, for test failures. -#}
{% macro sdc_line_label(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first %}{% do parts.append("' | '") %}{% endif -%}
        {%- do parts.append('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}

{#
    Secondary suppression for a two-dimensional table with margins (per `group`, e.g.
    month: rows × columns, plus the total row and column), by the hypercube method.
    Suppressing one more cell per line is not enough in two dimensions: chains of
    lines can still pin a cell down exactly (found by the LP audit in the test suite).
    Instead every primary cell gets a rectangle of suppressed cells, (i, j), (i, j'),
    (i', j), (i', j') in the grid with margins, not using the group's grand total
    (which a linked table publishes). Moving the corners by +e or -e (opposite corners
    alike between interior cells) leaves every published value unchanged, so no
    combination of published values can determine the cell. Of the rectangles, the
    cheapest (smallest value newly suppressed) among those whose range of e is at
    least p % of each corner's value, so that no corner can be estimated closer than
    the p % rule allows (sliding protection, found missing by the LP audit once
    countries were grouped); if none is, the cheapest.
    Input: `input_cte` with `columns`, `is_suppressed` and `suppression_cost`, the
    cell's value; output `output_cte`.
#}
{% macro sdc_hypercube_suppression(input_cte, output_cte, columns, group, row_column, column_column, row_total, column_total) -%}
{%- set cell = group + [row_column, column_column] -%}
{%- set group_match = [] -%}
hypercube_candidates as (

    select
        {%- for column in cell %}
        target.{{ column }},
        {%- endfor %}
        same_row.{{ column_column }} as other_column,
        same_column.{{ row_column }} as other_row,
        (case when same_row.is_suppressed then 0 else same_row.suppression_cost end)
        + (case when same_column.is_suppressed then 0 else same_column.suppression_cost end)
        + (case when opposite.is_suppressed then 0 else opposite.suppression_cost end) as added_cost,
        target.suppression_cost as target_value,
        same_row.suppression_cost as same_row_value,
        same_column.suppression_cost as same_column_value,
        opposite.suppression_cost as opposite_value,
        -- +e on the target moves the other cell of its row (column) by -e when both are
        -- interior cells, by +e when one of them is the line's total
        target.{{ column_column }} <> '{{ column_total }}'
        and same_row.{{ column_column }} <> '{{ column_total }}' as is_row_partner_opposed,
        target.{{ row_column }} <> '{{ row_total }}'
        and same_column.{{ row_column }} <> '{{ row_total }}' as is_column_partner_opposed
    from {{ input_cte }} as target
    inner join {{ input_cte }} as same_row
        on {% for column in group %}target.{{ column }} = same_row.{{ column }} and {% endfor -%}
        target.{{ row_column }} = same_row.{{ row_column }}
        and target.{{ column_column }} <> same_row.{{ column_column }}
    inner join {{ input_cte }} as same_column
        on {% for column in group %}target.{{ column }} = same_column.{{ column }} and {% endfor -%}
        target.{{ column_column }} = same_column.{{ column_column }}
        and target.{{ row_column }} <> same_column.{{ row_column }}
    inner join {{ input_cte }} as opposite
        on {% for column in group %}target.{{ column }} = opposite.{{ column }} and {% endfor -%}
        same_column.{{ row_column }} = opposite.{{ row_column }}
        and same_row.{{ column_column }} = opposite.{{ column_column }}
    where target.is_suppressed
        {%- for alias in ['same_row', 'same_column', 'opposite'] %}
        and not ({{ alias }}.{{ row_column }} = '{{ row_total }}' and {{ alias }}.{{ column_column }} = '{{ column_total }}')
        {%- endfor %}

),

hypercube_protection as (

    {#- The corners moving with the target (+e) and against it (-e): e can go down to
        minus the smallest of the first and up to the smallest of the second, so the
        rectangle alone leaves every corner an interval at least that wide. (Both
        partners unopposed would put the grand total in the rectangle: excluded.) -#}
    select
        {%- for column in cell %}
        {{ column }},
        {%- endfor %}
        other_column,
        other_row,
        added_cost,
        case
            when is_row_partner_opposed and is_column_partner_opposed
                then {{ sdc_smaller('target_value', 'opposite_value') }}
                + {{ sdc_smaller('same_row_value', 'same_column_value') }}
            when is_row_partner_opposed
                then {{ sdc_smaller('target_value', 'same_column_value') }}
                + {{ sdc_smaller('same_row_value', 'opposite_value') }}
            else {{ sdc_smaller('target_value', 'same_row_value') }}
                + {{ sdc_smaller('same_column_value', 'opposite_value') }}
        end as protection_width,
        {{ sdc_larger(sdc_larger('target_value', 'opposite_value'), sdc_larger('same_row_value', 'same_column_value')) }}
            as largest_corner_value
    from hypercube_candidates

),

hypercube_rectangles as (

    {#- The cheapest rectangle that gives every corner an interval of at least p % of its
        value (sliding protection), else the cheapest: the LP audit checks the intervals. -#}
    select
        {%- for column in cell %}
        {{ column }},
        {%- endfor %}
        other_column,
        other_row,
        row_number() over (
            partition by {{ cell | join(', ') }}
            order by
                case
                    when protection_width * 100 >= {{ sdc_parameter('open_data_p_percent') }} * largest_corner_value
                        then 0
                    else 1
                end,
                added_cost,
                other_row,
                other_column
        ) as rectangle_rank
    from hypercube_protection

),

hypercube_cells as (

    {%- for corner in [('other_row', column_column), (row_column, 'other_column'), ('other_row', 'other_column')] %}
    {% if not loop.first %}union{% endif %}
    select
        {%- for column in group %}
        {{ column }},
        {%- endfor %}
        {{ corner[0] }} as {{ row_column }},
        {{ corner[1] }} as {{ column_column }}
    from hypercube_rectangles
    where rectangle_rank = 1
    {%- endfor %}

),

{{ output_cte }} as (

    select
        {%- for column in columns %}
        suppression_input.{{ column }},
        {%- endfor %}
        suppression_input.is_suppressed or hypercube_cells.{{ row_column }} is not null as is_suppressed,
        suppression_input.is_margin,
        suppression_input.suppression_cost
    from {{ input_cte }} as suppression_input
    left join hypercube_cells
        on {% for column in cell %}{% if not loop.first %} and {% endif %}suppression_input.{{ column }} = hypercube_cells.{{ column }}{% endfor %}

)
{%- endmacro %}
