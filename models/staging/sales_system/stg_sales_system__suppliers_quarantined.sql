{{ quarantine_rows('base_sales_system__suppliers', 'sales_system', 'suppliers') }}
