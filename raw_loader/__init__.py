"""Bulk loader of the raw landing: files -> the raw source tables, never `dbt seed`."""
