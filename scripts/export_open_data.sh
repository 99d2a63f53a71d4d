#!/usr/bin/env bash
# Export every open_data table of the built warehouse (DuckDB by default; DBT_TARGET=postgres
# for PostgreSQL) to CSV and Parquet with a Frictionless data package, DCAT-AP metadata,
# the methodology note, SHA-256 checksums and a quality report, then validate it.
# Usage: ./scripts/export_open_data.sh [--out DIR]   (default build/open_data)
source "$(dirname "$0")/_env.sh"
dbt parse --quiet
python -m open_data_export --manifest "${DBT_TARGET_PATH:-target}/manifest.json" "$@"
frictionless validate "$(python - "$@" <<'PY'
import sys, argparse, pathlib
parser = argparse.ArgumentParser(); parser.add_argument("--out", default="build/open_data")
print(pathlib.Path(parser.parse_known_args(sys.argv[1:])[0].out) / "datapackage.json")
PY
)"
