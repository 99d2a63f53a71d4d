#!/usr/bin/env bash
# The scale benchmark (not part of the test suite): generates (and caches) landings,
# bulk-loads them, builds, measures the direct-SQL floor and an incremental day, and
# writes benchmarks/results/<date>-<machine>/report.{json,md}. Arguments go to
# `python -m benchmarks` (--engines, --scales, --seed-scale, --machine, --note, ...).
source "$(dirname "$0")/_pipeline_script.sh"
exec python -m benchmarks "$@"
