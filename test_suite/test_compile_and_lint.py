"""The business's analyses compile, and the SQL follows the project's style."""
import os
import subprocess

from conftest import PROJECT_ROOT, VENV_BIN


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


def test_sql_passes_sqlfluff(tmp_path):
    env = dict(os.environ)
    env.update(
        DBT_DUCKDB_PATH=str(tmp_path / "lint.duckdb"),
        DBT_PROFILES_DIR=str(PROJECT_ROOT),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    result = subprocess.run(
        [str(VENV_BIN / "sqlfluff"), "lint", "models", "analyses", "snapshots", "--processes", "2"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    assert "All Finished" in result.stdout


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
