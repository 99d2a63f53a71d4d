#!/usr/bin/env bash
# The whole test suite: builds the warehouse from scratch in a temporary DuckDB file,
# runs every dbt test and unit test, checks the results independently, lints the SQL.
# Extra arguments go to pytest: with a path (test_suite/test_x.py) only that part runs,
# without one pytest.ini's testpaths (the whole test_suite) does. The suite needs the dev
# layer of .venv (requirements-dev.txt: pytest, lint, and every other layer), installed on
# first use.
source "$(dirname "$0")/_script.sh"
require_layers dev
python -m pytest "$@"
