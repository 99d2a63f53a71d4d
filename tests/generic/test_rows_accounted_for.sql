{#
    Nothing lost: every landed row of a raw table is either used by staging or set
    aside in the table's quarantine model. Fails when landed <> used + quarantined,
    returning the three counts.
#}
{% test rows_accounted_for(model, used_model, quarantine_model) %}

with landed as (

    select count(*) as landed_rows from {{ model }}

),

used as (

    select count(*) as used_rows from {{ used_model }}

),

quarantined as (

    select count(*) as quarantined_rows from {{ quarantine_model }}

),

accounted as (

    select
        landed.landed_rows,
        used.used_rows,
        quarantined.quarantined_rows
    from landed
    cross join used
    cross join quarantined

)

select * from accounted
where landed_rows <> used_rows + quarantined_rows

{% endtest %}
