{{ quarantine_rows('base_finance__freight_costs', 'finance', 'freight_costs') }}
