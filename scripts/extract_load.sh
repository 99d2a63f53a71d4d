#!/usr/bin/env bash
# One incremental extract-load run from the OLTP database into the raw schema of a
# warehouse target (docs/pipeline.md):
#   scripts/extract_load.sh [--target duckdb|postgres|mysql|spark]   (default $DBT_TARGET or duckdb)
# OLTP connection: SALES_INSIGHTS_OLTP_HOST, _PORT, _USER, _PASSWORD, _DATABASE; the
# warehouse: the DBT_* settings of profiles.yml.example. dlt's state and the landing
# files: .extract_load/ (SALES_INSIGHTS_EXTRACT_STATE_DIR). Runs in the main virtualenv
# whatever DBT_TARGET says, with its pipeline layer (and its spark layer for Spark);
# MySQL/MariaDB is reached through its command-line client.
source "$(dirname "$0")/_pipeline_script.sh"
exec python -m extract_load "$@"
