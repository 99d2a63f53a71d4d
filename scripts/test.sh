#!/usr/bin/env bash
# The whole test suite: builds the warehouse from scratch in a temporary DuckDB file,
# runs every dbt test and unit test, checks the results independently, lints the SQL.
# Extra arguments go to pytest: with a path (test_suite/test_x.py) only that part runs,
# without one pytest.ini's testpaths (the whole test_suite) does; `-m postgres` runs one
# engine's leg (markers in pytest.ini). The suite needs the dev layer of .venv
# (requirements-dev.txt: pytest, lint, and every other layer), installed on first use.
# Test files run in parallel on SALES_INSIGHTS_TEST_WORKERS pytest-xdist workers (2 by
# default: the machine CI runs on has 2 cores; 0 runs them in this process, one after
# another). Each file stays on one worker; the shared warehouses are built once (D126).
source "$(dirname "$0")/_script.sh"
require_layers dev
python -m pytest -n "${SALES_INSIGHTS_TEST_WORKERS:-2}" --dist loadfile --no-loadscope-reorder "$@"
