"""Export of the open-data schema: CSV + Parquet, a Frictionless data package, DCAT-AP
metadata, a methodology note, checksums and a quality report."""
