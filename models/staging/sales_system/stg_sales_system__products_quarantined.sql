{{ quarantine_rows('base_sales_system__products', 'sales_system', 'products') }}
