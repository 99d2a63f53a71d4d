#!/usr/bin/env bash
# dbt from the project's pinned virtualenv (.venv, or .venv-mysql when DBT_TARGET=mysql),
# with the project's profile and the pseudonymization key set up by _env.sh.
# Usage: ./scripts/dbt.sh <dbt arguments>, e.g. ./scripts/dbt.sh source freshness
source "$(dirname "$0")/_script.sh"
check_seed_landing
exec dbt "$@"
