{{ quarantine_rows('base_sales_system__carriers', 'sales_system', 'carriers') }}
