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
