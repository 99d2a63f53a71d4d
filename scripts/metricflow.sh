#!/usr/bin/env bash
# MetricFlow's CLI (`mf`) on the project's semantic layer, reading the warehouse of
# DBT_TARGET (DuckDB by default). It runs from its own pinned virtualenv
# (requirements-metricflow.txt, created on first use in .venv-metricflow or
# SALES_INSIGHTS_METRICFLOW_VENV), on target/semantic_manifest.json, which `dbt parse`
# refreshes first when anything it reads changed since the manifest was written (D125).
#   ./scripts/metricflow.sh list metrics
#   ./scripts/metricflow.sh query --metrics revenue,gross_margin_pct --group-by metric_time__fiscal_year
# `--setup-only` creates or updates the virtualenv and prints the path of its `mf`.
source "$(dirname "$0")/_script.sh"

MF_VENV="${SALES_INSIGHTS_METRICFLOW_VENV:-$PROJECT_ROOT/.venv-metricflow}"
VENV="$MF_VENV" install_requirements "$PROJECT_ROOT/requirements-metricflow.txt" mf

if [ "${1:-}" = "--setup-only" ]; then
    echo "$MF_VENV/bin/mf"
    exit 0
fi

# The fingerprint of what dbt parses (scripts/dbt_parse_inputs.py) and the manifest's own
# hash, stored beside it after the parse: another dbt command that rewrites the manifest
# (a build, another target) makes the next query parse once more.
semantic_manifest="$PROJECT_ROOT/target/semantic_manifest.json"
parse_stamp="$PROJECT_ROOT/target/semantic_manifest.inputs"
parse_inputs="$(python "$PROJECT_ROOT/scripts/dbt_parse_inputs.py" "$PROJECT_ROOT")"
semantic_manifest_hash() { sha256sum "$semantic_manifest" 2>/dev/null | cut -d' ' -f1; }
if [ ! -f "$semantic_manifest" ] \
    || [ "$(cat "$parse_stamp" 2>/dev/null)" != "$parse_inputs $(semantic_manifest_hash)" ]; then
    dbt parse --quiet
    echo "$parse_inputs $(semantic_manifest_hash)" > "$parse_stamp"
fi
exec "$MF_VENV/bin/mf" "$@"
