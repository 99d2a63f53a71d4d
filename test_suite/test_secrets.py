"""The pseudonymization key never leaves the engine's session: no output of dbt carries it.

A recognisable key is set and dbt is driven exactly as an operator drives it, through
`scripts/dbt.sh` (which hands the key to PostgreSQL in PGOPTIONS and installs the MySQL
hook): `debug`, a build, `docs generate` and a build that fails, on every engine that is
available (DuckDB and PostgreSQL all four; MySQL and Spark, whose builds are slow,
`debug`). Every file the runs wrote (target/, logs/) and their stdout/stderr are searched
for the key, as text and as hex (the MySQL hook writes it in hex).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import PROFILES_DIR, PROJECT_ROOT, VENV_BIN, run
from test_engines import TEST_DATABASE, _postgres_connection, _unavailable, drop_postgres_database, \
    recreate_postgres_database

# 40 characters, found nowhere else, safe in every route (no space, quote or backslash)
MARKER_KEY = "Qz7Xk2Lw9Pv4Nr6Tb8Hs1Jd3Fg5Mc0Yu-marker1"
MYSQL_VENV = Path(os.environ.get("SALES_INSIGHTS_MYSQL_VENV", PROJECT_ROOT / ".venv-mysql"))
POSTGRES_DATABASE = TEST_DATABASE + "_secrets"
MYSQL_DATABASE = TEST_DATABASE + "_secrets"

BROKEN_MODEL = """
with pseudonymization_key as (
    {{ pseudonymization_key_pads() }}
)
select no_such_column from pseudonymization_key
"""
FAILING_TEST = "select 1 as always_fails"


def _needles() -> list[str]:
    encoded = MARKER_KEY.encode()
    return [MARKER_KEY, encoded.hex(), encoded.hex().upper()]


def _leaks(text: str) -> list[str]:
    return [needle for needle in _needles() if needle in text]


def _copy_project(destination: Path) -> Path:
    """The project, plus a model that fails on the engine after reading the key and a
    singular test that always fails."""
    shutil.copytree(PROJECT_ROOT, destination, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "target", "logs", "*.duckdb", "*.duckdb.wal", "profiles.yml", "__pycache__",
        ".pytest_cache", "build"))
    (destination / "models" / "zz_broken_for_the_key_test.sql").write_text(BROKEN_MODEL)
    (destination / "tests" / "zz_failing_for_the_key_test.sql").write_text(FAILING_TEST)
    return destination


class Operator:
    """Runs `scripts/dbt.sh` of a project with the marker key, keeping every output."""

    def __init__(self, root: Path, target: str, extra_env: dict[str, str] | None = None):
        self.root = root
        self.target = target
        self.outputs: list[str] = []
        self.env = dict(os.environ)
        for name in ("PGOPTIONS", "DBT_TARGET_PATH", "DBT_LOG_PATH"):
            self.env.pop(name, None)  # scripts/_env.sh sets PGOPTIONS from the key
        self.env.update(
            SALES_INSIGHTS_PSEUDONYMIZATION_KEY=MARKER_KEY,
            SALES_INSIGHTS_VENV=str(VENV_BIN.parent),
            SALES_INSIGHTS_MYSQL_VENV=str(MYSQL_VENV),
            DBT_TARGET=target,
            DBT_PROFILES_DIR=str(PROFILES_DIR),
            DBT_DUCKDB_PATH=str(root / "warehouse.duckdb"),
            DBT_SPARK_DIR=str(root / "spark"),
            DBT_TARGET_PATH=str(root / "target"),
            DBT_LOG_PATH=str(root / "logs"),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            DBT_USE_COLORS="false",
            **(extra_env or {}),
        )

    def dbt(self, project: Path, *args: str):
        result = run([str(project / "scripts" / "dbt.sh"), *args], cwd=project, env=self.env, timeout=1800)
        self.outputs.append(f"$ dbt {' '.join(args)}\n{result.stdout}")
        return result

    def assert_the_key_is_nowhere(self):
        written = [path for folder in (self.root / "target", self.root / "logs") if folder.exists()
                   for path in folder.rglob("*") if path.is_file()]
        assert any(path.name == "dbt.log" for path in written), "the runs wrote no log"
        leaks = [(str(path), found) for path in written if (found := _leaks(path.read_text(errors="ignore")))]
        leaks += [(output.splitlines()[0], found) for output in self.outputs if (found := _leaks(output))]
        assert not leaks, leaks


def test_the_key_is_in_no_output_of_dbt_on_duckdb(tmp_path):
    operator = Operator(tmp_path / "run", "duckdb")
    debug = operator.dbt(PROJECT_ROOT, "debug")
    assert debug.returncode == 0, debug.stdout[-3000:]
    build = operator.dbt(PROJECT_ROOT, "build", "--exclude-resource-type", "unit_test")
    assert build.returncode == 0, build.stdout[-3000:]
    docs = operator.dbt(PROJECT_ROOT, "docs", "generate")
    assert docs.returncode == 0, docs.stdout[-3000:]
    project = _copy_project(tmp_path / "project")
    failing = operator.dbt(project, "build", "--select", "zz_broken_for_the_key_test", "zz_failing_for_the_key_test")
    assert failing.returncode != 0
    assert "no_such_column" in failing.stdout and "zz_failing_for_the_key_test" in failing.stdout
    operator.assert_the_key_is_nowhere()


@pytest.mark.postgres
def test_the_key_is_in_no_output_of_dbt_on_postgres(tmp_path):
    try:
        _postgres_connection(os.environ.get("DBT_POSTGRES_ADMIN_DB", "test")).close()
    except Exception as error:  # any connection failure means the engine is missing
        _unavailable("PostgreSQL", error)
    recreate_postgres_database(POSTGRES_DATABASE)
    try:
        operator = Operator(tmp_path / "run", "postgres", {"DBT_POSTGRES_DBNAME": POSTGRES_DATABASE})
        debug = operator.dbt(PROJECT_ROOT, "debug")
        assert debug.returncode == 0, debug.stdout[-3000:]
        build = operator.dbt(PROJECT_ROOT, "build", "--select", "+pii_data_subjects", "+base_sales_system__sales_order_lines",
                             "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
        assert build.returncode == 0, build.stdout[-3000:]
        docs = operator.dbt(PROJECT_ROOT, "docs", "generate")
        assert docs.returncode == 0, docs.stdout[-3000:]
        project = _copy_project(tmp_path / "project")
        failing = operator.dbt(project, "build", "--select", "zz_broken_for_the_key_test", "zz_failing_for_the_key_test")
        assert failing.returncode != 0
        assert "no_such_column" in failing.stdout and "zz_failing_for_the_key_test" in failing.stdout
        operator.assert_the_key_is_nowhere()
    finally:
        drop_postgres_database(POSTGRES_DATABASE)


@pytest.mark.mysql
def test_the_key_is_not_in_dbt_debug_on_mysql(tmp_path):
    try:
        import mysql.connector

        mysql.connector.connect(host=os.environ.get("DBT_MYSQL_HOST", "127.0.0.1"),
                                port=int(os.environ.get("DBT_MYSQL_PORT", "3306")),
                                user=os.environ.get("DBT_MYSQL_USER", "root"),
                                password=os.environ.get("DBT_MYSQL_PASSWORD", ""), connection_timeout=5).close()
    except Exception as error:  # any connection failure means the engine is missing
        _unavailable("MySQL/MariaDB", error)
    # from the project itself: _env.sh points the MySQL virtualenv's hook at the project it runs from
    operator = Operator(tmp_path / "run", "mysql", {"DBT_MYSQL_SCHEMA": MYSQL_DATABASE})
    debug = operator.dbt(PROJECT_ROOT, "debug")
    assert debug.returncode == 0, debug.stdout[-3000:]
    operator.assert_the_key_is_nowhere()


@pytest.mark.spark
def test_the_key_is_not_in_dbt_debug_on_spark(tmp_path):
    if shutil.which("java") is None:
        _unavailable("Spark", "no java on PATH")
    operator = Operator(tmp_path / "run", "spark")
    debug = operator.dbt(PROJECT_ROOT, "debug")
    assert debug.returncode == 0, debug.stdout[-3000:]
    operator.assert_the_key_is_nowhere()


@pytest.mark.spark
def test_the_key_is_not_in_a_failed_build_on_spark(tmp_path):
    if shutil.which("java") is None:
        _unavailable("Spark", "no java on PATH")
    operator = Operator(tmp_path / "run", "spark")
    project = _copy_project(tmp_path / "project")
    failing = operator.dbt(project, "build", "--select", "zz_broken_for_the_key_test")
    assert failing.returncode != 0
    assert "no_such_column" in failing.stdout
    operator.assert_the_key_is_nowhere()
