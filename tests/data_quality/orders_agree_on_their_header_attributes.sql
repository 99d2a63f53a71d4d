{{ config(severity='warn') }}

{#- Warns (never fails the build) when the lines of an order disagree on a header
    attribute: the export is inconsistent, though no revenue moves (fct_sales keeps each
    line's own customer, store and ship-to area, D115). The orders are listed in
    int_order_header_conflicts_listed. -#}
select
    order_id,
    order_lines,
    conflicting_attributes
from {{ ref('int_order_header_conflicts_listed') }}
