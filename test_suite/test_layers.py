"""The virtualenv's layers (docs/development.md, D123): requirements.txt is the core that
`./scripts/build.sh` needs on DuckDB and PostgreSQL; requirements-<layer>.txt add the spark,
dashboard, pipeline and dev layers on top of it. scripts/_env.sh installs a layer when its
marker in the virtualenv is missing or outdated, and runs no pip otherwise."""
from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROFILES_DIR, PROJECT_ROOT, run

LAYERS = ("spark", "dashboard", "pipeline", "lint", "dev")
CORE = PROJECT_ROOT / "requirements.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[a-z,]+\])?==([^\s=]+)$")


def layer_file(layer: str) -> Path:
    return CORE if layer == "core" else PROJECT_ROOT / f"requirements-{layer}.txt"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_layer(path: Path) -> tuple[dict[str, str], list[str]]:
    """The file's own pins (canonical name -> version) and the files it includes (-r)."""
    pins, includes = {}, []
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("-r "):
            includes.append(line[3:].strip())
            continue
        match = PIN.match(line.strip())
        assert match, f"{path.name}: not an exact pin: {line!r}"
        name = canonical(match.group(1))
        assert name not in pins, f"{path.name} pins {name} twice"
        pins[name] = match.group(3)
    return pins, includes


def all_pins(path: Path) -> dict[str, str]:
    """Every pin a file brings, with those of the files it includes."""
    pins, includes = read_layer(path)
    merged = dict(pins)
    for included in includes:
        for name, version in all_pins(path.parent / included).items():
            assert merged.setdefault(name, version) == version, (
                f"{path.name}: {name} is pinned {merged[name]} and {version} in the files it includes")
    return merged


def test_the_core_holds_dbt_on_duckdb_and_postgres_and_nothing_of_the_other_layers():
    core, includes = read_layer(CORE)
    assert not includes
    assert core["dbt-core"].startswith("1.11."), core["dbt-core"]
    assert {"dbt-duckdb", "dbt-postgres", "duckdb", "psycopg2-binary", "pyyaml"} <= set(core)
    for heavy in ("pyspark", "dbt-spark", "playwright", "streamlit", "dlt", "pyarrow", "pandas",
                  "pytest", "sqlfluff", "frictionless", "scipy"):
        assert heavy not in core, heavy


def test_every_layer_builds_on_the_core_and_the_dev_layer_holds_them_all():
    """Each layer installs into the same virtualenv as the core, so a package pinned by two
    layers must have one version; the dev layer (test.sh) holds every other layer."""
    core, _ = read_layer(CORE)
    for layer in LAYERS:
        pins = all_pins(layer_file(layer))
        assert {name: pins[name] for name in core} == core, layer
    dev = all_pins(layer_file("dev"))
    for layer in ("spark", "dashboard", "pipeline", "lint"):
        assert all_pins(layer_file(layer)).items() <= dev.items(), layer
    assert {"pytest", "pytest-xdist", "sqlfluff", "pre-commit", "playwright"} <= set(dev)
    assert {"sqlfluff", "sqlfluff-templater-dbt", "dbt-bouncer", "pre-commit"} <= set(all_pins(layer_file("lint")))
    assert {"dbt-spark", "pyspark"} <= set(all_pins(layer_file("spark")))
    assert "streamlit" in all_pins(layer_file("dashboard"))
    assert {"dlt", "pymysql", "frictionless"} <= set(all_pins(layer_file("pipeline")))


def test_the_suite_runs_in_exactly_the_pinned_versions_of_every_layer():
    """test.sh installed the dev layer in the virtualenv running this test: every pin of
    every layer is installed there, at its version."""
    pins = all_pins(layer_file("dev"))
    installed = {canonical(dist.metadata["Name"]): dist.version for dist in importlib.metadata.distributions()}
    assert {name: installed.get(name) for name in pins} == pins


# ---------------------------------------------------------------- markers, with a stand-in pip

FAKE_PYTHON = """#!/usr/bin/env bash
# Stands for python3: `-m venv DIR` makes a virtualenv whose python logs what it is asked.
echo "python3 $*" >> "$LAYERS_LOG"
[ "$1 $2" = "-m venv" ] || exit 2
mkdir -p "$3/bin"
cp "$FAKE_VENV_PYTHON" "$3/bin/python"
"""
FAKE_VENV_PYTHON = """#!/usr/bin/env bash
# The virtualenv's python: `-m pip install ... --requirement FILE` logs FILE, installs a dbt
# that fails, and exits with FAKE_PIP_STATUS; anything else is logged and fails.
if [ "$1 $2 $3" = "-m pip install" ]; then
    echo "pip ${@: -1}" >> "$LAYERS_LOG"
    sleep "${FAKE_PIP_SECONDS:-0}"
    printf '#!/bin/sh\\nexit 3\\n' > "$(dirname "$0")/dbt" && chmod +x "$(dirname "$0")/dbt"
    exit "${FAKE_PIP_STATUS:-0}"
fi
echo "python $*" >> "$LAYERS_LOG"
exit 2
"""


