{#
    The customer number as the warehouse knows it (docs/privacy.md, D100): trimmed and
    upper-cased, null when empty. Every place a landed customer number enters the
    warehouse uses it, the privacy office's erasure requests as much as the order lines
    and the deduction rates, so that a request matches its customer exactly when the
    pseudonyms would: `c-00335 ` and `C-00335` are one customer, and one request erases
    her. Customer numbers are case-insensitive codes (`C-00335`); two landed numbers that
    differ only in case or surrounding spaces are one customer.
#}
{% macro customer_number(column) -%}
    nullif(upper(trim({{ column }})), '')
{%- endmacro %}
