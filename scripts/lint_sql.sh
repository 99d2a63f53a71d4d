#!/usr/bin/env bash
# The SQL style check (sqlfluff with the dbt templater, .sqlfluff): the files given, or
# every model, analysis and snapshot.
#
#   ./scripts/lint_sql.sh                                  the whole project
#   ./scripts/lint_sql.sh models/marts/sales/x.sql ...     these files (the pre-commit hook
#                                                          passes the staged SQL files)
#
# dbt renders each file against a scratch DuckDB file, never the developer's warehouse: the
# result does not depend on whether ./scripts/build.sh has built one (is_incremental() renders
# its first-build branch), and a warehouse held open by the dashboard or a dbt run does not
# stop it. The incremental branch is linted against a built warehouse by the test suite
# (test_compile_and_lint.py). dbt's target/ and logs/ go to the scratch directory too.
source "$(dirname "$0")/_script.sh"
require_layers lint

scratch="$(mktemp -d "${TMPDIR:-/tmp}/sales_insights_lint.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
export DBT_DUCKDB_PATH="$scratch/lint.duckdb" DBT_TARGET_PATH="$scratch/target" DBT_LOG_PATH="$scratch/logs"
[ $# -gt 0 ] || set -- models analyses snapshots
sqlfluff lint --processes 2 "$@"
