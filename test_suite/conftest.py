"""Shared fixtures: one warehouse built from scratch per test session.

The suite drives dbt itself (as a subprocess, exactly as a user would) against a
DuckDB file in a temporary directory, so it never touches the developer's own
warehouse, target/ or logs/.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SEEDS_DIR = PROJECT_ROOT / "seeds" / "raw"
# The suite runs on the profile the project ships, not on a developer's local copy.
PROFILES_DIR = Path(tempfile.mkdtemp(prefix="sales_insights_profiles_"))
shutil.copy(PROJECT_ROOT / "profiles.yml.example", PROFILES_DIR / "profiles.yml")


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess:
    """Run a command, capturing stdout and stderr together, never raising on failure."""
    return subprocess.run(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )


@dataclass
class Warehouse:
    """A dbt project directory plus its own DuckDB file, target and log directories."""

    root: Path
    project_dir: Path = PROJECT_ROOT
    # dbt of another virtualenv (the MySQL target runs dbt-mysql's dbt 1.7 from .venv-mysql)
    dbt_executable: Path = VENV_BIN / "dbt"
    build_result: subprocess.CompletedProcess | None = None
    docs_result: subprocess.CompletedProcess | None = None
    _manifest: dict | None = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def target_dir(self) -> Path:
        return self.root / "target"

    @property
    def seeds_dir(self) -> Path:
        """The raw files this warehouse was built from (and their _manifest.json)."""
        return self.project_dir / "seeds" / "raw"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DBT_DUCKDB_PATH=str(self.path),
            DBT_PROFILES_DIR=str(PROFILES_DIR),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            DBT_USE_COLORS="false",
            PATH=f"{self.dbt_executable.parent}{os.pathsep}{env.get('PATH', '')}",
        )
        return env

    def dbt(self, *args: str) -> subprocess.CompletedProcess:
        command = [
            str(self.dbt_executable),
            *args,
            "--project-dir", str(self.project_dir),
            "--target-path", str(self.target_dir),
            "--log-path", str(self.root / "logs"),
        ]
        return run(command, cwd=self.project_dir, env=self.env())

    def artifact(self, name: str) -> dict:
        return json.loads((self.target_dir / name).read_text())

    @property
    def manifest(self) -> dict:
        if self._manifest is None:
            self._manifest = self.artifact("manifest.json")
        return self._manifest

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection; close it before running dbt against this warehouse again."""
        return duckdb.connect(str(self.path), read_only=True)


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Warehouse:
    """The whole project built once on a fresh DuckDB file, with its docs generated."""
    wh = Warehouse(root=tmp_path_factory.mktemp("warehouse"))
    wh.build_result = wh.dbt("build")
    wh.build_run_results = wh.artifact("run_results.json")
    if wh.build_result.returncode == 0:
        wh.docs_result = wh.dbt("docs", "generate")
    return wh


# A larger generated data set (12.5x the sample's order lines, another seed): the rules
# that the suite proves on the sample must hold at scale too, not only on data they were
# tuned on. It builds in about 75 s on 2 cores.
GENERATED_ORDER_LINES = 150_000
GENERATED_SEED = 2026


@pytest.fixture(scope="session")
def generated_warehouse(tmp_path_factory) -> Warehouse:
    """The whole project built on generated raw data instead of the committed sample: a
    copy of the project whose seeds/raw holds `python -m datagen` output."""
    root = tmp_path_factory.mktemp("generated")
    project = root / "project"
    shutil.copytree(PROJECT_ROOT, project, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "target", "logs", "*.duckdb", "*.duckdb.wal", "profiles.yml", "__pycache__",
        ".pytest_cache"))
    generated = run(
        [sys.executable, "-m", "datagen", "--order-lines", str(GENERATED_ORDER_LINES),
         "--seed", str(GENERATED_SEED), "--out", str(project / "seeds" / "raw")],
        cwd=PROJECT_ROOT, env=dict(os.environ),
    )
    assert generated.returncode == 0, generated.stdout[-3000:]
    wh = Warehouse(root=root, project_dir=project)
    wh.build_result = wh.dbt("build")
    wh.build_run_results = wh.artifact("run_results.json")
    return wh


@pytest.fixture(params=["sample", "generated"])
def any_warehouse(request) -> Warehouse:
    """The sample warehouse, then the generated one: for rules that must hold on both."""
    return request.getfixturevalue("warehouse" if request.param == "sample" else "generated_warehouse")


@pytest.fixture
def any_db(any_warehouse):
    """A read-only connection to the warehouse of `any_warehouse`, closed after the test."""
    assert any_warehouse.build_result.returncode == 0, any_warehouse.build_result.stdout[-5000:]
    connection = any_warehouse.connect()
    yield connection
    connection.close()


@pytest.fixture
def db(warehouse):
    """A read-only connection to the built warehouse, closed after the test."""
    connection = warehouse.connect()
    yield connection
    connection.close()


def query(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return connection.execute(sql).fetchall()


# The development key the plugin and scripts/_env.sh fall back to (marked unsafe).
DEVELOPMENT_KEY = "UNSAFE-development-pseudonymization-key-never-use-in-production"


def pseudonymization_key() -> bytes:
    return os.environ.get("SALES_INSIGHTS_PSEUDONYMIZATION_KEY", DEVELOPMENT_KEY).encode()


def pseudonym(customer_id: str) -> str:
    """A customer's pseudonym, computed with Python's own hmac, independently of the SQL."""
    return hmac.new(pseudonymization_key(), customer_id.encode(), hashlib.sha256).hexdigest()
