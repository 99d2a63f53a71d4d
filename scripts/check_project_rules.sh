#!/usr/bin/env bash
# The project's structural rules (dbt-bouncer.yml: names by layer, who may read what,
# descriptions, properties files, contracts and foreign keys), checked by dbt-bouncer on
# dbt's artifacts. The pull-request job runs it on the change's warehouse (ci_pull_request.sh).
#
#   ./scripts/check_project_rules.sh                  after ./scripts/build.sh: `dbt docs generate`
#                                                     (manifest and catalog), then every check
#   ./scripts/check_project_rules.sh --manifest-only  no warehouse needed: `dbt parse`, then the
#                                                     checks on the manifest (not the catalog's
#                                                     built columns)
#
# Further arguments go to `dbt-bouncer run` (e.g. --output-file rules.json, or
# --output-format junit for a CI report).
#
# The artifacts go to target/, or to $DBT_TARGET_PATH (dbt's own variable), which the checks
# then read. Exit status 1 when a rule is broken; the failures name the model and the rule.
source "$(dirname "$0")/_script.sh"
require_layers lint

manifest_only=false
if [ "${1:-}" = --manifest-only ]; then
    manifest_only=true
    shift
fi

check_seed_landing
target_path="${DBT_TARGET_PATH:-target}"
if [ "$manifest_only" = true ]; then
    dbt parse --quiet
    only=(--only manifest_checks)
else
    dbt docs generate --quiet
    only=()
fi

# dbt-bouncer reads the artifacts from the directory its configuration names: the
# project's configuration, with that directory in front.
config_dir="$(mktemp -d "${TMPDIR:-/tmp}/dbt-bouncer.XXXXXX")"
trap 'rm -rf "$config_dir"' EXIT
config="$config_dir/dbt-bouncer.yml"
{
    printf "dbt_artifacts_dir: '%s'\n" "$(cd "$target_path" && pwd)"
    cat dbt-bouncer.yml
} > "$config"
dbt-bouncer run --config-file "$config" --show-all-failures "${only[@]+"${only[@]}"}" "$@"
