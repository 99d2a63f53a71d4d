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

{#
    A ratio of two decimals (margins, growth, discount rates), rounded half away from zero
    to `scale` decimals; null when the denominator is 0 or null. Spark gives the quotient
    of two wide decimals (decimal(38, s)) only 6 decimals, which rounds a ratio to 4
    decimals differently from the other engines now and then; on Spark the operands are
    first cast to decimal(28, 10) (exact for our amounts, up to 10^18), which leaves the
    quotient 10 decimals.
#}
{% macro divide_decimals(numerator, denominator, scale=4) -%}
    {{ return(adapter.dispatch('divide_decimals', 'sales_insights')(numerator, denominator, scale)) }}
{%- endmacro %}

{% macro default__divide_decimals(numerator, denominator, scale) -%}
    round(({{ numerator }}) / nullif({{ denominator }}, 0), {{ scale }})
{%- endmacro %}

{% macro spark__divide_decimals(numerator, denominator, scale) -%}
    round(
        cast(({{ numerator }}) as decimal(28, 10))
        / nullif(cast({{ denominator }} as decimal(28, 10)), 0),
        {{ scale }}
    )
{%- endmacro %}
