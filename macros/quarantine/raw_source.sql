{#
    The relation of a raw table, for staging models to read instead of calling
    source() directly. It does two things source() cannot:

    - When the raw tables are the committed sample (`raw_data_from_seeds`), it declares
      the dependency on the seed that fills the table, so a threaded `dbt build` never
      reads a raw table before `dbt seed` has finished writing it. Bulk-loaded raw tables
      are read through the same source(), so staging reads the same way in both cases.
    - At run time it checks the landed table against the source contract: it must exist
      and have every column the source declares (any order, extra columns ignored). A
      broken landing stops the build with a message naming the source and the problem,
      instead of a crash deep inside a model. An empty table (a header-only file) is a
      valid landing (docs/landing.md, D97): the masters named in the var
      `raw_tables_warn_when_empty` (products, suppliers, carriers, locations) log a
      warning, every other table builds in silence.
#}
{% macro raw_source(source_name, table_name) -%}
    {%- if var('raw_data_from_seeds') -%}
        {%- do ref(table_name) -%}
    {%- endif -%}
    {%- set relation = source(source_name, table_name) -%}
    {#- only when a model is being built: compiling, linting, docs and unit tests need no data -#}
    {%- if execute and flags.WHICH in ('run', 'build') and model.resource_type == 'model' -%}
        {%- do check_source_contract(source_name, table_name, relation) -%}
    {%- endif -%}
    {{- return(relation) -}}
{%- endmacro %}

{% macro check_source_contract(source_name, table_name, relation) -%}
    {%- set label = source_name ~ "." ~ table_name -%}
    {%- set source_node = graph.sources.values()
        | selectattr("source_name", "equalto", source_name)
        | selectattr("name", "equalto", table_name)
        | first -%}
    {%- set expected = source_node.columns.keys() | map("lower") | list -%}

    {%- set landed = relation_column_names(relation) -%}
    {%- if landed is none -%}
        {{ exceptions.raise_compiler_error(
            "Source contract violated for " ~ label ~ ": the raw table " ~ relation
            ~ " does not exist. Load it (dbt seed for the sample, or the bulk loader) before building."
        ) }}
    {%- endif -%}

    {%- set missing = [] -%}
    {%- for column in expected if column not in landed -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "Source contract violated for " ~ label ~ ": missing column(s) " ~ missing | join(", ")
            ~ " (the landed file has: " ~ landed | join(", ") ~ "). Check the export's header row."
        ) }}
    {%- endif -%}

    {%- if table_name in var('raw_tables_warn_when_empty', []) -%}
        {%- set probe = run_query("select 1 as has_rows from " ~ relation ~ " limit 1") -%}
        {%- if probe.rows | length == 0 -%}
            {%- do exceptions.warn(
                "Source " ~ label ~ " landed empty (a header-only file): every reference to it "
                ~ "is an unknown member until a full export of this master lands."
            ) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The lowercased column names of the table `relation` names, or none when it does not exist. -#}
{% macro relation_column_names(relation) -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
    {%- if existing is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_columns_in_relation(existing) | map(attribute="name") | map("lower") | list) }}
{%- endmacro %}

