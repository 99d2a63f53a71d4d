#!/usr/bin/env bash
# Start the Streamlit dashboard on http://127.0.0.1:${DASHBOARD_PORT:-8501}, reading the
# marts of DBT_TARGET (duckdb by default: DBT_DUCKDB_PATH, sales_insights.duckdb).
# Build the warehouse first (./scripts/build.sh). Extra arguments go to streamlit.
# Streamlit is the dashboard layer of .venv (requirements-dashboard.txt), installed on first use.
source "$(dirname "$0")/_script.sh"
require_layers dashboard
exec streamlit run dashboard/app.py \
    --server.headless true \
    --server.address 127.0.0.1 \
    --server.port "${DASHBOARD_PORT:-8501}" \
    --browser.gatherUsageStats false \
    "$@"