class FakeProject:
    """A copy of the project's scripts and requirement files with a virtualenv whose pip
    only logs: what _env.sh installs, and when, without installing anything."""

    def __init__(self, root: Path):
        self.root = root / "project"
        (self.root / "scripts").mkdir(parents=True)
        for script in (PROJECT_ROOT / "scripts").glob("*.sh"):
            shutil.copy(script, self.root / "scripts" / script.name)
        for requirements in PROJECT_ROOT.glob("requirements*.txt"):
            shutil.copy(requirements, self.root / requirements.name)
        shutil.copy(PROJECT_ROOT / "profiles.yml.example", self.root / "profiles.yml.example")
        self.venv = root / "venv"
        self.log = root / "log"
        self.log.touch()
        for name, text in (("python3", FAKE_PYTHON), ("venv_python", FAKE_VENV_PYTHON)):
            (root / name).write_text(text)
            (root / name).chmod((root / name).stat().st_mode | stat.S_IEXEC)
        self.env = dict(os.environ, PYTHON=str(root / "python3"), FAKE_VENV_PYTHON=str(root / "venv_python"),
                        LAYERS_LOG=str(self.log), SALES_INSIGHTS_VENV=str(self.venv))
        self.env.pop("DBT_TARGET", None)
        self._seen = 0

    def run(self, command: list[str], **env: str) -> subprocess.CompletedProcess:
        return run(command, cwd=self.root, env={**self.env, **env}, timeout=120)

    def source_env(self, *layers: str, **env: str) -> subprocess.CompletedProcess:
        """A script's start: _script.sh (strict mode, _env.sh), then require_layers LAYERS."""
        return self.run(["bash", "-c", 'source scripts/_script.sh && require_layers "$@"', "probe", *layers], **env)

    def installs(self) -> list[str]:
        """The requirement files pip was asked to install since the last call."""
        lines = self.log.read_text().splitlines()
        new, self._seen = lines[self._seen:], len(lines)
        return [Path(line.split(" ", 1)[1]).name for line in new if line.startswith("pip ")]

    def marker(self, requirements: str) -> Path:
        return self.venv / f".installed-{requirements}.sha256"


@pytest.fixture
def project(tmp_path) -> FakeProject:
    return FakeProject(tmp_path)


def test_a_layer_is_installed_when_its_marker_is_missing_or_outdated_and_only_then(project):
    result = project.source_env()
    assert result.returncode == 0, result.stdout
    assert project.installs() == ["requirements.txt"]
    assert "installing requirements.txt into" in result.stdout and "does not exist yet" in result.stdout
    assert project.source_env().returncode == 0
    assert project.installs() == [], "an installed core is not installed again"

    result = project.source_env("dashboard")
    assert result.returncode == 0, result.stdout
    assert project.installs() == ["requirements-dashboard.txt"]
    assert project.source_env("dashboard").returncode == 0
    assert project.installs() == []

    project.marker("requirements.txt").write_text("the digest of older pins\n")
    result = project.source_env("dashboard")
    assert project.installs() == ["requirements.txt"]
    assert "pins changed" in result.stdout

    # a changed pin in the core: the core and every layer built on it are installed again
    core = project.root / "requirements.txt"
    core.write_text(core.read_text().replace("dbt-duckdb==", "dbt-duckdb==0.0.0+"))
    assert project.source_env("dashboard").returncode == 0
    assert project.installs() == ["requirements.txt", "requirements-dashboard.txt"]

    (project.venv / "bin" / "dbt").unlink()
    result = project.source_env()
    assert project.installs() == ["requirements.txt"]
    assert "dbt is missing" in result.stdout


def test_two_scripts_that_find_the_core_missing_install_it_once(project):
    """As two test workers or two terminals do: the second waits for the first one's
    install (a lock beside the virtualenv), then finds its marker and runs no pip."""
    command = ["bash", "-c", "source scripts/_script.sh"]
    env = {**project.env, "FAKE_PIP_SECONDS": "3"}
    first, second = (subprocess.Popen(command, cwd=project.root, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True) for _ in range(2))
    assert first.wait(timeout=60) == 0 and second.wait(timeout=60) == 0, (first.stdout.read(), second.stdout.read())
    assert project.installs() == ["requirements.txt"]


