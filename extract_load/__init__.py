"""Incremental extract-load from the OLTP database into the raw schema of a warehouse."""
