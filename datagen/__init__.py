"""Deterministic generator of the raw source tables of Sales Insights (see docs/scale.md)."""
