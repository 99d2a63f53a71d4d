{#- The column list of a contracted table's `create table`: each column's type and
    constraints, then the model-level constraints (dbt's table_columns_and_constraints,
    for a column set an engine macro has adjusted). -#}
{% macro render_table_columns_and_constraints(columns, model_constraints) -%}
    {%- set raw_column_constraints = adapter.render_raw_columns_constraints(raw_columns=columns) -%}
    {%- set raw_model_constraints = adapter.render_raw_model_constraints(raw_constraints=model_constraints) -%}
    (
    {% for c in raw_column_constraints -%}
        {{ c }}{{ "," if not loop.last or raw_model_constraints }}
    {% endfor %}
    {% for c in raw_model_constraints -%}
        {{ c }}{{ "," if not loop.last }}
    {% endfor -%}
    )
{%- endmacro %}

{#- DuckDB backs a primary key (or unique) constraint with an ART index that every
    insert probes: copying the 10M-row fct_sales into its contracted table took 229 s
    with the key and 23 s without. The keys stay declared in the contracts (PostgreSQL
    and MariaDB build them, and join through them) and are checked on every engine by
    the models' `unique` and `not_null` tests; on DuckDB the table is created without
    them (decisions.md, D87). Not-null and check constraints are kept. A foreign key
    constraint would need the key it references, so none is declared in this project. -#}
{% macro duckdb__get_table_columns_and_constraints() -%}
    {%- set index_backed = ['primary_key', 'unique'] -%}
    {%- set columns = {} -%}
    {%- for name, column in model['columns'].items() -%}
        {%- set kept = dict(column) -%}
        {%- do kept.update({'constraints': column.get('constraints', [])
            | rejectattr('type', 'in', index_backed) | list}) -%}
        {%- do columns.update({name: kept}) -%}
    {%- endfor -%}
    {{ render_table_columns_and_constraints(
        columns, model['constraints'] | rejectattr('type', 'in', index_backed) | list) }}
{%- endmacro %}
