#!/usr/bin/env bash
# The pull-request job: build and test only what the change touches (`state:modified+`),
# against the base branch's warehouse and manifest, instead of the whole project.
#
#   ./scripts/ci_pull_request.sh [--base REF]      (REF: default origin/main, else main)
#
# 1. The base artifacts: the merge base of HEAD and REF is built once (a clean export of
#    that commit, `dbt build`), and its manifest and warehouse are kept under
#    $SALES_INSIGHTS_CI_ARTIFACTS/<commit> (default .ci-artifacts/, git-ignored; CI caches
#    that folder by commit). A later run against the same base reuses them.
# 2. The change: a copy of the base warehouse (DuckDB: the file; PostgreSQL, with
#    DBT_TARGET=postgres: the database the base was built in, created again from the
#    kept base database as its template, so that every relation keeps its name),
#    then `dbt build --select state:modified+ --state <base manifest> --defer`: the
#    changed nodes and everything downstream are rebuilt and tested in the copy; the
#    rest is read as the base built it. The base warehouse itself is never written.
# 3. The project's rules (scripts/check_project_rules.sh, dbt-bouncer.yml) on the change's
#    manifest and catalog (`dbt docs generate` on the copy), as a developer checks them.
# Extra arguments after `--` go to the change's `dbt build`.
source "$(dirname "$0")/_script.sh"

base_ref=""
dbt_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --base) base_ref="$2"; shift 2 ;;
        --base=*) base_ref="${1#--base=}"; shift ;;
        --) shift; dbt_args=("$@"); break ;;
        *) echo "usage: $0 [--base REF] [-- dbt build arguments]" >&2; exit 2 ;;
    esac
done
if [ -z "$base_ref" ]; then
    if git rev-parse --verify --quiet origin/main >/dev/null; then base_ref=origin/main; else base_ref=main; fi
fi
target="${DBT_TARGET:-duckdb}"
case "$target" in
    duckdb|postgres) ;;
    *) echo "the pull-request job runs on duckdb or postgres, not $target" >&2; exit 2 ;;
esac

base_commit="$(git merge-base HEAD "$base_ref")"
artifacts_root="${SALES_INSIGHTS_CI_ARTIFACTS:-$PROJECT_ROOT/.ci-artifacts}"
base_dir="$artifacts_root/$target-$base_commit"
started=$(date +%s)
# PostgreSQL: the change is built in the database the base was built in (the manifests
# then name the same relations), re-created for every run from the kept base database.
postgres_database="${DBT_POSTGRES_DBNAME:-test}"
change_database="${postgres_database}_ci"
base_database="${postgres_database}_ci_base"

postgres_admin() {  # create NAME [TEMPLATE] | rename OLD NEW
    python - "$@" <<'PY'
import os, sys
import psycopg2
action, name, other = sys.argv[1], sys.argv[2], (sys.argv[3] if len(sys.argv) > 3 else None)
admin = psycopg2.connect(host=os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
                         port=int(os.environ.get("DBT_POSTGRES_PORT", "5432")),
                         user=os.environ.get("DBT_POSTGRES_USER", "postgres"),
                         password=os.environ.get("DBT_POSTGRES_PASSWORD", ""),
                         dbname=os.environ.get("DBT_POSTGRES_ADMIN_DB", os.environ.get("DBT_POSTGRES_DBNAME", "test")))
admin.autocommit = True
with admin.cursor() as cursor:
    if action == "create":
        cursor.execute(f'drop database if exists "{name}" with (force)')
        cursor.execute(f'create database "{name}"' + (f' template "{other}"' if other else ""))
    else:
        cursor.execute(f'drop database if exists "{other}" with (force)')
        cursor.execute(f'alter database "{name}" rename to "{other}"')
PY
}

# the base database belongs to one base commit: rebuilt when the base moves
if [ "$target" = postgres ] && [ "$(cat "$base_dir/postgres_database" 2>/dev/null)" != "$base_database" ]; then
    rm -rf "$base_dir"
fi

if [ ! -f "$base_dir/target/manifest.json" ]; then
    echo "== base artifacts for $base_ref (merge base ${base_commit:0:12}): building them once" >&2
    rm -rf "$base_dir"
    mkdir -p "$base_dir/project"
    git archive "$base_commit" | tar -x -C "$base_dir/project"
    [ "$target" = postgres ] && postgres_admin create "$change_database"
    (
        cd "$base_dir/project"
        export DBT_DUCKDB_PATH="$base_dir/warehouse.duckdb" DBT_PROJECT_DIR="$base_dir/project"
        export DBT_POSTGRES_DBNAME="$change_database"
        dbt build --target "$target" --target-path "$base_dir/target" --log-path "$base_dir/logs" \
            --exclude-resource-type unit_test
    )
    if [ "$target" = postgres ]; then
        postgres_admin rename "$change_database" "$base_database"
        echo "$base_database" > "$base_dir/postgres_database"
    fi
    echo "== base artifacts ready in $(( $(date +%s) - started )) s" >&2
else
    echo "== base artifacts for ${base_commit:0:12} found in $base_dir" >&2
fi

change_started=$(date +%s)
work="$(mktemp -d "${TMPDIR:-/tmp}/sales_insights_pr.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if [ "$target" = duckdb ]; then
    # the same file name as the base's: the same catalog name in every relation
    mkdir -p "$work/warehouse"
    cp "$base_dir/warehouse.duckdb" "$work/warehouse/warehouse.duckdb"
    export DBT_DUCKDB_PATH="$work/warehouse/warehouse.duckdb"
else
    postgres_admin create "$change_database" "$base_database"
    export DBT_POSTGRES_DBNAME="$change_database"
fi
echo "== what changed since ${base_commit:0:12}:" >&2
dbt ls --target "$target" --select state:modified --state "$base_dir/target" \
    --target-path "$work/target" --log-path "$work/logs" --quiet --output name >&2 || true
dbt build --target "$target" --select state:modified+ --state "$base_dir/target" --defer \
    --target-path "$work/target" --log-path "$work/logs" "${dbt_args[@]+"${dbt_args[@]}"}"
echo "== the change built and tested in $(( $(date +%s) - change_started )) s" >&2
rules_started=$(date +%s)
echo "== the project's rules (dbt-bouncer) on the change" >&2
DBT_TARGET="$target" DBT_TARGET_PATH="$work/target" DBT_LOG_PATH="$work/logs" \
    "$PROJECT_ROOT/scripts/check_project_rules.sh"
echo "== the project's rules checked in $(( $(date +%s) - rules_started )) s" >&2
