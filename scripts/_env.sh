# The project's environment: a pinned virtualenv and a dbt profile, created on first use
# so that a fresh clone needs nothing but Python 3.11; the virtualenv on PATH, dbt's
# profile and project directories, the pseudonymization key for PostgreSQL sessions.
#
# Safe to source in an interactive shell (`source scripts/_env.sh`, from any directory):
# it sets no shell option and does not change directory. The scripts source it through
# scripts/_script.sh, which adds `set -euo pipefail` and the cd to the project.

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"

# dbt-mysql 1.7 needs dbt-core 1.7, so the MySQL/MariaDB target has its own virtualenv
# (.venv-mysql from requirements-mysql.txt, or SALES_INSIGHTS_MYSQL_VENV); every other
# target uses .venv (or SALES_INSIGHTS_VENV).
if [ "${DBT_TARGET:-}" = "mysql" ]; then
    requirement_files=("$PROJECT_ROOT/requirements-mysql.txt")
    VENV="${SALES_INSIGHTS_MYSQL_VENV:-$PROJECT_ROOT/.venv-mysql}"
else
    # requirements-dev.txt: the development tools (the project-rules check), on top of
    # requirements.txt in the same virtualenv, compatible with its pins
    requirement_files=("$PROJECT_ROOT/requirements.txt" "$PROJECT_ROOT/requirements-dev.txt")
    VENV="${SALES_INSIGHTS_VENV:-$PROJECT_ROOT/.venv}"
fi

requirements_stamp="$VENV/.requirements.sha256"
wanted_stamp="$(cat "${requirement_files[@]}" | sha256sum | cut -d' ' -f1)"
pip_requirements=()
for requirement_file in "${requirement_files[@]}"; do pip_requirements+=(--requirement "$requirement_file"); done
if [ ! -x "$VENV/bin/dbt" ] || [ "$(cat "$requirements_stamp" 2>/dev/null)" != "$wanted_stamp" ]; then
    echo "Setting up the virtualenv in $VENV from ${requirement_files[*]##*/} ..." >&2
    if ! { "$PYTHON" -m venv "$VENV" \
        && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${pip_requirements[@]}"; }; then
        echo "Could not set up $VENV from ${requirement_files[*]##*/} (see pip's message above)." >&2
        unset requirements_stamp wanted_stamp requirement_files requirement_file pip_requirements
        return 1 2>/dev/null || exit 1
    fi
    echo "$wanted_stamp" > "$requirements_stamp"
fi
unset requirements_stamp wanted_stamp requirement_files requirement_file pip_requirements

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
