{{ quarantine_rows('base_privacy_office__erasure_requests', 'privacy_office', 'erasure_requests') }}
