{{ quarantine_rows('base_finance__post_invoice_deductions', 'finance', 'post_invoice_deductions') }}
