{#
    What changed, written once (issue 18, D134). `fct_warehouse_changes` logs every change
    that can alter a built row of the incremental models, on one clock: the landing clock
    (20 digits of a UTC time, the loader's batch ids):

    - landed rows: the months (of the order date, of the snapshot date) of the rows of
      every landing batch not logged yet, with the batch as the change's id;
    - a dimension or reference version added, changed or removed since the last build
      (a product version, a customer erased, a deduction rate), with the build's own id
      and the dates whose rows it may change.

    An incremental model stores the latest change it has applied on every row it builds
    (`_applied_change_id`), reads the changes logged after it, and rebuilds the periods
    they touch: a landed month as such, a dimension change through its own rows that
    point to that version on the affected dates (its own keys, no comparison of a whole
    built table with what a full build would give).
#}

{#- The id of this build on the landing clock: its start, as the loader's batch ids are.
    Landings and builds do not overlap (D130), so every batch landed before the build is
    smaller and every batch landed after it greater. -#}
{% macro build_change_id() -%}
    '{{ run_started_at.strftime("%Y%m%d%H%M%S%f") }}'
{%- endmacro %}

{#- The change a base row carries (`_changed_batch_id`): the latest of its landing, of
    the erasure request that redacted it (`erasure_batch_column`) and of the raw table's
    latest replace or deletion, which may have removed rows no key can find any more.
    A raw table that records no batches is new in full at every build. -#}
{% macro row_change_batch_id(landed, table_name, erasure_batch_column=none) -%}
    {%- if var('raw_data_from_seeds') or not relation_has_column(landed, '_landing_batch_id') -%}
        {{ build_change_id() }}
    {%- else -%}
        {%- set ledger = api.Relation.create(
            database=landed.database, schema=landed.schema, identifier='_load_ledger') -%}
        greatest(
            coalesce(_landing_batch_id, '0'),
            {%- if erasure_batch_column %}
            coalesce({{ erasure_batch_column }}, '0'),
            {%- endif %}
            {%- if relation_has_column(ledger, 'landing_batch_id') %}
            (
                select coalesce(max(landing_batch_id), '0')
                from {{ ledger }}
                where table_name = '{{ table_name }}' and load_mode in ('replace', 'delete')
            )
            {%- else %}
            '0'
            {%- endif %}
        )
    {%- endif -%}
{%- endmacro %}

{#- fct_warehouse_changes is appended to; dbt-mysql 1.7 appends when no unique_key is
    set and knows no strategy by that name. -#}
{% macro incremental_append_config() -%}
    {%- if target.type == 'mysql' -%}
        {{ return({'materialized': 'incremental', 'on_schema_change': 'append_new_columns'}) }}
    {%- endif -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'append', 'on_schema_change': 'append_new_columns'}) }}
{%- endmacro %}

{#- Log entries for the landed rows of a base model (a CTE body), for the rows whose
    change is newer than the latest logged for `change_kind`, with that change's id:

    - with `group_column` (an order): one entry per group value (entity_id) and date of
      any of its rows, current or superseded (affected: that day). A changed row widens
      to every row of its group: the order's header is derived from all its lines, so
      a corrected line can move its siblings, and the superseded versions are rows of
      the base model too, so the day a corrected order left is logged with it;
    - without: one entry per month holding a changed row.

    When every row changed (the log's first build; a replace or a deletion landing,
    after which the base model starts over, D130; a raw table without batches), one
    change for everything ('relanded'): the models rebuild all, and rows that vanished
    from the landing leave them. -#}
{% macro landed_row_changes(rows, change_kind, date_column, group_column=none) -%}
    {%- set logged_until -%}
        (
            select coalesce(max(logged.change_id), '') from {{ this }} as logged
            where logged.change_kind = '{{ change_kind }}'
        )
    {%- endset %}
    {%- set every_row_changed -%}
        {%- if is_incremental() -%}
            (select coalesce(min(_changed_batch_id), {{ build_change_id() }}) from {{ rows }}) > {{ logged_until }}
        {%- else -%}
            1 = 1
        {%- endif -%}
    {%- endset %}
        select
            coalesce(max(_changed_batch_id), {{ build_change_id() }}) as change_id,
            '{{ change_kind }}' as change_kind,
            'relanded' as change_type,
            cast(null as {{ dbt.type_string() }}) as version_id,
            cast(null as {{ dbt.type_string() }}) as entity_id,
            cast(null as {{ dbt.type_string() }}) as version_fingerprint,
            cast(null as {{ dbt.type_timestamp() }}) as valid_from,
            cast(null as {{ dbt.type_timestamp() }}) as valid_to,
            cast(null as {{ dbt.type_timestamp() }}) as affected_from,
            cast(null as {{ dbt.type_timestamp() }}) as affected_to
        from {{ rows }}
        having {{ every_row_changed }}
    {%- if is_incremental() %}
        {%- set period = 'day' if group_column else 'month' %}

        union all

        select
            max(changed_rows.change_id) as change_id,
            '{{ change_kind }}' as change_kind,
            'landed' as change_type,
            cast(null as {{ dbt.type_string() }}) as version_id,
            changed_rows.entity_id,
            cast(null as {{ dbt.type_string() }}) as version_fingerprint,
            cast(null as {{ dbt.type_timestamp() }}) as valid_from,
            cast(null as {{ dbt.type_timestamp() }}) as valid_to,
            cast(changed_rows.period_start_date as {{ dbt.type_timestamp() }}) as affected_from,
            cast({{ dbt.dateadd(period, 1, 'changed_rows.period_start_date') }} as {{ dbt.type_timestamp() }})
                as affected_to
        from (
            {%- if group_column %}
            select
                cast(all_rows.{{ group_column }} as {{ dbt.type_string() }}) as entity_id,
                all_rows.{{ date_column }} as period_start_date,
                changed_groups.change_id
            from {{ rows }} as all_rows
            inner join (
                select
                    {{ group_column }},
                    max(_changed_batch_id) as change_id
                from {{ rows }}
                where _changed_batch_id > {{ logged_until }}
                group by {{ group_column }}
            ) as changed_groups
                on all_rows.{{ group_column }} = changed_groups.{{ group_column }}
            {%- else %}
            select
                cast(null as {{ dbt.type_string() }}) as entity_id,
                {{ month_start(date_column) }} as period_start_date,
                _changed_batch_id as change_id
            from {{ rows }}
            where _changed_batch_id > {{ logged_until }}
            {%- endif %}
        ) as changed_rows
        where changed_rows.period_start_date is not null and not ({{ every_row_changed }})
        group by changed_rows.entity_id, changed_rows.period_start_date
    {%- endif %}
{%- endmacro %}

{#- Log entries for the versions of a dimension or reference table (a CTE body).
    `versions` has version_id (unique), entity_id, version_fingerprint (a hash of what
    the facts take from it), valid_from and valid_to (the dates it applies to). Compared
    with the latest logged state of each key: a version added, changed (fingerprint or
    validity) or removed is logged with this build's id and the dates whose rows it may
    change: all its dates if it is added, removed or described differently; only the
    dates its validity gained or lost if only that moved. `logged_versions` is the CTE of
    latest_logged_versions(), read once for every kind. -#}
{% macro version_changes(versions, change_kind, logged_versions) -%}
    {%- if is_incremental() %}
        select
            {{ build_change_id() }} as change_id,
            '{{ change_kind }}' as change_kind,
            case
                when logged_state.version_id is null then 'added'
                else 'changed'
            end as change_type,
            current_state.version_id,
            current_state.entity_id,
            current_state.version_fingerprint,
            current_state.valid_from,
            current_state.valid_to,
            case
                when logged_state.version_id is null
                    or logged_state.version_fingerprint <> current_state.version_fingerprint
                    or logged_state.valid_from <> current_state.valid_from
                    then least(current_state.valid_from, coalesce(logged_state.valid_from, current_state.valid_from))
                else least(current_state.valid_to, logged_state.valid_to)
            end as affected_from,
            case
                when logged_state.version_id is null
                    or logged_state.version_fingerprint <> current_state.version_fingerprint
                    or logged_state.valid_to <> current_state.valid_to
                    then greatest(current_state.valid_to, coalesce(logged_state.valid_to, current_state.valid_to))
                else greatest(current_state.valid_from, logged_state.valid_from)
            end as affected_to
        from {{ versions }} as current_state
        left join {{ logged_versions }} as logged_state
            on logged_state.change_kind = '{{ change_kind }}'
            and current_state.version_id = logged_state.version_id
        where
            logged_state.version_id is null
            or logged_state.version_fingerprint <> current_state.version_fingerprint
            or logged_state.valid_from <> current_state.valid_from
            or logged_state.valid_to <> current_state.valid_to

        union all

        select
            {{ build_change_id() }} as change_id,
            '{{ change_kind }}' as change_kind,
            'removed' as change_type,
            logged_state.version_id,
            logged_state.entity_id,
            logged_state.version_fingerprint,
            logged_state.valid_from,
            logged_state.valid_to,
            logged_state.valid_from as affected_from,
            logged_state.valid_to as affected_to
        from {{ logged_versions }} as logged_state
        left join {{ versions }} as current_state
            on logged_state.version_id = current_state.version_id
        where logged_state.change_kind = '{{ change_kind }}' and current_state.version_id is null
    {%- else %}
        select
            {{ build_change_id() }} as change_id,
            '{{ change_kind }}' as change_kind,
            'added' as change_type,
            version_id,
            entity_id,
            version_fingerprint,
            valid_from,
            valid_to,
            valid_from as affected_from,
            valid_to as affected_to
        from {{ versions }}
    {%- endif %}
{%- endmacro %}

{#- The latest logged state of every version that is not removed, of every kind (a CTE
    body for fct_warehouse_changes' incremental runs). -#}
{% macro latest_logged_versions() -%}
    select
        ranked.change_kind,
        ranked.version_id,
        ranked.entity_id,
        ranked.version_fingerprint,
        ranked.valid_from,
        ranked.valid_to
    from (
        select
            logged.change_kind,
            logged.version_id,
            logged.entity_id,
            logged.version_fingerprint,
            logged.valid_from,
            logged.valid_to,
            logged.change_type,
            row_number() over (
                partition by logged.change_kind, logged.version_id order by logged.change_id desc
            ) as recency
        from {{ this }} as logged
        where logged.version_id is not null
    ) as ranked
    where ranked.recency = 1 and ranked.change_type <> 'removed'
{%- endmacro %}

{#- The latest change this incremental model has applied ('' before its first, or
    while its table lacks the column: every logged change is newer; an SQL expression). -#}
{% macro latest_change_applied_here() -%}
    {%- if this is string or relation_has_column(this, '_applied_change_id') -%}
        (select coalesce(max(applied._applied_change_id), '') from {{ this }} as applied)
    {%- else -%}
        ''
    {%- endif -%}
{%- endmacro %}

{#- The changes of `change_kinds` logged after the latest this incremental model has
    applied (a CTE body). -#}
{% macro changes_not_applied(change_kinds) -%}
    select
        changes.change_id,
        changes.change_kind,
        changes.change_type,
        changes.version_id,
        changes.entity_id,
        changes.affected_from,
        changes.affected_to
    from {{ ref('fct_warehouse_changes') }} as changes
    where
        changes.change_kind in ('{{ change_kinds | join("', '") }}')
        and changes.change_id > {{ latest_change_applied_here() }}
{%- endmacro %}

{#- The latest change logged: what a model stores as `_applied_change_id` on the rows it
    builds (an SQL expression). -#}
{% macro latest_logged_change_id() -%}
    (select max(logged.change_id) from {{ ref('fct_warehouse_changes') }} as logged)
{%- endmacro %}

{#- The keys (of `unit`, see rebuild_unit) an incremental run rebuilds (a CTE body, one
    column rebuilt_key), from the changes not applied yet (`changes`): the keys of landed
    rows, and for a changed dimension or reference row the keys of the model's built rows
    that point to it (`references`: {'change_kind', 'column': the built row's column,
    'matches': version_id or entity_id}) on a date (`date_column`) the change affects. A
    version just added also claims the rows that pointed to the unknown member: they may
    be its. -#}
{% macro keys_to_rebuild(changes, unit, date_column, references) -%}
    select {{ unit.landed_key }} as rebuilt_key
    from {{ changes }}
    where change_type = 'landed'
    {%- for reference in references %}
    {%- set reference_changes = reference.change_kind ~ '_changes' %}
    {%- set matches = reference.get('matches', 'version_id') %}

    union

    select built.{{ unit.column }} as rebuilt_key
    from {{ this }} as built
    inner join {{ changes }} as {{ reference_changes }}
        on {{ reference_changes }}.change_kind = '{{ reference.change_kind }}'
        and (
            cast(built.{{ reference.column }} as {{ dbt.type_string() }}) = {{ reference_changes }}.{{ matches }}
            {%- if matches == 'version_id' %}
            or (
                {{ reference_changes }}.change_type = 'added'
                and cast(built.{{ reference.column }} as {{ dbt.type_string() }}) = {{ unknown_member_key() }}
            )
            {%- endif %}
        )
        and cast(built.{{ date_column }} as {{ dbt.type_timestamp() }}) >= {{ reference_changes }}.affected_from
        and cast(built.{{ date_column }} as {{ dbt.type_timestamp() }}) < {{ reference_changes }}.affected_to
    {%- endfor %}
{%- endmacro %}

{#- Whether a row is rebuilt: its key (of `unit`) is, or the changes include a whole
    relanding (the log's first build, or a model that has never applied any change). -#}
{% macro is_rebuilt(unit, changes, rebuilt_keys) -%}
    (
        {{ unit.column }} in (select {{ rebuilt_keys }}.rebuilt_key from {{ rebuilt_keys }})
        or exists (select 1 from {{ changes }} where {{ changes }}.change_type = 'relanded')
    )
{%- endmacro %}

{#- The versions of a reference rate table (a CTE body for fct_warehouse_changes): a rate
    applies to the dates of its fiscal year (`fiscal_years`: fiscal_year, valid_from,
    valid_to), and to none outside the calendar. -#}
{% macro fiscal_year_rate_versions(rates, rate_id, subject, measures) -%}
    {%- set described = [] -%}
    {%- for column in [subject, 'fiscal_year'] + measures -%}
        {%- do described.append(rates ~ '.' ~ column) -%}
    {%- endfor %}
    select
        {{ rates }}.{{ rate_id }} as version_id,
        {{ rates }}.{{ subject }} as entity_id,
        {{ generate_surrogate_key(described) }} as version_fingerprint,
        coalesce(fiscal_years.valid_from, {{ beginning_of_time() }}) as valid_from,
        coalesce(fiscal_years.valid_to, {{ beginning_of_time() }}) as valid_to
    from {{ rates }}
    left join fiscal_years
        on {{ rates }}.fiscal_year = fiscal_years.fiscal_year
{%- endmacro %}

{#- For an incremental model of order lines that reads an incremental one (`upstream`,
    with `_applied_change_id` and the unit's column): the rows to rebuild (a CTE body),
    those of the keys upstream rebuilt after the latest change this model has applied,
    and of the keys of order lines landed since (the log has the day an order left: no
    upstream row is left there to say so). What else changed reaches it through
    upstream's rows, not through the log again. -#}
{% macro order_lines_rebuilt_upstream(upstream, unit) -%}
    select upstream_rows.*
    from {{ upstream }} as upstream_rows
    where upstream_rows.{{ unit.column }} in (
        {{ keys_landed_or_restamped_since(latest_change_applied_here(), unit, 'order_lines', upstream) }}
    )
{%- endmacro %}

{#- The keys (of `unit`, see rebuild_unit; one column, rebuilt_key) of the rows landed as
    `landed_kind` after the change `applied` (an SQL expression), and of the rows
    `upstream` (a relation, if given) restamped since: what a model downstream of an
    incremental one rebuilds (order_lines_rebuilt_upstream), and what its pre-hook
    deletes first (delete_rebuilt_keys). -#}
{% macro keys_landed_or_restamped_since(applied, unit, landed_kind, upstream=none) -%}
    select {{ unit.landed_key }} as rebuilt_key
    from {{ ref('fct_warehouse_changes') }}
    where change_kind = '{{ landed_kind }}' and change_type = 'landed' and change_id > {{ applied }}
    {%- if upstream %}

    union

    select restamped.{{ unit.column }}
    from {{ upstream }} as restamped
    where restamped._applied_change_id > {{ applied }}
    {%- endif %}
{%- endmacro %}

{#- The latest change `upstream` has applied: what a model downstream of it stores as
    `_applied_change_id` (an SQL expression). -#}
{% macro latest_applied_change_id(upstream) -%}
    (select max(upstream_rows._applied_change_id) from {{ upstream }} as upstream_rows)
{%- endmacro %}
