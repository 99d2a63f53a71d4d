# Sourced by every script of scripts/: strict mode, the project's environment
# (scripts/_env.sh) and the project directory as the working directory. Not for an
# interactive shell: source scripts/_env.sh there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$PROJECT_ROOT"

# The committed sample (seeds/raw) against the landing contract, before dbt parses it:
# a seed that is not UTF-8 stops dbt's parser with an error that names neither the file
# nor the line, before any macro of the project can look (docs/landing.md, D95).
check_seed_landing() {
    local output
    if ! output="$(python -m raw_loader --check --from "$PROJECT_ROOT/seeds/raw" 2>&1)"; then
        printf '%s\n' "$output" >&2
        return 2
    fi
}

# The spark layer of .venv when DBT_TARGET or one of the arguments names Spark (D123):
# `./scripts/build.sh --target spark` as DBT_TARGET=spark does (_env.sh), and the scripts that
# run in .venv whatever DBT_TARGET says and take their target as an argument (--target spark,
# --engines ... spark), which call it again once they restored DBT_TARGET.
require_spark_layer_if_named() {
    local argument
    for argument in "${DBT_TARGET:-}" "$@"; do
        case "$argument" in
            spark|--*=spark) require_layers spark; return ;;
        esac
    done
}
if [ "${DBT_TARGET:-}" != "mysql" ]; then
    require_spark_layer_if_named "$@"
fi
