{#
    Snapshots on Spark with parquet tables (docs/decisions/engines-spark.md, D33, D34).
    dbt-spark builds snapshots only on delta, iceberg or hudi tables, because it updates
    them with MERGE; none of those formats is installable here (their jars come from
    Maven, not PyPI). This is dbt-spark 1.11's snapshot materialization with one change:
    parquet is accepted, and on a parquet table the merge is done by rewriting the table
    (`spark__snapshot_merge_sql` below). On delta/iceberg/hudi nothing changes.
#}
{% materialization snapshot, adapter='spark' %}

  {%- set target_table = model.get('alias', model.get('name')) -%}

  {%- set strategy_name = config.get('strategy') -%}
  {%- set unique_key = config.get('unique_key') %}
  {%- set file_format = config.get('file_format') or 'parquet' -%}
  {%- set grant_config = config.get('grants') -%}

  {% set target_relation_exists, target_relation = get_or_create_relation(
          database=none,
          schema=model.schema,
          identifier=target_table,
          type='table') -%}

  {%- if file_format not in ['delta', 'iceberg', 'hudi', 'parquet'] -%}
    {% set invalid_format_msg -%}
      Invalid file format: {{ file_format }}
      Snapshot functionality requires file_format be set to 'delta', 'iceberg', 'hudi' or 'parquet'
    {%- endset %}
    {% do exceptions.raise_compiler_error(invalid_format_msg) %}
  {% endif %}

  {% if not adapter.check_schema_exists(model.database, model.schema) %}
    {% do create_schema(model.schema) %}
  {% endif %}

  {%- if not target_relation.is_table -%}
    {% do exceptions.relation_wrong_type(target_relation, 'table') %}
  {%- endif -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}

  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% set strategy_macro = strategy_dispatch(strategy_name) %}
  {% set strategy = strategy_macro(model, "snapshotted_data", "source_data", model['config'], target_relation_exists) %}

  {% if not target_relation_exists %}

      {% set build_sql = build_snapshot_table(strategy, model['compiled_code']) %}
      {% set final_sql = create_table_as(False, target_relation, build_sql) %}

  {% else %}

      {% set columns = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() %}

      {{ adapter.valid_snapshot_target(target_relation, columns) }}

      {% set staging_table = spark_build_snapshot_staging_table(strategy, sql, target_relation) %}

      -- this may no-op if the database does not require column expansion
      {% do adapter.expand_target_column_types(from_relation=staging_table,
                                               to_relation=target_relation) %}

      {% set missing_columns = adapter.get_missing_columns(staging_table, target_relation)
                                   | rejectattr('name', 'equalto', 'dbt_change_type')
                                   | rejectattr('name', 'equalto', 'DBT_CHANGE_TYPE')
                                   | rejectattr('name', 'equalto', 'dbt_unique_key')
                                   | rejectattr('name', 'equalto', 'DBT_UNIQUE_KEY')
                                   | list %}

      {% do create_columns(target_relation, missing_columns) %}

      {% set source_columns = adapter.get_columns_in_relation(staging_table)
                                   | rejectattr('name', 'equalto', 'dbt_change_type')
                                   | rejectattr('name', 'equalto', 'DBT_CHANGE_TYPE')
                                   | rejectattr('name', 'equalto', 'dbt_unique_key')
                                   | rejectattr('name', 'equalto', 'DBT_UNIQUE_KEY')
                                   | list %}

      {% set quoted_source_columns = [] %}
      {% for column in source_columns %}
        {% do quoted_source_columns.append(adapter.quote(column.name)) %}
      {% endfor %}

      {% set final_sql = snapshot_merge_sql(
            target = target_relation,
            source = staging_table,
            insert_cols = quoted_source_columns
         )
      %}

  {% endif %}

  {% call statement('main') %}
      {{ final_sql }}
  {% endcall %}

  {% set should_revoke = should_revoke(target_relation_exists, full_refresh_mode) %}
  {% do apply_grants(target_relation, grant_config, should_revoke) %}

  {% do persist_docs(target_relation, model) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}

  {{ adapter.commit() }}

  {% if staging_table is defined %}
      {% do post_snapshot(staging_table) %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}

