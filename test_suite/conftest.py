"""Shared fixtures: one warehouse built from scratch per test session.

The suite drives dbt itself (as a subprocess, exactly as a user would) against a
DuckDB file in a temporary directory, so it never touches the developer's own
warehouse, target/ or logs/.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import copy as copy_module
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
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


# dbt parses the whole project again (about 9 s) when the connection it would open is not
# the one of its last parse, and every warehouse of the suite is a DuckDB file of its own.
# So each dbt command of this process opens its warehouse's file through one stable path,
# a directory symlink pointed at the warehouse just before the command (a worker runs one
# command at a time), and a warehouse without a parse of its own starts from this
# process's last parse of the same project for the same target and vars. dbt still checks
# that parse (version, profile, vars, every file's checksum) and reparses what changed (D127).
_THIS_PROCESS = Path(tempfile.mkdtemp(prefix="sales_insights_dbt_"))
STABLE_WAREHOUSE_DIR = _THIS_PROCESS / "current_warehouse"
PARSES = _THIS_PROCESS / "parses"


def _option(args, name: str) -> str | None:
    return next((args[i + 1] for i, arg in enumerate(args[:-1]) if arg == name), None)


def run_dbt(executable: Path, args, *, root: Path, project_dir: Path, env: dict[str, str],
            target_dir: Path | None = None, log_dir: Path | None = None,
            timeout: int = 900) -> subprocess.CompletedProcess:
    """`dbt <args>` on the project in `project_dir` and the warehouse in `root` (its DuckDB
    file, target/ and logs/ unless told otherwise), reusing parses as described above."""
    target_dir = target_dir or root / "target"
    env = dict(env)
    if env.get("DBT_DUCKDB_PATH") == str(root / "warehouse.duckdb"):
        pointer = STABLE_WAREHOUSE_DIR.with_name("pointer")
        pointer.unlink(missing_ok=True)
        pointer.symlink_to(root, target_is_directory=True)
        os.replace(pointer, STABLE_WAREHOUSE_DIR)
        env["DBT_DUCKDB_PATH"] = str(STABLE_WAREHOUSE_DIR / "warehouse.duckdb")
    target = _option(args, "--target") or env.get("DBT_TARGET") or "duckdb"
    identity = "\n".join([str(executable), str(project_dir), target, _option(args, "--vars") or ""])
    shared_parse = PARSES / f"{hashlib.sha256(identity.encode()).hexdigest()[:16]}.msgpack"
    own_parse = target_dir / "partial_parse.msgpack"
    if not own_parse.exists() and shared_parse.exists():
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared_parse, own_parse)
    command = [
        str(executable), *args,
        "--project-dir", str(project_dir),
        "--target-path", str(target_dir),
        "--log-path", str(log_dir or root / "logs"),
    ]
    result = run(command, cwd=project_dir, env=env, timeout=timeout)
    if own_parse.exists():
        PARSES.mkdir(exist_ok=True)
        shutil.copyfile(own_parse, shared_parse)
    return result


@dataclass
class Warehouse:
    """A dbt project directory plus its own DuckDB file, target and log directories."""

    root: Path
    project_dir: Path = PROJECT_ROOT
    # dbt of another virtualenv (the MySQL target runs dbt-mysql's dbt 1.7 from .venv-mysql)
    dbt_executable: Path = VENV_BIN / "dbt"
    build_result: subprocess.CompletedProcess | None = None
    docs_result: subprocess.CompletedProcess | None = None
    # dbt's debug log file (logs/dbt.log, every statement it ran) costs about a tenth of a
    # DuckDB build: kept only for a warehouse whose tests read it
    debug_log: bool = False
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
        if not self.debug_log:
            env["DBT_LOG_LEVEL_FILE"] = "none"
        return env

    def dbt(self, *args: str, env: dict[str, str] | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
        """`dbt <args>` on this warehouse (`env`: this warehouse's environment if not given)."""
        return run_dbt(self.dbt_executable, args, root=self.root, project_dir=self.project_dir,
                       target_dir=self.target_dir, env=env or self.env(), timeout=timeout)

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


def copy_project(destination: Path) -> Path:
    """A copy of the project's sources (no git, virtualenvs, builds or local profile)."""
    shutil.copytree(PROJECT_ROOT, destination, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "target", "logs", "*.duckdb", "*.duckdb.wal", "profiles.yml", "__pycache__",
        ".pytest_cache"))
    return destination


