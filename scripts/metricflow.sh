#!/usr/bin/env bash
# MetricFlow's CLI (`mf`) on the project's semantic layer, reading the warehouse of
# DBT_TARGET (DuckDB by default). It runs from its own pinned virtualenv
# (requirements-metricflow.txt, created on first use in .venv-metricflow or
# SALES_INSIGHTS_METRICFLOW_VENV), after `dbt parse` refreshed target/semantic_manifest.json.
#   ./scripts/metricflow.sh list metrics
#   ./scripts/metricflow.sh query --metrics revenue,gross_margin_pct --group-by metric_time__fiscal_year
# `--setup-only` creates or updates the virtualenv and prints the path of its `mf`.
source "$(dirname "$0")/_script.sh"

MF_VENV="${SALES_INSIGHTS_METRICFLOW_VENV:-$PROJECT_ROOT/.venv-metricflow}"
mf_stamp="$MF_VENV/.requirements.sha256"
mf_wanted="$(sha256sum "$PROJECT_ROOT/requirements-metricflow.txt" | cut -d' ' -f1)"
if [ ! -x "$MF_VENV/bin/mf" ] || [ "$(cat "$mf_stamp" 2>/dev/null)" != "$mf_wanted" ]; then
    echo "Setting up MetricFlow's virtualenv in $MF_VENV from requirements-metricflow.txt ..." >&2
    "$PYTHON" -m venv "$MF_VENV"
    "$MF_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        --requirement "$PROJECT_ROOT/requirements-metricflow.txt"
    echo "$mf_wanted" > "$mf_stamp"
fi

if [ "${1:-}" = "--setup-only" ]; then
    echo "$MF_VENV/bin/mf"
    exit 0
fi

dbt parse --quiet
exec "$MF_VENV/bin/mf" "$@"
