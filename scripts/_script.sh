# Sourced by every script of scripts/: strict mode, the project's environment
# (scripts/_env.sh) and the project directory as the working directory. Not for an
# interactive shell: source scripts/_env.sh there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$PROJECT_ROOT"
