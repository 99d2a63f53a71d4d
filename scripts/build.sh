#!/usr/bin/env bash
# Build the whole warehouse on the default target (DuckDB): seeds, snapshots, models
# and every test, in dependency order. Extra arguments go to `dbt build`.
source "$(dirname "$0")/_script.sh"
check_seed_landing
dbt build "$@"
