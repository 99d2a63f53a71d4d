{#
    A person's age band on a given date. Age bands are what the warehouse keeps of a
    birth date outside the restricted PII model: wide enough not to single anyone out.
#}
{% macro age_band(birth_date, on_date) -%}
    {%- set age_in_years -%}
        floor({{ dbt.datediff(birth_date, on_date, 'day') }} / 365.25)
    {%- endset -%}
    case
        when {{ birth_date }} is null or {{ birth_date }} > {{ on_date }} then 'unknown'
        when {{ age_in_years }} < 18 then 'under 18'
        when {{ age_in_years }} < 25 then '18-24'
        when {{ age_in_years }} < 35 then '25-34'
        when {{ age_in_years }} < 45 then '35-44'
        when {{ age_in_years }} < 55 then '45-54'
        when {{ age_in_years }} < 65 then '55-64'
        else '65 and over'
    end
{%- endmacro %}
