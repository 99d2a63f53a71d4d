{#- Mirrors dbt_utils.unique_combination_of_columns: the columns together are unique. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with duplicated as (

    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

)

select * from duplicated

{% endtest %}
