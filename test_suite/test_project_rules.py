"""The project's structural rules (dbt-bouncer.yml: names by layer, who may read what,
descriptions, properties files, contracts, foreign keys), checked by dbt-bouncer through
scripts/check_project_rules.sh, the same command the pull-request job and a developer run."""
from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from conftest import PROJECT_ROOT, VENV_BIN, Warehouse, copy_project, run


def _check_rules(project_dir: Path, env: dict[str, str], output: Path, *args: str):
    """scripts/check_project_rules.sh of `project_dir`, its outcomes as (check, unique id, outcome)."""
    env = dict(env, SALES_INSIGHTS_VENV=str(VENV_BIN.parent), COLUMNS="200")
    result = run(["bash", str(project_dir / "scripts" / "check_project_rules.sh"), *args,
                  "--output-file", str(output)], cwd=project_dir, env=env)
    outcomes = []
    if output.exists():
        outcomes = [(r["check_run_id"].split(":")[0], r["unique_id"], r["outcome"])
                    for r in json.loads(output.read_text())]
    return result, outcomes


def test_the_built_warehouse_follows_the_project_rules(warehouse):
    """Every rule passes on the built warehouse's manifest and catalog; every rule of the
    configuration ran on something (a path pattern that matches nothing would let its rule
    pass forever), and every model falls under a naming rule."""
    assert warehouse.build_result.returncode == 0, warehouse.build_result.stdout[-3000:]
    env = dict(warehouse.env(), DBT_TARGET_PATH=str(warehouse.target_dir),
               DBT_LOG_PATH=str(warehouse.root / "logs"))
    result, outcomes = _check_rules(PROJECT_ROOT, env, warehouse.root / "project_rules.json")
    assert result.returncode == 0, result.stdout[-6000:]
    assert "All checks passed" in result.stdout, result.stdout[-3000:]
    assert {outcome for _, _, outcome in outcomes} == {"success"}
    config = yaml.safe_load((PROJECT_ROOT / "dbt-bouncer.yml").read_text())
    configured = {check["name"] for checks in config.values() for check in checks}
    assert configured == {name for name, _, _ in outcomes}
    models = {uid for uid, node in warehouse.manifest["nodes"].items() if node["resource_type"] == "model"}
    named = [uid for name, uid, _ in outcomes if name == "check_model_names"]
    assert sorted(named) == sorted(models), set(named) ^ models  # each model under exactly one rule
    described = {uid for name, uid, _ in outcomes if name == "check_column_description_populated"}
    assert models <= described, models - described  # the catalog's columns of every model


def test_the_rules_fail_naming_the_model_that_breaks_them(tmp_path):
    """A copy of the project with two violations, checked without a warehouse
    (`--manifest-only`): a mart that reads a staging model, an intermediate model without
    the int_ prefix. The check fails, on exactly those two models and rules."""
    project = copy_project(tmp_path / "project")
    mart = project / "models" / "marts" / "sales" / "sales_top_products.sql"
    mart.write_text(mart.read_text() + "-- {{ ref('stg_sales_system__products') }}\n")
    (project / "models" / "intermediate" / "sales" / "order_lines_per_day.sql").write_text(
        "select order_date from {{ ref('int_order_lines_joined') }}\n")
    properties = project / "models" / "intermediate" / "sales" / "_sales__models.yml"
    properties.write_text(properties.read_text()
                          + "  - name: order_lines_per_day\n    description: Lines per day, misnamed.\n")
    warehouse = Warehouse(root=tmp_path, project_dir=project)
    env = dict(warehouse.env(), DBT_TARGET_PATH=str(tmp_path / "target"), DBT_LOG_PATH=str(tmp_path / "logs"))
    result, outcomes = _check_rules(project, env, tmp_path / "project_rules.json", "--manifest-only")
    assert result.returncode == 1, result.stdout[-6000:]
    failures = {(name, uid.split(".")[-1]) for name, uid, outcome in outcomes if outcome != "success"}
    assert failures == {
        ("check_lineage_permitted_upstream_models", "sales_top_products"),
        ("check_model_names", "order_lines_per_day"),
    }, failures
    assert "stg_sales_system__products" in result.stdout, result.stdout[-6000:]
