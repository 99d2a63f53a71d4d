{#
    Seeds on Spark. dbt-spark's seed loader is replaced for two reasons (docs/decisions.md):
    - the raw seeds declare their columns `text` (D1), which every other engine knows;
      Spark calls the type `string`;
    - in `session` mode dbt-spark's bound parameters turn a missing value into the text
      'None' and do not escape quotes (`Côte d'Azur` breaks the statement), so the rows
      are written as escaped literals instead, with a real null for a missing value
      (and no cast around text literals: Spark analyses a cast per value slowly).
#}
{% macro spark_seed_type(model, agate_table, column_index) -%}
    {%- set column_name = agate_table.column_names[column_index] -%}
    {%- set declared = (model['config'].get('column_types') or {}).get(column_name) -%}
    {%- set data_type = declared or adapter.convert_type(agate_table, column_index) -%}
    {{- return(spark_type_name(data_type)) -}}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for column_name in agate_table.column_names %}
            {{ adapter.quote_seed_column(column_name | string, quote_seed_column) }} {{ spark_seed_type(model, agate_table, loop.index0) }}
            {{- ',' if not loop.last }}
            {%- endfor %}
        )
        {{ file_format_clause() }}
        {{ comment_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do column_types.append(spark_seed_type(model, agate_table, loop.index0)) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
            ({%- for value in row -%}
                {#- a Spark SQL string literal (backslash is Spark's escape character),
                    written inline: a macro call per value cost more than the load itself -#}
                {%- set literal = 'null' if value is none else "'" ~ (value | string).replace("\\", "\\\\").replace("'", "\\'") ~ "'" -%}
                {%- if column_types[loop.index0] == 'string' -%}
                {{ literal }}
                {%- else -%}
                cast({{ literal }} as {{ column_types[loop.index0] }})
                {%- endif -%}
                {{ ',' if not loop.last }}
            {%- endfor -%}){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{%- endmacro %}

{#- The hooks configured with `transaction: false` (run before the begin or after the commit).
    dbt's run_hooks() opens them with a literal `commit;`, which Spark SQL refuses
    ("Operation not allowed: commit"); Spark has no transactions, so on Spark they simply
    run, one statement each. -#}
{% macro run_hooks_outside_transaction(hooks) -%}
    {{ return(adapter.dispatch('run_hooks_outside_transaction', 'sales_insights')(hooks)) }}
{%- endmacro %}

{% macro default__run_hooks_outside_transaction(hooks) -%}
    {{ run_hooks(hooks, inside_transaction=False) }}
{%- endmacro %}

{% macro spark__run_hooks_outside_transaction(hooks) -%}
    {%- for hook in hooks | selectattr('transaction', 'equalto', False) -%}
        {%- set rendered = render(hook.get('sql')) | trim -%}
        {%- if (rendered | length) > 0 -%}
            {%- call statement(auto_begin=False) -%}
                {{ rendered }}
            {%- endcall -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
