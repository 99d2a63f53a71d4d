{#
    Staging base models compute, for every landed row, a `row_fingerprint` (a hash of
    the whole landed row), an `invalid_reason` (the first contract rule the row breaks,
    or null) and a `record_key` (the row's business key as text). These macros turn
    that into the one `quarantine_reason` per row that decides whether the row is used.
#}

{#
    CTEs (to place after the base model's own) ending in `deduplicated`: the rows of
    `validated_cte` with `quarantine_reason`:
    - the row's own invalid_reason, if it has one;
    - 'duplicate_row' for the second and later copies of an identical landed row;
    - `superseded_reason` for every valid version of a business key but the latest
      (latest `updated_at_column` wins; ties and tables without one are broken by the
      fingerprint, so the choice is deterministic).
    Exactly one row per business key keeps a null reason: the one staging uses. With
    `landing_batch_column`, of identical copies the first landed is the one used, so
    that a model built batch by batch picks the same copy as a full build.
#}
{% macro assign_quarantine_reason(validated_cte, key_columns, updated_at_column=none, superseded_reason='superseded_by_later_version', landing_batch_column=none) -%}
    fingerprinted as (

        select
            *,
            row_number() over (
                partition by row_fingerprint
                order by {{ landing_batch_column ~ ', ' if landing_batch_column }}row_fingerprint
            ) as fingerprint_occurrence
        from {{ validated_cte }}

    ),

    versioned as (

        select
            *,
            row_number() over (
                partition by
                    case when invalid_reason is null and fingerprint_occurrence = 1 then 1 else 0 end,
                    {{ key_columns | join(', ') }}
                order by
                    {% if updated_at_column -%}
                    coalesce({{ updated_at_column }}, cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})) desc,
                    {% endif -%}
                    row_fingerprint
            ) as version_rank
        from fingerprinted

    ),

    deduplicated as (

        select
            *,
            case
                when invalid_reason is not null then invalid_reason
                when fingerprint_occurrence > 1 then 'duplicate_row'
                when version_rank > 1 then '{{ superseded_reason }}'
            end as quarantine_reason
        from versioned

    )
{%- endmacro %}

{#
    The body of a quarantine model: the rows of `base_model` that cannot be used, one row
    per landed row, with the source, the reason and enough to find the landed row again.
    Personal data never enters a quarantine model; the fingerprint identifies the row.
    The tables with a `currency` (order lines, stock positions) add `quarantine_detail`,
    which names the currency of a row set aside as unsupported_currency (D119).
#}
{% macro quarantine_rows(base_model, source_name, table_name) -%}
with base as (

    select * from {{ ref(base_model) }}

),

quarantined as (

    select
        row_fingerprint,
        fingerprint_occurrence,
        quarantine_reason,
        record_key{% if table_name in ('sales_order_lines', 'inventory_snapshots') %},
        case
            when quarantine_reason = 'unsupported_currency'
                then {{ dbt.concat([
                    "'currency '", 'currency',
                    "' is not the reporting currency " ~ var('reporting_currency') ~ "'",
                ]) }}
        end as quarantine_detail
        {%- endif %}
    from base
    where quarantine_reason is not null

),

final as (

    select
        {{ generate_surrogate_key(['row_fingerprint', 'fingerprint_occurrence']) }} as quarantined_row_id,
        '{{ source_name }}' as source_name,
        '{{ table_name }}' as source_table,
        quarantine_reason,
        {% if table_name in ('sales_order_lines', 'inventory_snapshots') -%}
        quarantine_detail,
        {% endif -%}
        record_key,
        row_fingerprint
    from quarantined

)

select * from final
{%- endmacro %}

{#- The hash of a whole landed row, over the contract's columns in a fixed order. -#}
{#- A row's business key as text: the trimmed values of `columns`, '|'-separated, an
    empty string for a missing one (so that a row without its key still has a key). -#}
{% macro record_key(columns) -%}
    {%- if columns | length == 1 -%}
        coalesce({{ clean_text(columns[0]) }}, '')
    {%- else -%}
        {%- set parts = [] -%}
        {%- for column in columns -%}
            {%- do parts.append("coalesce(" ~ clean_text(column) ~ ", '')") -%}
            {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
        {%- endfor -%}
        {{ dbt.concat(parts) }}
    {%- endif -%}
{%- endmacro %}

{% macro row_fingerprint(columns) -%}
    {{ generate_surrogate_key(columns) }}
{%- endmacro %}
