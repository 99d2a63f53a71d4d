# Sourced by the scripts of the daily pipeline's Python steps (load_raw, extract_load, oltp,
# benchmark): they run in .venv whatever DBT_TARGET says (.venv-mysql has neither duckdb nor
# dlt; MySQL/MariaDB is reached through its command-line client) and take their target as an
# argument. So: scripts/_script.sh with DBT_TARGET set aside, then DBT_TARGET as it was, the
# pipeline layer, and the spark layer when DBT_TARGET or an argument names Spark (D123).
saved_target="${DBT_TARGET-}"
unset DBT_TARGET
source "$(dirname "${BASH_SOURCE[0]}")/_script.sh"
if [ -n "$saved_target" ]; then
    export DBT_TARGET="$saved_target"
fi
unset saved_target
require_layers pipeline
require_spark_layer_if_named "$@"
