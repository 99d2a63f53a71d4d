# The project's environment: a pinned virtualenv and a dbt profile, created on first use
# so that a fresh clone needs nothing but Python 3.11; the virtualenv on PATH, dbt's
# profile and project directories, the pseudonymization key for PostgreSQL sessions.
#
# Safe to source in an interactive shell (`source scripts/_env.sh`, from any directory):
# it sets no shell option and does not change directory. The scripts source it through
# scripts/_script.sh, which adds `set -euo pipefail` and the cd to the project.

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"

# install_requirements and the helpers it uses (the same for every virtualenv of the project).
source "$PROJECT_ROOT/scripts/_install.sh"

# require_layers LAYER...: the layers of .venv that a script needs beyond the core, each
# from requirements-LAYER.txt (spark, dashboard, pipeline, dev: docs/development.md, D123),
# installed when missing or outdated; the core (requirements.txt) is installed below.
require_layers() {
    local layer
    if [ "$REQUIREMENTS" != "$PROJECT_ROOT/requirements.txt" ]; then
        echo "The layers ($*) belong to .venv; DBT_TARGET=${DBT_TARGET:-} uses $VENV." >&2
        return 1
    fi
    for layer in "$@"; do
        if [ ! -f "$PROJECT_ROOT/requirements-$layer.txt" ]; then
            echo "No layer $layer: requirements-$layer.txt does not exist." >&2
            return 1
        fi
        install_requirements "$PROJECT_ROOT/requirements-$layer.txt" || return 1
    done
}

# dbt-mysql 1.7 needs dbt-core 1.7, so the MySQL/MariaDB target has its own virtualenv
# (.venv-mysql from requirements-mysql.txt, or SALES_INSIGHTS_MYSQL_VENV); every other
# target uses .venv (or SALES_INSIGHTS_VENV), with the core layer (requirements.txt), and
# the spark layer for DBT_TARGET=spark.
if [ "${DBT_TARGET:-}" = "mysql" ]; then
    REQUIREMENTS="$PROJECT_ROOT/requirements-mysql.txt"
    VENV="${SALES_INSIGHTS_MYSQL_VENV:-$PROJECT_ROOT/.venv-mysql}"
else
    REQUIREMENTS="$PROJECT_ROOT/requirements.txt"
    VENV="${SALES_INSIGHTS_VENV:-$PROJECT_ROOT/.venv}"
fi
install_requirements "$REQUIREMENTS" dbt || return 1 2>/dev/null || exit 1
if [ "${DBT_TARGET:-}" = "spark" ]; then
    require_layers spark || return 1 2>/dev/null || exit 1
fi

# MySQL has no PGOPTIONS: in .venv-mysql a .pth file loads the hook that hands the
# pseudonymization key to every connection dbt-mysql opens, through the driver
# (engine_plugins/mysql_pseudonymization_key.py). Rewritten when the project moves.
if [ "${DBT_TARGET:-}" = "mysql" ]; then
    key_hook_pth="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/sales_insights_mysql_key.pth"
    key_hook="$PROJECT_ROOT/engine_plugins
import mysql_pseudonymization_key; mysql_pseudonymization_key.register()"
    if [ "$(cat "$key_hook_pth" 2>/dev/null)" != "$key_hook" ]; then
        printf '%s\n' "$key_hook" > "$key_hook_pth"
    fi
    unset key_hook_pth key_hook
fi

if [ ! -f "$PROJECT_ROOT/profiles.yml" ]; then
    cp "$PROJECT_ROOT/profiles.yml.example" "$PROJECT_ROOT/profiles.yml"
fi

# The pseudonymization key (at least 32 bytes; set a secret one in production) reaches
# PostgreSQL sessions through libpq's PGOPTIONS, never through SQL text (nothing logs the
# environment: D106). DuckDB's plugin reads the variable itself
# (engine_plugins/pseudonymization_key.py, which holds the same unsafe default).
# Sourced again (an interactive shell), the earlier setting is replaced, not repeated.
pseudonymization_key="${SALES_INSIGHTS_PSEUDONYMIZATION_KEY:-UNSAFE-development-pseudonymization-key-never-use-in-production}"
pseudonymization_key="${pseudonymization_key//\\/\\\\}"
PGOPTIONS="${SALES_INSIGHTS_PGOPTIONS_BEFORE-${PGOPTIONS:-}}"
export SALES_INSIGHTS_PGOPTIONS_BEFORE="$PGOPTIONS"
export PGOPTIONS="${PGOPTIONS} -c sales_insights.pseudonymization_key=${pseudonymization_key// /\\ }"
unset pseudonymization_key

export PATH="$VENV/bin:$PATH"
export DBT_PROFILES_DIR="${DBT_PROFILES_DIR:-$PROJECT_ROOT}"
export DBT_PROJECT_DIR="$PROJECT_ROOT"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
