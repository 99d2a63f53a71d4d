#!/usr/bin/env bash
# Apache Airflow for the daily pipeline (orchestration/dags/sales_insights_daily.py), from its
# own pinned virtualenv (.venv-airflow from requirements-airflow.txt, created on first use;
# SALES_INSIGHTS_AIRFLOW_VENV to put it elsewhere). dbt is never installed there: the DAG's
# tasks run the project's scripts, which use the dbt virtualenvs (.venv, .venv-mysql).
#
#   ./scripts/airflow.sh                  # = standalone: api-server on :8080 (AIRFLOW_PORT),
#                                         #   scheduler, dag-processor, triggerer; SQLite metadata
#   ./scripts/airflow.sh setup            # only create the virtualenv and the metadata database
#   ./scripts/airflow.sh <airflow args>   # any Airflow command, e.g.
#                                         #   dags test sales_insights_daily 2026-11-26
#
# AIRFLOW_HOME defaults to build/airflow (git-ignored); DBT_TARGET picks the warehouse
# (duckdb by default), with the target's own variables (docs/targets.md).
set -euo pipefail

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
REQUIREMENTS="$PROJECT_ROOT/requirements-airflow.txt"
VENV="${SALES_INSIGHTS_AIRFLOW_VENV:-$PROJECT_ROOT/.venv-airflow}"

source "$PROJECT_ROOT/scripts/_install.sh"
install_requirements "$REQUIREMENTS" airflow

export AIRFLOW_HOME="${AIRFLOW_HOME:-$PROJECT_ROOT/build/airflow}"
export AIRFLOW__CORE__DAGS_FOLDER="${AIRFLOW__CORE__DAGS_FOLDER:-$PROJECT_ROOT/orchestration/dags}"
export AIRFLOW__CORE__LOAD_EXAMPLES="${AIRFLOW__CORE__LOAD_EXAMPLES:-False}"
export AIRFLOW__API__PORT="${AIRFLOW_PORT:-${AIRFLOW__API__PORT:-8080}}"
export SALES_INSIGHTS_PROJECT_DIR="$PROJECT_ROOT"
export DBT_TARGET="${DBT_TARGET:-duckdb}"
# a relative DuckDB path would depend on the task's working directory
export DBT_DUCKDB_PATH="${DBT_DUCKDB_PATH:-$PROJECT_ROOT/sales_insights.duckdb}"
mkdir -p "$AIRFLOW_HOME"
export PATH="$VENV/bin:$PATH"

case "${1:-standalone}" in
    setup)
        airflow db migrate
        ;;
    standalone)
        exec airflow standalone
        ;;
    *)
        exec airflow "$@"
        ;;
esac
