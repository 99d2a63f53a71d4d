{#
    What dbt-mysql 1.7 leaves out or gets wrong for this project, on MySQL 8 and
    MariaDB 10.11+: schemas created with the project's collation, views MariaDB can
    parse, seeds loaded in reasonable time, enforced contracts whose column types are
    written for the other engines, grants, and snapshots that close the versions of
    deleted rows. Each is the `mysql__` implementation of a dbt macro, found before
    dbt-mysql's through the dispatch search order in dbt_project.yml (the snapshot
    merge replaces dbt-mysql's macro of the same name). See docs/decisions/engines-mysql.md
    (D43, D46).
#}

{#- Schemas (databases, on MySQL) take the connection's collation, so that the raw
    tables dbt seed creates in them, and every table built from those, compare, sort
    and group strings by their bytes as the other engines do, instead of the server's
    case-insensitive default. -#}
{% macro mysql__create_schema(relation) -%}
    {%- call statement('create_schema') -%}
        create schema if not exists {{ relation.without_identifier() }}
        default character set utf8mb4 collate {{ target.get('collation') or 'utf8mb4_bin' }}
    {%- endcall -%}
{%- endmacro %}


{#- dbt's default wraps a view's query in parentheses, `as (with ... select ...)`,
    which MariaDB cannot parse (MySQL 8 can). -#}
{% macro mysql__create_view_as(relation, sql) -%}
    {%- set sql_header = config.get('sql_header', none) -%}
    {{ sql_header if sql_header is not none }}
    create view {{ relation }}
    {%- if config.get('contract').enforced %}
        {{ get_assert_columns_equivalent(sql) }}
    {%- endif %}
    as
    {{ sql }}
{%- endmacro %}

{#- Seeds. dbt-mysql renders an insert of 10,000 rows cell by cell in Jinja, which took
    three minutes per large sample file; the placeholders of a row are built once and
    repeated, and the driver gets 1,000 rows a statement. -#}
{% macro mysql__get_batch_size() -%}
    {{ return(1000) }}
{%- endmacro %}

{#- The seeds' columns are text (see seeds/raw/_raw__seeds.yml). MariaDB (no hash join
    by default) joins a view that aggregates or ranks, as the staging views do, through
    a temporary table keyed on the join columns, and such a key holds neither a TEXT
    column nor more than 1,000 bytes (a utf8mb4 varchar(250) is too long): every join of a
    staging view on an id was a nested loop, minutes per mart. A text column of the
    sample therefore lands as varchar(64) when every value fits (the longest is 44
    characters), as text otherwise: the same values, nothing truncated. raw_loader
    applies the same rule to the files it loads (D88). -#}
{% macro mysql__create_csv_table(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                {%- set type = column_override.get(col_name, inferred_type) -%}
                {%- if type | lower == 'text' -%}
                    {%- set lengths = agate_table.columns[loop.index0].values() | reject('none') | map('length') | list -%}
                    {%- if (lengths | max if lengths else 0) <= 64 -%}
                        {%- set type = 'varchar(64)' -%}
                    {%- endif -%}
                {%- endif %}
            {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type }}
                {{- ',' if not loop.last -}}
            {%- endfor %}
        )
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{%- endmacro %}

{% macro mysql__load_csv_rows(model, agate_table) -%}
    {%- set columns_csv = get_seed_column_quoted_csv(model, agate_table.column_names) -%}
    {%- set row_placeholders = '(' ~ (['%s'] * (agate_table.column_names | length)) | join(', ') ~ ')' -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set bindings = [] -%}
        {%- for row in chunk -%}
            {%- do bindings.extend(row) -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' (' ~ columns_csv ~ ') values '
            ~ ([row_placeholders] * (chunk | length)) | join(', ') -%}
        {%- do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{%- endmacro %}


{#- Identifiers are at most 64 characters on MySQL: dbt's work tables
    (<model>__dbt_tmp, <model>__dbt_backup) of a long model name are cut to fit, as
    dbt-postgres does for its 63. -#}
{% macro mysql__make_relation_with_suffix(base_relation, suffix) -%}
    {%- set identifier = base_relation.identifier[:64 - (suffix | length)] ~ suffix -%}
    {{ return(base_relation.incorporate(path={"identifier": identifier})) }}
{%- endmacro %}

{% macro mysql__make_intermediate_relation(base_relation, suffix) -%}
    {{ return(mysql__make_relation_with_suffix(base_relation, suffix)) }}
{%- endmacro %}

{% macro mysql__make_temp_relation(base_relation, suffix) -%}
    {{ return(mysql__make_relation_with_suffix(base_relation, suffix)) }}
{%- endmacro %}

{% macro mysql__make_backup_relation(base_relation, backup_relation_type, suffix) -%}
    {%- set relation = mysql__make_relation_with_suffix(base_relation, suffix) -%}
    {{ return(relation.incorporate(type=backup_relation_type)) }}
{%- endmacro %}


{#- Contracts. The models' YAML declares portable types (varchar, integer, boolean,
    timestamp, decimal(p,s), ...). MySQL needs a length on varchar, has no timestamp
    that reaches 9999-12-31, and casts only to a few types. -#}

{#- A contract's type as a MySQL column type. A varchar without a length becomes
    varchar(240): 960 bytes in utf8mb4, under the 1,000-byte key of MariaDB's internal
    temporary tables, so that MariaDB can key a derived table (a CTE) on such a column
    when it joins it (with varchar(255), 1,020 bytes, every such join was a block nested
    loop: 26 s instead of 0.7 s for the sales velocity). A longer value fails the build
    (strict mode), it is never cut. -#}
{% macro mysql_column_type(data_type) -%}
    {%- set type = data_type | trim | lower -%}
    {%- set base = type.split('(')[0] | trim -%}
    {%- if base in ('varchar', 'string', 'character varying') and '(' not in type -%}
        {{ return('varchar(240)') }}
    {%- elif base == 'timestamp' -%}
        {{ return('datetime') }}
    {%- elif base == 'numeric' -%}
        {{ return(type.replace('numeric', 'decimal')) }}
    {%- else -%}
        {{ return(type) }}
    {%- endif -%}
{%- endmacro %}

{#- The same type as a CAST target (for the empty query that stands for the YAML). -#}
{% macro mysql_cast_type(data_type) -%}
    {%- set column_type = mysql_column_type(data_type) -%}
    {%- set base = column_type.split('(')[0] | trim -%}
    {%- if base in ('varchar', 'char', 'text', 'tinytext', 'mediumtext', 'longtext') -%}
        {{ return('char') }}
    {%- elif base in ('integer', 'int', 'bigint', 'smallint', 'tinyint', 'mediumint', 'boolean', 'bool') -%}
        {{ return('signed') }}
    {%- elif base in ('float', 'real') -%}
        {{ return('double') }}
    {%- else -%}
        {{ return(column_type) }}
    {%- endif -%}
{%- endmacro %}

{% macro mysql__get_table_columns_and_constraints() -%}
    {%- set columns = {} -%}
    {%- for name, column in model['columns'].items() -%}
        {%- set translated = dict(column) -%}
        {%- do translated.update({'data_type': mysql_column_type(column['data_type'])}) -%}
        {%- do columns.update({name: translated}) -%}
    {%- endfor -%}
    {{ render_table_columns_and_constraints(columns, model['constraints']) }}
{%- endmacro %}

{% macro mysql__get_empty_schema_sql(columns) -%}
    {%- set missing = [] -%}
    select
    {% for name in columns -%}
        {%- set column = columns[name] -%}
        {%- if column['data_type'] is not defined or not column['data_type'] -%}
            {%- do missing.append(column['name']) -%}
        {%- else -%}
            cast(null as {{ mysql_cast_type(column['data_type']) }}) as
            {{ adapter.quote(column['name']) if column.get('quote') else column['name'] }}
            {{- ", " if not loop.last }}
        {% endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.column_type_missing(column_names=missing) }}
    {%- endif -%}
{%- endmacro %}

{#- The driver reports a query's column types by wire code, which says less than the
    YAML (every decimal is NEWDECIMAL, a boolean is an integer, text and varchar differ),
    so the contract compares type families; the table's declared column types, written
    from the YAML, are what MySQL enforces on every row. -#}
{% macro mysql__format_column(column) -%}
    {%- set code = column.dtype | upper -%}
    {%- set families = {
        'integer': ['TINY', 'SHORT', 'LONG', 'LONGLONG', 'INT24', 'INTEGER', 'INT', 'BIGINT', 'BIT', 'YEAR'],
        'decimal': ['DECIMAL', 'NEWDECIMAL'],
        'float': ['FLOAT', 'DOUBLE'],
        'date': ['DATE', 'NEWDATE'],
        'datetime': ['DATETIME', 'TIMESTAMP'],
        'time': ['TIME'],
    } -%}
    {%- set ns = namespace(family='string') -%}
    {%- for family, codes in families.items() if code in codes -%}
        {%- set ns.family = family -%}
    {%- endfor -%}
    {{ return({
        'name': column.name,
        'data_type': ns.family,
        'formatted': column.column.lower() ~ ' ' ~ ns.family,
    }) }}
{%- endmacro %}


{#- Grants. dbt-mysql has none: dbt's defaults run `show grants on <table>`, which is
    not MySQL. A table's privileges are read from information_schema (MariaDB lists a
    role as 'role'@'', MySQL 8 as 'role'@'%': both become the bare role name the config
    uses; any other account keeps its full 'user'@'host' so it can be revoked). -#}
{% macro mysql__get_show_grant_sql(relation) -%}
    select
        lower(privilege_type) as privilege_type,
        case
            when substring_index(grantee, '@', -1) in ('''''', '''%''')
                then replace(substring_index(grantee, '@', 1), '''', '')
            else grantee
        end as grantee
    from information_schema.table_privileges
    where table_schema = '{{ relation.schema }}'
        and table_name = '{{ relation.identifier }}'
{%- endmacro %}

{#- MySQL keeps a table's privileges (by name) when the table, or its whole database,
    is dropped, so a rebuilt table may inherit grants made to an older one of the same
    name: always compare with what is granted and revoke the rest, even on a table dbt
    has just created. -#}
{% macro mysql__apply_grants(relation, grant_config, should_revoke=True) -%}
    {%- do default__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}

{#- One statement per call: the driver runs one statement at a time. -#}
{% macro mysql__call_dcl_statements(dcl_statement_list) -%}
    {%- for dcl_statement in dcl_statement_list -%}
        {%- call statement('grant_' ~ loop.index) -%}
            {{ dcl_statement }}
        {%- endcall -%}
    {%- endfor -%}
{%- endmacro %}


{#- Snapshots: dbt-mysql's merge closes the versions of changed rows but not of rows
    deleted from the source, so `invalidate_hard_deletes` did nothing. Its snapshot
    materialization calls this macro by name, and the project's definition wins: the
    same statement, with the 'delete' changes dbt's snapshot staging table carries. -#}
{% macro mysql__snapshot_merge_sql_update(target, source, insert_cols) -%}
    update {{ target }}, (select dbt_scd_id, dbt_change_type, dbt_valid_to from {{ source }}) as DBT_INTERNAL_SOURCE
    set {{ target }}.dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to
    where DBT_INTERNAL_SOURCE.dbt_scd_id = {{ target }}.dbt_scd_id
    and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')
    and {{ target }}.dbt_valid_to is null
{%- endmacro %}


{#- Incremental deletes: dbt-mysql deletes the periods an incremental run rebuilds with
    `where key in (select key from <temporary table>)`. MariaDB before 11.1 cannot turn a
    single-table DELETE's subquery into a semi-join, so it scanned the temporary table
    once per warehouse row: on the 1M benchmark warehouse fct_inventory's delete ran for
    more than five minutes. A multi-table delete joined to the distinct rebuilt keys
    reads the warehouse table once (10 s there). Null keys match neither. Like the
    snapshot merge above, the materialization calls this macro by name and the project's
    definition wins. -#}
{% macro incremental_delete(tmp_relation, target_relation, unique_key=none, statement_name="pre_main") -%}
    {%- if unique_key is not none and unique_key | length -%}
    {%- set key_columns = [unique_key] if unique_key is string else unique_key -%}
    delete {{ target_relation }}
    from {{ target_relation }}
    inner join (
        select distinct {{ key_columns | join(', ') }}
        from {{ tmp_relation }}
    ) as rebuilt_keys
        on
        {%- for column in key_columns %}
        {{ 'and ' if not loop.first }}{{ target_relation }}.{{ column }} = rebuilt_keys.{{ column }}
        {%- endfor %}
    {%- endif %}
{%- endmacro %}


{#- Grants of incremental models: dbt-mysql 1.7's incremental materialization never
    applies the `grants` config (its table and view materializations do), so the
    analyst role could not read fct_sales or fct_inventory. A post-hook on every model
    applies them to incremental ones, with the same revoke-the-rest rule as above;
    nothing on the other engines, whose adapters apply grants themselves. -#}
{% macro apply_grants_the_adapter_skips() -%}
    {{ return(adapter.dispatch('apply_grants_the_adapter_skips', 'sales_insights')()) }}
{%- endmacro %}

{% macro default__apply_grants_the_adapter_skips() -%}
{%- endmacro %}

{% macro mysql__apply_grants_the_adapter_skips() -%}
    {%- if execute and model.config.materialized == 'incremental' -%}
        {%- do apply_grants(this, config.get('grants'), should_revoke=True) -%}
    {%- endif -%}
{%- endmacro %}
