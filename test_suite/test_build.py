"""The build itself: clean, complete, and running every test it declares, on the sample
and on a larger generated data set."""
import re

from conftest import PROJECT_ROOT, declared_key_constraints

PASSING = {"success", "pass"}


def test_build_succeeds_with_no_errors_and_no_warnings(any_warehouse):
    output = any_warehouse.build_result.stdout
    assert any_warehouse.build_result.returncode == 0, output[-5000:]
    summary = re.findall(r"Done\. PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)", output)
    assert summary, output[-3000:]
    passed, warned, errored, skipped = map(int, summary[-1])
    assert (warned, errored, skipped) == (0, 0, 0), summary
    assert passed > 0
    assert "[WARNING]" not in output, [line for line in output.splitlines() if "WARNING" in line]


def test_every_node_ran_and_passed(any_warehouse):
    """A node that exists in the manifest but did not run (a test with a typo in its
    selector, a model that was disabled by accident) is a failure too."""
    warehouse = any_warehouse
    results = {r["unique_id"]: r["status"] for r in warehouse.build_run_results["results"]}
    nodes = {
        unique_id
        for unique_id, node in warehouse.manifest["nodes"].items()
        if node["resource_type"] in {"model", "seed", "snapshot", "test"}
    }
    # unit tests run in the build of the sample only (conftest.WITHOUT_UNIT_TESTS)
    unit_tests = set(warehouse.manifest["unit_tests"]) if warehouse.project_dir == PROJECT_ROOT else set()
    missing = sorted((nodes | unit_tests) - set(results))
    assert not missing, missing
    not_passing = {
        uid: status
        for uid, status in results.items()
        if status not in PASSING and not uid.startswith("exposure.")
    }
    assert not not_passing, not_passing


def test_the_suite_is_as_large_as_expected(warehouse):
    """Floors well below today's counts: a vanished block of tests is noticed."""
    manifest = warehouse.manifest
    kinds = [node["resource_type"] for node in manifest["nodes"].values()]
    assert kinds.count("model") >= 55
    assert kinds.count("test") >= 600
    assert kinds.count("snapshot") == 3
    assert kinds.count("seed") == 10
    assert len(manifest["unit_tests"]) >= 30
    assert len(manifest["sources"]) == 10


def test_every_source_accounts_for_every_landed_row(warehouse):
    tested_sources = {
        node["sources"][0][0] + "." + node["sources"][0][1]
        for node in warehouse.manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node.get("test_metadata", {}).get("name") == "rows_accounted_for"
    }
    declared = {f"{s['source_name']}.{s['name']}" for s in warehouse.manifest["sources"].values()}
    assert tested_sources == declared


def _models(manifest):
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] == "model":
            yield unique_id, node


def test_every_model_has_a_tested_primary_key(warehouse):
    """A column tested both unique and not null, or a unique combination of columns: dbt-bouncer's
    check_model_has_unique_test sees the unique test but not the not-null one beside it.
    (Enforced contracts of the marts and the facts' foreign keys: dbt-bouncer.yml.)"""
    tests_by_model: dict[str, list[tuple[str, str | None]]] = {}
    for node in warehouse.manifest["nodes"].values():
        if node["resource_type"] != "test" or "test_metadata" not in node:
            continue
        attached = node.get("attached_node")
        if attached:
            tests_by_model.setdefault(attached, []).append(
                (node["test_metadata"]["name"], node.get("column_name"))
            )
    missing = []
    for unique_id, node in _models(warehouse.manifest):
        tests = tests_by_model.get(unique_id, [])
        unique_columns = {column for name, column in tests if name == "unique"}
        not_null_columns = {column for name, column in tests if name == "not_null"}
        has_key = bool(unique_columns & not_null_columns) or any(
            name == "unique_combination_of_columns" for name, _ in tests
        )
        if not has_key:
            missing.append(node["name"])
    assert not missing, missing


def test_duckdb_tables_keep_their_contracts_not_nulls_and_leave_out_the_keys(warehouse, db):
    """D87: on DuckDB a key constraint is an ART index that every insert probes, so the
    contracts' keys are declared and tested (above), and the tables are built without
    them; the not-null constraints stay."""
    declared = declared_key_constraints(warehouse.manifest)
    assert len(declared) >= 15, declared
    constraints = db.execute(
        "select table_name, constraint_type, constraint_column_names from duckdb_constraints() "
        "where database_name = current_database()"
    ).fetchall()
    key_constraints = [row for row in constraints if row[1] in ("PRIMARY KEY", "UNIQUE")]
    assert not key_constraints, key_constraints
    not_null = {(table, columns[0]) for table, kind, columns in constraints if kind == "NOT NULL"}
    missing = sorted(
        (table, column) for table, columns in declared.items() for column in columns if (table, column) not in not_null
    )
    assert not missing, missing


def test_names_fit_every_engines_identifier_limit(warehouse):
    """PostgreSQL cuts identifiers at 63 characters, MySQL at 64; dbt unit tests become
    relations named after the test."""
    names = [node["name"] for node in warehouse.manifest["nodes"].values() if node["resource_type"] != "test"]
    names += [unit_test["name"] for unit_test in warehouse.manifest["unit_tests"].values()]
    too_long = [name for name in names if len(name) > 63]
    assert not too_long, too_long