def test_the_dev_layer_marks_every_layer_it_includes_as_installed(project):
    assert project.source_env("dev").returncode == 0
    assert project.installs() == ["requirements.txt", "requirements-dev.txt"]
    assert project.source_env("spark", "dashboard", "pipeline", DBT_TARGET="spark").returncode == 0
    assert project.installs() == []


@pytest.mark.parametrize(("script", "arguments", "env", "layers"), [
    ("build.sh", [], {}, []),
    ("build.sh", ["--target", "spark"], {}, ["spark"]),
    ("dbt.sh", ["parse"], {"DBT_TARGET": "spark"}, ["spark"]),
    ("dashboard.sh", [], {}, ["dashboard"]),
    ("test.sh", [], {}, ["dev"]),
    ("lint_sql.sh", [], {}, ["lint"]),
    ("check_project_rules.sh", ["--manifest-only"], {}, ["lint"]),
    ("oltp.sh", ["create"], {}, ["pipeline"]),
    ("extract_load.sh", ["--target", "duckdb"], {}, ["pipeline"]),
    ("extract_load.sh", ["--target", "spark"], {}, ["pipeline", "spark"]),
    ("load_raw.sh", ["--target=spark", "--from", "x"], {}, ["pipeline", "spark"]),
    ("export_open_data.sh", [], {"DBT_TARGET": "spark"}, ["pipeline", "spark"]),
    ("benchmark.sh", ["--engines", "duckdb", "spark"], {}, ["pipeline", "spark"]),
])
def test_each_script_installs_the_layers_it_needs(project, script, arguments, env, layers):
    """The scripts fail past the install (the stand-in virtualenv has no real dbt or python):
    what counts is which requirement files they had installed."""
    project.run(["bash", f"scripts/{script}", *arguments], **env)
    installs = project.installs()
    assert installs[:1] == ["requirements.txt"], installs
    assert sorted(installs[1:]) == sorted(f"requirements-{layer}.txt" for layer in layers), installs


def test_a_failing_install_names_the_requirement_file_and_is_tried_again(project):
    assert project.source_env().returncode == 0
    project.installs()
    result = project.source_env("pipeline", FAKE_PIP_STATUS="1")
    assert result.returncode != 0
    assert "Could not install requirements-pipeline.txt into" in result.stdout, result.stdout
    assert not project.marker("requirements-pipeline.txt").exists()
    assert project.installs() == ["requirements-pipeline.txt"]
    assert project.source_env("pipeline").returncode == 0
    assert project.installs() == ["requirements-pipeline.txt"]


# ---------------------------------------------------------------- the core alone, for real

def test_the_core_alone_builds_on_duckdb(tmp_path):
    """A virtualenv with only requirements.txt, installed by _env.sh as on a fresh clone,
    holds exactly the core's pins and builds a slice of the warehouse (seeds, snapshots,
    staging with the pseudonymization plugin, fct_sales, their tests) on DuckDB."""
    venv = tmp_path / "venv"
    env = dict(os.environ, SALES_INSIGHTS_VENV=str(venv), DBT_PROFILES_DIR=str(PROFILES_DIR),
               DBT_DUCKDB_PATH=str(tmp_path / "warehouse.duckdb"), PYTHON=sys.executable)
    env.pop("DBT_TARGET", None)
    installed = run(["bash", "-c", "source scripts/_env.sh"], cwd=PROJECT_ROOT, env=env, timeout=900)
    assert installed.returncode == 0, installed.stdout[-3000:]
    frozen = run([str(venv / "bin" / "python"), "-m", "pip", "freeze"], cwd=tmp_path, env=env)
    pins, _ = read_layer(CORE)
    assert {canonical(line.split("==")[0]): line.split("==")[1] for line in frozen.stdout.split()} == pins

    built = run(["bash", str(PROJECT_ROOT / "scripts" / "build.sh"), "--select", "+fct_sales",
                 "--indirect-selection", "cautious",
                 "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
                cwd=tmp_path, env=env)
    assert built.returncode == 0, built.stdout[-5000:]
    summary = re.findall(r"Done\. PASS=(\d+) WARN=\d+ ERROR=(\d+) SKIP=\d+", built.stdout)
    assert summary and int(summary[-1][0]) > 100 and summary[-1][1] == "0", built.stdout[-3000:]
