# The project's environment: a pinned virtualenv and a dbt profile, created on first use
# so that a fresh clone needs nothing but Python 3.11; the virtualenv on PATH, dbt's
# profile and project directories, the pseudonymization key for PostgreSQL sessions.
#
# Safe to source in an interactive shell (`source scripts/_env.sh`, from any directory):
# it sets no shell option and does not change directory. The scripts source it through
# scripts/_script.sh, which adds `set -euo pipefail` and the cd to the project.

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"

# A requirements file and the files it includes (-r), recursively, one a line.
requirements_files() {
    local file="$1" included
    if [ ! -r "$file" ]; then
        echo "Cannot read $file." >&2
        return 1
    fi
    printf '%s\n' "$file"
    for included in $(sed -n -E 's/^(-r|--requirement)[ =]+//p' "$file"); do
        requirements_files "$(dirname "$file")/$included" || return 1
    done
}

# What the marker of an installed requirements file holds: the digest of the file and of the
# files it includes.
requirements_digest() {
    local files
    files="$(requirements_files "$1")" || return 1
    printf '%s\n' "$files" | while IFS= read -r file; do cat "$file"; done | sha256sum | cut -d' ' -f1
}

# install_requirements FILE [EXECUTABLE]: installs the pins of FILE into $VENV (created if
# missing) unless they are there. Installing leaves the marker $VENV/.installed-FILE.sha256,
# the digest of FILE and of the files it includes: a marker that matches (and EXECUTABLE,
# when given, in $VENV/bin) means installed, without running pip; a missing or outdated
# marker (a pin changed) means install. The files FILE includes get their markers too.
# pip's progress goes to stderr; a failure names the file and leaves the markers as they were.
install_requirements() {
    local lock status=0
    if ! command -v flock >/dev/null 2>&1; then
        _install_requirements "$@"
        return
    fi
    # Two scripts (or two test workers) that find the same layer missing install it one
    # after the other: the second then finds the first one's marker and runs no pip.
    exec {lock}>"${VENV%/}.lock"
    flock "$lock"
    _install_requirements "$@" || status=$?
    exec {lock}>&-
    return "$status"
}

_install_requirements() {
    local file="$1" executable="${2:-}" marker wanted reason
    marker="$VENV/.installed-$(basename "$file").sha256"
    wanted="$(requirements_digest "$file")" || return 1
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$marker" 2>/dev/null)" = "$wanted" ] \
        && { [ -z "$executable" ] || [ -x "$VENV/bin/$executable" ]; }; then
        return 0
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        reason="the virtualenv does not exist yet"
    elif [ ! -f "$marker" ]; then
        reason="not installed there yet"
    elif [ "$(cat "$marker")" != "$wanted" ]; then
        reason="its pins changed since it was installed"
    else
        reason="$executable is missing"
    fi
    echo "== ${0##*/}: installing $(basename "$file") into $VENV ($reason) ..." >&2
    if ! { [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"; }; then
        echo "Could not create the virtualenv $VENV for $(basename "$file") (see the message above)." >&2
        return 1
    fi
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --requirement "$file" >&2; then
        echo "Could not install $(basename "$file") into $VENV (see pip's message above)." >&2
        return 1
    fi
    requirements_files "$file" | while IFS= read -r included; do
        requirements_digest "$included" > "$VENV/.installed-$(basename "$included").sha256"
    done
}

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