def built_once(tmp_path_factory, name: str, build) -> Warehouse:
    """`build(root)` run once per test run, however many pytest-xdist workers share it.

    Without workers it builds in a directory of this session. With workers the first one
    to ask builds, under a file lock, in the run's shared temporary directory, and leaves
    the result there untouched; every worker then works on its own copy of that directory
    (a DuckDB file admits one writer process, and some tests run dbt on the warehouse)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return build(tmp_path_factory.mktemp(name))
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent / f"built_once_{name}"
    built = shared.with_suffix(".pickle")
    with FileLock(str(shared.with_suffix(".lock"))):
        if not built.exists():
            shared.mkdir(parents=True, exist_ok=True)
            original = build(shared)
            built.write_bytes(pickle.dumps(original))
    original = pickle.loads(built.read_bytes())
    own = tmp_path_factory.getbasetemp() / name
    shutil.copytree(shared, own, symlinks=True)
    copy = copy_module.copy(original)
    copy.root = own
    if original.project_dir != PROJECT_ROOT:
        copy.project_dir = own / original.project_dir.relative_to(shared)
        # a parse holds its project's absolute path: a moved project is parsed afresh
        (copy.target_dir / "partial_parse.msgpack").unlink(missing_ok=True)
    copy._manifest = None
    return copy


# Unit tests read their fixtures, never the landed data: the build of the sample runs
# them, and a build of other data (a scenario, the generated set) leaves them out.
WITHOUT_UNIT_TESTS = ("--exclude-resource-type", "unit_test")


def _build_the_sample(root: Path) -> Warehouse:
    wh = Warehouse(root=root, debug_log=True)  # test_privacy reads its log
    wh.build_result = wh.dbt("build")
    wh.build_run_results = wh.artifact("run_results.json")
    if wh.build_result.returncode == 0:
        wh.docs_result = wh.dbt("docs", "generate")
    return wh


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Warehouse:
    """The whole project built once on a fresh DuckDB file, with its docs generated."""
    return built_once(tmp_path_factory, "warehouse", _build_the_sample)


# A larger generated data set (12.5x the sample's order lines, another seed): the rules
# that the suite proves on the sample must hold at scale too, not only on data they were
# tuned on. It builds in about 75 s on 2 cores.
GENERATED_ORDER_LINES = 150_000
GENERATED_SEED = 2026


@pytest.fixture(scope="session")
def generated_warehouse(tmp_path_factory) -> Warehouse:
    """The whole project built on generated raw data instead of the committed sample: a
    copy of the project whose seeds/raw holds `python -m datagen` output."""
    return built_once(tmp_path_factory, "generated", _build_generated)


def _build_generated(root: Path) -> Warehouse:
    project = root / "project"
    copy_project(project)
    generated = run(
        [sys.executable, "-m", "datagen", "--order-lines", str(GENERATED_ORDER_LINES),
         "--seed", str(GENERATED_SEED), "--out", str(project / "seeds" / "raw")],
        cwd=PROJECT_ROOT, env=dict(os.environ),
    )
    assert generated.returncode == 0, generated.stdout[-3000:]
    wh = Warehouse(root=root, project_dir=project)
    wh.build_result = wh.dbt("build", *WITHOUT_UNIT_TESTS)
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


SERVER_MARKS = ("postgres", "mysql", "spark")
# The legs that take longest start first, so that with several workers (pytest-xdist,
# `--dist loadfile`) no long file starts last.
LONGEST_FIRST = ("test_engine_spark.py", "test_engine_mysql.py", "test_scale.py", "test_extract_load.py",
                 "test_engines.py", "test_airflow_pipeline.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if not any(item.get_closest_marker(mark) for mark in SERVER_MARKS):
            item.add_marker(pytest.mark.duckdb)
    order = {name: rank for rank, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: order.get(item.path.name, len(order)))


def declared_key_constraints(manifest: dict) -> dict[str, set[str]]:
    """The primary-key columns that the enforced contracts declare, by table name."""
    keys: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or not node["config"]["contract"]["enforced"]:
            continue
        for name, column in node["columns"].items():
            if any(c["type"] == "primary_key" for c in column.get("constraints", [])):
                keys.setdefault(node["alias"] or node["name"], set()).add(name)
    return keys


def query(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return connection.execute(sql).fetchall()


# The development key the plugins and scripts/_env.sh fall back to (marked unsafe).
sys.path.insert(0, str(PROJECT_ROOT / "engine_plugins"))
from development_key import UNSAFE_DEVELOPMENT_KEY as DEVELOPMENT_KEY  # noqa: E402


def pseudonymization_key() -> bytes:
    return os.environ.get("SALES_INSIGHTS_PSEUDONYMIZATION_KEY", DEVELOPMENT_KEY).encode()


def pseudonym(customer_id: str) -> str:
    """A customer's pseudonym, computed with Python's own hmac, independently of the SQL."""
    return hmac.new(pseudonymization_key(), customer_id.encode(), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- comparing engines

# The schemas whose every table another engine must reproduce.
COMPARED_SCHEMAS = ("core", "sales", "inventory", "open_data")
# Bookkeeping of landings and incremental builds (D130, D134): the batch that landed a
# row, the latest change a base row carries, the latest change a table's row was rebuilt
# with, and the change log itself. Two warehouses holding the same data differ there
# (two loads of one file are two batches; a full refresh applies every change at once),
# so comparisons of warehouses leave them out.
BOOKKEEPING_COLUMNS = ("_landing_batch_id", "_changed_batch_id", "_applied_change_id")
CHANGE_LOG = "fct_warehouse_changes"


def mart_profile(db: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[str, object]]:
    """Row count and the exact sum of every numeric column of every table of the compared
    schemas, on DuckDB: what every other engine must reproduce."""
    profile = {}
    tables = db.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_schema in {COMPARED_SCHEMAS} and table_type = 'BASE TABLE' and table_name <> '{CHANGE_LOG}'"
    ).fetchall()
    for schema, table in tables:
        columns = [column for (column,) in db.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? "
            "and (data_type like 'DECIMAL%' or data_type in ('INTEGER', 'BIGINT'))",
            [schema, table],
        ).fetchall()]
        row = db.execute(profile_queries({(schema, table): dict.fromkeys(["rows", *columns])})[(schema, table)]
                         ).fetchone()
        profile[(schema, table)] = dict(zip(["rows", *columns], row))
    return profile


def profile_queries(profile: dict, quote: str = '"', schema_prefix: str = "") -> dict[tuple[str, str], str]:
    """The query that computes a table's profile, per table, in the engine's identifier
    quoting (`"` or a backtick) and with its schema prefix (the MySQL test's databases)."""
    queries = {}
    for (schema, table), measures in profile.items():
        sums = "".join(f", sum({quote}{column}{quote})" for column in measures if column != "rows")
        queries[(schema, table)] = (
            f"select count(*){sums} from {quote}{schema_prefix}{schema}{quote}.{quote}{table}{quote}")
    return queries


def profile_answers(cursor, queries: dict[tuple[str, str], str]) -> dict[tuple[str, str], tuple]:
    """Each table's profile row, asked through a DB-API cursor (PostgreSQL, MySQL)."""
    answers = {}
    for relation, sql in queries.items():
        cursor.execute(sql)
        answers[relation] = cursor.fetchone()
    return answers


def profile_differences(expected: dict, answers: dict, wide_decimals_to_the_cent: bool = False) -> list[tuple]:
    """(schema, table, measure, expected, actual) for every measure whose answer (the row
    of the table's profile query on the other engine) differs from DuckDB's. Sums are
    compared exactly; with `wide_decimals_to_the_cent`, a sum with more than 4 decimals
    (the 8-decimal line-grain P&L amounts) only to the cent: Spark keeps 6 decimals of a
    product of wide decimals (precision capped at 38, docs/decisions.md)."""
    differences = []
    for (schema, table), measures in expected.items():
        actual = dict(zip(measures, answers[(schema, table)]))
        for measure, value in measures.items():
            if value is None and actual[measure] is None:
                continue
            if value is None or actual[measure] is None or not _same_sum(
                    Decimal(str(value)), Decimal(str(actual[measure])), wide_decimals_to_the_cent):
                differences.append((schema, table, measure, value, actual[measure]))
    return differences


def _same_sum(expected: Decimal, actual: Decimal, wide_decimals_to_the_cent: bool) -> bool:
    if wide_decimals_to_the_cent and expected.as_tuple().exponent < -4:
        return abs(expected - actual) < Decimal("0.01")
    return expected == actual
