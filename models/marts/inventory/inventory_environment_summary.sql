{#- How far the test environment has drifted from production, per snapshot date: the
    positions compared, those present in one environment only, and those whose units
    on hand or unit cost differ. -#}
with environment_comparison as (

    select * from {{ ref('inventory_environment_comparison') }}

),

daily_comparison as (

    select
        snapshot_date,
        snapshot_date_key,
        count(*) as positions_compared,
        sum(case when presence = 'both' then 1 else 0 end) as positions_in_both,
        sum(case when presence = 'production_only' then 1 else 0 end)
            as production_only_positions,
        sum(case when presence = 'test_only' then 1 else 0 end) as test_only_positions,
        sum(case when has_quantity_variance then 1 else 0 end)
            as positions_with_quantity_variance,
        sum(case when has_cost_deviation then 1 else 0 end)
            as positions_with_cost_deviation,
        coalesce(sum(abs(quantity_variance_units)), 0) as total_absolute_variance_units
    from environment_comparison
    group by
        snapshot_date,
        snapshot_date_key

),

final as (

    select
        -- keys
        snapshot_date_key,

        -- attributes
        snapshot_date,

        -- measures
        cast(positions_compared as {{ dbt.type_int() }}) as positions_compared,
        cast(positions_in_both as {{ dbt.type_int() }}) as positions_in_both,
        cast(production_only_positions as {{ dbt.type_int() }}) as production_only_positions,
        cast(test_only_positions as {{ dbt.type_int() }}) as test_only_positions,
        cast(positions_with_quantity_variance as {{ dbt.type_int() }})
            as positions_with_quantity_variance,
        cast(total_absolute_variance_units as {{ dbt.type_bigint() }})
            as total_absolute_variance_units,
        cast(
            {{ divide_decimals('positions_with_quantity_variance * 1.0', 'positions_in_both', 4) }}
            as decimal(18, 4)
        ) as quantity_variance_rate_pct,
        cast(positions_with_cost_deviation as {{ dbt.type_int() }})
            as positions_with_cost_deviation,
        cast(
            {{ divide_decimals('positions_with_cost_deviation * 1.0', 'positions_in_both', 4) }}
            as decimal(18, 4)
        ) as cost_deviation_rate_pct
    from daily_comparison

)

select * from final
