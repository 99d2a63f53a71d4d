{#
    The committed sample lands through `dbt seed`; these macros hold it to the same
    landing contract as the bulk loader (raw_loader/files.py, docs/landing.md, D94):

    - a zero-byte file is refused naming the file before dbt reads it (dbt's own error is
      "a callable raised a StopIteration exception"). A file that is not UTF-8 stops dbt
      while it parses the project, before any macro runs: the documented commands
      (scripts/build.sh, scripts/dbt.sh) check every seed file first with the bulk
      loader's check (python -m raw_loader --check), which names file, line and column;
    - the header is checked by name against the source that declares the raw table:
      column order is free, extra columns are ignored, missing or repeated ones are named;
    - the rows are loaded by name, the contract's columns in its order (never by position);
    - a header-only file is a valid landing: the table is created empty.

    The seed materialization is dbt's own (dbt-adapters 1.24, identical in dbt 1.7 but for
    the `rows_affected > 0` guard kept here) with the checks inserted where the file
    is read. Seeds that land no raw table pass through unchanged.
#}


{#- The source that declares the raw table a seed lands (raw table names are unique
    across sources: raw_loader/contract.py refuses a name declared twice). -#}
{% macro raw_seed_source_node(model) -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.name == model['name'] -%}
            {{- return(node) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return(none) -}}
{%- endmacro %}

{% macro raw_seed_check_file(model) -%}
    {%- set checksum = model['checksum'] -%}
    {%- if checksum['name'] == 'sha256'
        and checksum['checksum'] == 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' -%}
        {{ exceptions.raise_compiler_error(
            "Landing contract violated: " ~ model['original_file_path']
            ~ ": is empty: zero bytes, no header row (a table with no rows lands as a header-only file)"
        ) }}
    {%- endif -%}
{%- endmacro %}

{#- The agate table of a raw seed with the contract's columns, by name, in its order. -#}
{% macro raw_seed_contract_table(model, agate_table) -%}
    {%- set source_node = raw_seed_source_node(model) -%}
    {%- if source_node is none -%}
        {{- return(agate_table) -}}
    {%- endif -%}
    {%- set file = model['original_file_path'] -%}
    {%- set expected = source_node.columns.keys() | map("lower") | list -%}
    {%- set original = agate_table.column_names | list -%}
    {%- set header = [] -%}
    {%- set problems = [] -%}
    {%- for name in original -%}
        {%- set normalized = (name or "") | trim | lower -%}
        {%- if normalized == "" -%}
            {%- do problems.append(file ~ ": header field " ~ loop.index ~ " has no column name") -%}
        {%- elif normalized in header -%}
            {%- do problems.append(file ~ ": column " ~ normalized ~ ": appears twice in the header") -%}
        {%- endif -%}
        {%- do header.append(normalized) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for column in expected if column not in header -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- do problems.append(
            file ~ ": column " ~ missing | join(", ") ~ ": missing from the header; the contract of "
            ~ source_node.source_name ~ "." ~ source_node.name ~ " requires " ~ expected | join(", ")
            ~ " (in any order) and the file has " ~ header | join(", ")
        ) -%}
    {%- endif -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("Landing contract violated: " ~ problems | join("; ")) }}
    {%- endif -%}
    {%- set selected = [] -%}
    {%- for column in expected -%}
        {%- do selected.append(original[header.index(column)]) -%}
    {%- endfor -%}
    {%- if selected == expected -%}
        {{- return(agate_table.select(selected)) -}}
    {%- endif -%}
    {{- return(agate_table.select(selected).rename(column_names=expected)) -}}
{%- endmacro %}

{#
    dbt-duckdb's fast seed path copies the file into the table by position; here DuckDB's
    CSV reader reads it and the contract's columns are taken by name. It reads the file as
    dbt has just read it (Python's lenient csv, a short row padded with nulls), so that it
    never stops on a record dbt accepted: its error would echo the record, personal data
    included (D98). The strict record checks are the loader's, run by scripts/build.sh
    and scripts/dbt.sh before dbt (D95).
#}
{% macro duckdb__load_csv_rows(model, agate_table) -%}
    {%- set path = adapter.get_seed_file_path(model) | replace("'", "''") -%}
    {%- set reader -%}
        read_csv('{{ path }}', header = true, all_varchar = true, delim = ',', quote = '"',
            escape = '"', strict_mode = false, null_padding = true, encoding = 'utf-8')
    {%- endset -%}
    {%- set described = run_query("select column_name from (describe select * from " ~ reader ~ ")") -%}
    {%- set by_name = {} -%}
    {%- for row in described.rows -%}
        {%- do by_name.update({(row[0] | trim | lower): row[0]}) -%}
    {%- endfor -%}
    {%- set sql -%}
        insert into {{ this.render() }} ({{ agate_table.column_names | join(", ") }})
        select
            {%- for column in agate_table.column_names %}
            "{{ by_name.get(column, column) | replace('"', '""') }}"{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ reader }}
    {%- endset -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {{ return(sql) }}
{%- endmacro %}

{% materialization seed, default %}

  {%- set identifier = model['alias'] -%}
  {%- set full_refresh_mode = (should_full_refresh()) -%}

  {%- set old_relation = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}

  {%- set exists_as_table = (old_relation is not none and old_relation.is_table) -%}
  {%- set exists_as_view = (old_relation is not none and old_relation.is_view) -%}

  {%- set grant_config = config.get('grants') -%}
  {#- sales_insights: the landing contract's checks, before and as the file is read -#}
  {%- do raw_seed_check_file(model) -%}
  {%- set agate_table = raw_seed_contract_table(model, load_agate_table()) -%}
  -- grab current tables grants config for comparison later on

  {%- do store_result('agate_table', response='OK', agate_table=agate_table) -%}

  {{ run_hooks_outside_transaction(pre_hooks) }}

  -- `BEGIN` happens here:
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  -- build model
  {% set create_table_sql = "" %}
  {% if exists_as_view %}
    {{ exceptions.raise_compiler_error("Cannot seed to '{}', it is a view".format(old_relation)) }}
  {% elif exists_as_table %}
    {% set create_table_sql = reset_csv_table(model, full_refresh_mode, old_relation, agate_table) %}
  {% else %}
    {% set create_table_sql = create_csv_table(model, agate_table) %}
  {% endif %}

  {% set code = 'CREATE' if full_refresh_mode else 'INSERT' %}
  {% set rows_affected = (agate_table.rows | length) %}
  {% set sql = "" %}
  {% if rows_affected > 0 %}
    {% set sql = load_csv_rows(model, agate_table) %}
  {% endif %}

  {% call noop_statement('main', code ~ ' ' ~ rows_affected, code, rows_affected) %}
    {{ get_csv_sql(create_table_sql, sql) }};
  {% endcall %}

  {% set target_relation = this.incorporate(type='table') %}

  {% set should_revoke = should_revoke(old_relation, full_refresh_mode) %}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}

  {% do persist_docs(target_relation, model) %}

  {% if full_refresh_mode or not exists_as_table %}
    {% do create_indexes(target_relation) %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}

  -- `COMMIT` happens here
  {{ adapter.commit() }}

  {{ run_hooks_outside_transaction(post_hooks) }}

  {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}
