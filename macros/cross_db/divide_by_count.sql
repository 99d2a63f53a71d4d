{#
    numerator / count, rounded half away from zero to `scale` decimals, exactly, on every
    engine; null when the count is 0 or null. PostgreSQL, MySQL and Spark divide
    decimals exactly; DuckDB turns a decimal division into a DOUBLE, whose rounding
    drifts by a cent on values like 1234.565, so it gets exact integer arithmetic:
    scale up, add half the divisor, integer-divide, scale back down by a decimal
    multiplication (which DuckDB keeps exact).
#}
{% macro divide_by_count(numerator, count, scale=2) -%}
    {{ return(adapter.dispatch('divide_by_count', 'sales_insights')(numerator, count, scale)) }}
{%- endmacro %}

{% macro default__divide_by_count(numerator, count, scale) -%}
    round({{ numerator }} / nullif({{ count }}, 0), {{ scale }})
{%- endmacro %}

{% macro duckdb__divide_by_count(numerator, count, scale) -%}
    {%- set guard_digits = 6 -%}
    case
        when {{ count }} is not null and {{ count }} <> 0 then
            sign({{ numerator }}) * sign({{ count }})
            * cast(
                (
                    cast(round(abs({{ numerator }}) * {{ 10 ** (scale + guard_digits) }}, 0) as hugeint) * 2
                    + cast(abs({{ count }}) as hugeint) * {{ 10 ** guard_digits }}
                )
                // (cast(abs({{ count }}) as hugeint) * {{ 2 * 10 ** guard_digits }})
                as decimal(38, 0)
            )
            * cast('{{ "%.*f" | format(scale, 10 ** -scale) }}' as decimal(38, {{ scale }}))
    end
{%- endmacro %}
