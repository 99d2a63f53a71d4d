"""Deterministic generator of the raw source tables of Sales Insights (see README.md)."""
