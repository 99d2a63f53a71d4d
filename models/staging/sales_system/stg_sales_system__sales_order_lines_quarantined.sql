{{ quarantine_rows('base_sales_system__sales_order_lines', 'sales_system', 'sales_order_lines') }}
