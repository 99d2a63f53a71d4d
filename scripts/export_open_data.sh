#!/usr/bin/env bash
# Export every open_data table of the built warehouse to CSV and Parquet with a Frictionless
# data package, DCAT-AP metadata, the methodology note, SHA-256 checksums and a quality
# report, then validate it. Reads the target DBT_TARGET names: duckdb (default), postgres,
# mysql (MySQL/MariaDB) or spark (the local session-mode warehouse under DBT_SPARK_DIR).
# Usage: ./scripts/export_open_data.sh [--out DIR] [--vars '{schema_prefix: si_}']
#   (default build/open_data; --vars: the ones the warehouse was built with, for its schema names)
export_target="${DBT_TARGET:-duckdb}"
# The exporter, frictionless and the parse that gives the descriptions run in .venv (with its
# pipeline layer; its spark layer for Spark's parse) whatever the target: .venv-mysql
# (dbt 1.7 for dbt-mysql) has neither duckdb nor frictionless.
# On mysql the parse uses the duckdb profile: .venv has no dbt-mysql, and the open_data
# models' descriptions, types and schema names do not depend on the target (docs/decisions.md D83).
export DBT_TARGET=duckdb
source "$(dirname "$0")/_script.sh"
export DBT_TARGET="$export_target"
require_layers pipeline
require_spark_layer_if_named
parse_target="$export_target"
if [ "$export_target" = "mysql" ]; then
    parse_target=duckdb
fi

dbt_vars=()
exporter_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --vars) dbt_vars=(--vars "$2"); shift 2 ;;
        --vars=*) dbt_vars=(--vars "${1#--vars=}"); shift ;;
        *) exporter_args+=("$1"); shift ;;
    esac
done

# A target path of its own: a parse must not replace the manifest of the build (on mysql,
# dbt 1.7's) that sits in target/.
parse_path="${DBT_TARGET_PATH:-target}/open_data_export"
dbt parse --quiet --target "$parse_target" --target-path "$parse_path" "${dbt_vars[@]}"
python -m open_data_export --manifest "$parse_path/manifest.json" --target "$export_target" "${exporter_args[@]}"
frictionless validate "$(python - "${exporter_args[@]}" <<'PY'
import sys, argparse, pathlib
parser = argparse.ArgumentParser(); parser.add_argument("--out", default="build/open_data")
print(pathlib.Path(parser.parse_known_args(sys.argv[1:])[0].out) / "datapackage.json")
PY
)"
