{{ quarantine_rows('base_sales_system__locations', 'sales_system', 'locations') }}
