#!/usr/bin/env bash
# Generate the dbt docs (the browsable site and the single-file static site,
# target/static_index.html) against the built warehouse, then serve them on
# http://127.0.0.1:${DBT_DOCS_PORT:-8081}. `--no-serve` only generates.
source "$(dirname "$0")/_script.sh"
serve=true
if [ "${1:-}" = "--no-serve" ]; then
    serve=false
    shift
fi
dbt docs generate --static "$@"
echo "Static single-file site: $PROJECT_ROOT/target/static_index.html"
if $serve; then
    dbt docs serve --port "${DBT_DOCS_PORT:-8081}" --no-browser
fi
