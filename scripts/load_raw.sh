#!/usr/bin/env bash
# Bulk-load landed raw files into the raw source tables of a target, through the
# engine's native bulk path (never dbt seed). Arguments go to `python -m raw_loader`:
#   scripts/load_raw.sh --target duckdb|postgres|mysql|spark --from DIR [--mode replace|append]
# Then build with the seeds switched off:
#   dbt build --vars '{raw_data_from_seeds: false}'
# The loader runs in the main virtualenv (DuckDB, psycopg2, pyspark) whatever DBT_TARGET
# says, with its pipeline layer (pyarrow for Parquet) and, for Spark, its spark layer;
# MySQL/MariaDB is reached through its own command-line client.
source "$(dirname "$0")/_pipeline_script.sh"
exec python -m raw_loader "$@"
