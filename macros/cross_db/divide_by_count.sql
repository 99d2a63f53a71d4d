{#
    numerator / count, rounded half away from zero to `scale` decimals, exactly, on every
    engine; null when the count is 0 or null. PostgreSQL, MySQL and Spark divide
    decimals exactly through divide_decimals (below); DuckDB turns a decimal division
    into a DOUBLE, whose rounding drifts by a cent on values like 1234.565, so it gets
    exact integer arithmetic:
    scale up, add half the divisor, integer-divide, scale back down by a decimal
    multiplication (which DuckDB keeps exact).
#}
{% macro divide_by_count(numerator, count, scale=2) -%}
    {{ return(adapter.dispatch('divide_by_count', 'sales_insights')(numerator, count, scale)) }}
{%- endmacro %}

{% macro default__divide_by_count(numerator, count, scale) -%}
    {{ divide_decimals(numerator, count, scale) }}
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
    A ratio of two decimals (margins, growth, shares, discount and availability rates):
    null when the denominator is 0 or null (dbt_utils' safe_divide), rounded half away
    from zero to `scale` decimals when a scale is given. Every ratio goes through it,
    because two engines lose decimals before the final rounding:
    - Spark gives the quotient of two wide decimals (decimal(38, s)) only 6 decimals,
      which rounded a margin to 4 decimals differently from the other engines; there
      the operands are first cast to decimal(28, 10) (exact for our amounts, up to
      10^18), which leaves the quotient 10 decimals.
    - MySQL and MariaDB give a quotient only `div_precision_increment` (4) more
      decimals than the dividend and round there, so rounding that to 4 decimals
      rounds twice (a product's share of revenue 2005.75 / 1911027.87 = 0.0010496
      became 0.001050, then 0.0011); there the dividend is widened to 30 decimals.
    Elsewhere it is plain division.
#}
{% macro divide_decimals(numerator, denominator, scale=none) -%}
    {{ return(adapter.dispatch('divide_decimals', 'sales_insights')(numerator, denominator, scale)) }}
{%- endmacro %}

{% macro default__divide_decimals(numerator, denominator, scale) -%}
    {{ round_quotient('(' ~ numerator ~ ') / nullif(' ~ denominator ~ ', 0)', scale) }}
{%- endmacro %}

{% macro spark__divide_decimals(numerator, denominator, scale) -%}
    {{ round_quotient(
        'cast((' ~ numerator ~ ') as decimal(28, 10)) / nullif(cast(' ~ denominator ~ ' as decimal(28, 10)), 0)',
        scale,
    ) }}
{%- endmacro %}

{% macro mysql__divide_decimals(numerator, denominator, scale) -%}
    {{ round_quotient('cast((' ~ numerator ~ ') as decimal(65, 30)) / nullif(' ~ denominator ~ ', 0)', scale) }}
{%- endmacro %}

{% macro round_quotient(quotient, scale) -%}
    {%- if scale is none -%}
        ({{ quotient }})
    {%- else -%}
        round({{ quotient }}, {{ scale }})
    {%- endif -%}
{%- endmacro %}
