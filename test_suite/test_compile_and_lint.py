"""The business's analyses compile, and the SQL follows the project's style."""
import os
import subprocess

import yaml

from conftest import PROJECT_ROOT, VENV_BIN, copy_project, run


def test_every_analysis_compiles(warehouse):
    result = warehouse.dbt("compile", "--select", "resource_type:analysis")
    assert result.returncode == 0, result.stdout[-3000:]
    analyses = sorted(p.stem for p in (PROJECT_ROOT / "analyses").glob("*.sql"))
    assert len(analyses) >= 5
    compiled_dir = warehouse.target_dir / "compiled" / "sales_insights" / "analyses"
    compiled = sorted(p.stem for p in compiled_dir.glob("*.sql"))
    assert compiled == analyses
    for path in compiled_dir.glob("*.sql"):
        text = path.read_text()
        assert "{{" not in text and "ref(" not in text, path.name


def test_sql_passes_sqlfluff():
    """The whole project, as a developer lints it (scripts/lint_sql.sh, against a scratch
    warehouse: the pre-commit hook's command)."""
    result = run(["bash", str(PROJECT_ROOT / "scripts" / "lint_sql.sh")], cwd=PROJECT_ROOT,
                 env=dict(os.environ, SALES_INSIGHTS_VENV=str(VENV_BIN.parent)))
    assert result.returncode == 0, result.stdout[-6000:]
    assert "All Finished" in result.stdout


def test_the_pre_commit_hooks_are_local_and_run_the_projects_scripts():
    """No hook repository to clone (the machines reach no Git host), and no virtualenv path:
    every hook is local, and runs a script of the project or pre-commit's own pygrep/fail."""
    config = yaml.safe_load((PROJECT_ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    for hook in hooks.values():
        if hook["language"] == "system":
            command = PROJECT_ROOT / hook["entry"].split()[0]
            assert command.is_file() and os.access(command, os.X_OK), hook
        else:
            assert hook["language"] in {"pygrep", "fail"}, hook
    assert hooks["sqlfluff-lint"]["entry"] == "scripts/lint_sql.sh"


def test_the_pre_commit_hook_lints_only_the_changed_sql_file(tmp_path):
    """Two models break the style in a copy of the project; a commit that changes one of
    them runs the hook on that file alone: it fails naming it, and not the other."""
    repo = copy_project(tmp_path / "repo")
    git = ["git", "-c", "user.name=dev", "-c", "user.email=dev@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=repo, check=True)
    changed, other = "models/marts/sales/sales_top_products.sql", "models/marts/sales/sales_top_customers.sql"
    for path in (changed, other):
        model = repo / path
        model.write_text(model.read_text().replace("select * from final", "SELECT * FROM final"))
    subprocess.run([*git, "add", changed], cwd=repo, check=True)
    env = dict(os.environ, SALES_INSIGHTS_VENV=str(VENV_BIN.parent), PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))
    result = run([str(VENV_BIN / "pre-commit"), "run", "sqlfluff-lint"], cwd=repo, env=env)
    assert result.returncode == 1, result.stdout[-6000:]
    assert "sales_top_products.sql" in result.stdout and "CP01" in result.stdout, result.stdout[-6000:]
    assert "sales_top_customers" not in result.stdout, result.stdout[-6000:]


def test_incremental_models_pass_sqlfluff_on_a_built_warehouse(warehouse, tmp_path):
    """Against a built warehouse `is_incremental()` is true and renders the other branch:
    it must follow the style too (it used to fail with hundreds of indentation findings
    once the tables existed, which linting an empty warehouse hid)."""
    import shutil

    assert warehouse.build_result.returncode == 0, warehouse.build_result.stdout[-3000:]
    incremental = sorted(str(path.relative_to(PROJECT_ROOT)) for path in (PROJECT_ROOT / "models").rglob("*.sql")
                         if "is_incremental()" in path.read_text())
    assert len(incremental) >= 3, incremental
    built = tmp_path / "built.duckdb"
    shutil.copy(warehouse.path, built)
    env = dict(os.environ, DBT_DUCKDB_PATH=str(built), DBT_PROFILES_DIR=str(PROJECT_ROOT),
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    result = subprocess.run(
        [str(VENV_BIN / "sqlfluff"), "lint", *incremental], cwd=PROJECT_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    assert "All Finished" in result.stdout
