{#- An SCD2 dimension: every entity has at most one current version, and its versions'
    validity ranges neither overlap nor leave gaps. -#}
{% test valid_ranges_do_not_overlap(model, entity_column, valid_from_column='valid_from', valid_to_column='valid_to') %}

with versions as (

    select
        {{ entity_column }} as entity_id,
        {{ valid_from_column }} as valid_from,
        {{ valid_to_column }} as valid_to,
        lead({{ valid_from_column }}) over (
            partition by {{ entity_column }}
            order by {{ valid_from_column }}
        ) as next_valid_from
    from {{ model }}

),

broken as (

    select *
    from versions
    where valid_from >= valid_to
        or (next_valid_from is not null and next_valid_from <> valid_to)

)

select * from broken

{% endtest %}