{#
    MERGE on delta/iceberg/hudi (dbt-spark's own). A parquet table cannot be updated in
    place, so the merged history is written to `<snapshot>__dbt_merged` first (the
    same rows MERGE would leave: current versions closed by an update or a delete, new
    versions added) and then overwrites the snapshot, which never reads itself while it
    is being overwritten. Not atomic: a failure between the two steps leaves the old
    history intact and the merged copy beside it; the next run rebuilds the copy.
#}
{% macro spark__snapshot_merge_sql(target, source, insert_cols) -%}
    {%- if target.is_delta or target.is_iceberg or target.is_hudi -%}
        {{ return(dbt.spark__snapshot_merge_sql(target, source, insert_cols)) }}
    {%- endif -%}
    {%- set columns = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() -%}
    {%- set valid_to_current = config.get("dbt_valid_to_current") -%}
    {%- set merged = spark_snapshot_merged_relation(target) -%}
    {%- set target_columns = adapter.get_columns_in_relation(target) | map(attribute='name') | list -%}
    {%- set source_columns = adapter.get_columns_in_relation(source) | map(attribute='name') | map('lower') | list -%}

    {%- call statement('drop_snapshot_merged_rows') -%}
        drop table if exists {{ merged }}
    {%- endcall -%}
    {%- call statement('build_snapshot_merged_rows') -%}
        create table {{ merged }}
        using parquet
        as
        with closing as (
            select
                {{ columns.dbt_scd_id }} as closing_scd_id,
                {{ columns.dbt_valid_to }} as closing_valid_to
            from {{ source }}
            where dbt_change_type in ('update', 'delete')
        ),

        existing as (
            select
                {%- for column_name in target_columns %}
                {%- if column_name | lower == columns.dbt_valid_to | lower %}
                case
                    when closing.closing_scd_id is not null
                        and (
                            snapshotted.{{ adapter.quote(column_name) }} is null
                            {%- if valid_to_current %}
                            or snapshotted.{{ adapter.quote(column_name) }} = {{ valid_to_current }}
                            {%- endif %}
                        )
                        then closing.closing_valid_to
                    else snapshotted.{{ adapter.quote(column_name) }}
                end as {{ adapter.quote(column_name) }}
                {%- else %}
                snapshotted.{{ adapter.quote(column_name) }}
                {%- endif %}{{ ',' if not loop.last }}
                {%- endfor %}
            from {{ target }} as snapshotted
            left join closing
                on snapshotted.{{ columns.dbt_scd_id }} = closing.closing_scd_id
        ),

        added as (
            select
                {%- for column_name in target_columns %}
                {{ 'staged.' ~ adapter.quote(column_name) if column_name | lower in source_columns else 'null' }} as {{ adapter.quote(column_name) }}
                {{- ',' if not loop.last }}
                {%- endfor %}
            from {{ source }} as staged
            left anti join {{ target }} as snapshotted
                on staged.{{ columns.dbt_scd_id }} = snapshotted.{{ columns.dbt_scd_id }}
            where staged.dbt_change_type = 'insert'
        )

        select * from existing
        union all
        select * from added
    {%- endcall -%}

    insert overwrite table {{ target }}
    select
        {%- for column_name in target_columns %}
        {{ adapter.quote(column_name) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ merged }}
{%- endmacro %}

{% macro spark_snapshot_merged_relation(target) -%}
    {{ return(api.Relation.create(
        schema=target.schema, identifier=target.identifier ~ '__dbt_merged', type='table'
    )) }}
{%- endmacro %}

{% macro spark__post_snapshot(staging_relation) -%}
    {%- do adapter.drop_relation(staging_relation) -%}
    {%- set target_identifier = staging_relation.identifier | replace('__dbt_tmp', '') -%}
    {%- call statement('drop_snapshot_merged_rows') -%}
        drop table if exists {{ staging_relation.schema }}.{{ target_identifier }}__dbt_merged
    {%- endcall -%}
{%- endmacro %}
