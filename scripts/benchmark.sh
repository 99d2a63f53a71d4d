#!/usr/bin/env bash
# The scale benchmark (not part of the test suite): generates (and caches) landings,
# bulk-loads them, builds, measures the direct-SQL floor and an incremental day, and
# writes benchmarks/results/<date>-<machine>/report.{json,md}. Arguments go to
# `python -m benchmarks` (--engines, --scales, --seed-scale, --machine, --note, ...).
saved_target="${DBT_TARGET-}"
unset DBT_TARGET
source "$(dirname "$0")/_script.sh"
[ -n "$saved_target" ] && export DBT_TARGET="$saved_target"
require_layers pipeline
require_spark_layer_if_named "$@"
exec python -m benchmarks "$@"
