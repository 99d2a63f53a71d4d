# Sourced by the other scripts: a pinned virtualenv and a dbt profile, created on
# first use so that a fresh clone needs nothing but Python 3.11.
set -euo pipefail

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SALES_INSIGHTS_VENV:-$PROJECT_ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

requirements_stamp="$VENV/.requirements.sha256"
wanted_stamp="$(sha256sum "$PROJECT_ROOT/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/dbt" ] || [ "$(cat "$requirements_stamp" 2>/dev/null)" != "$wanted_stamp" ]; then
    echo "Setting up the virtualenv in $VENV from requirements.txt ..." >&2
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --requirement "$PROJECT_ROOT/requirements.txt"
    echo "$wanted_stamp" > "$requirements_stamp"
fi

if [ ! -f "$PROJECT_ROOT/profiles.yml" ]; then
    cp "$PROJECT_ROOT/profiles.yml.example" "$PROJECT_ROOT/profiles.yml"
fi

# The pseudonymization key (at least 32 bytes; set a secret one in production) reaches
# PostgreSQL sessions through libpq's PGOPTIONS, never through SQL text. DuckDB gets it
# from its profile (engine_plugins/pseudonymization_key.py holds the same unsafe default).
pseudonymization_key="${SALES_INSIGHTS_PSEUDONYMIZATION_KEY:-UNSAFE-development-pseudonymization-key-never-use-in-production}"
pseudonymization_key="${pseudonymization_key//\\/\\\\}"
export PGOPTIONS="${PGOPTIONS:-} -c sales_insights.pseudonymization_key=${pseudonymization_key// /\\ }"
unset pseudonymization_key

export PATH="$VENV/bin:$PATH"
export DBT_PROFILES_DIR="${DBT_PROFILES_DIR:-$PROJECT_ROOT}"
export DBT_PROJECT_DIR="$PROJECT_ROOT"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
cd "$PROJECT_ROOT"
