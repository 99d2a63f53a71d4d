#!/usr/bin/env bash
# Runs the command given in the project's environment (scripts/_env.sh: its virtualenv on
# PATH), from the project directory: the pre-commit hooks' entry, so that they use the
# project's Python and packages whatever the shell that commits has on PATH.
#
#   scripts/run_in_env.sh python scripts/check_yaml.py FILE...
source "$(dirname "$0")/_script.sh"
exec "$@"
