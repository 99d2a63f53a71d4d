{{ quarantine_rows('base_finance__manufacturing_costs', 'finance', 'manufacturing_costs') }}
