"""Data-subject requests: everything the warehouse holds about one customer (GDPR art. 15)."""
