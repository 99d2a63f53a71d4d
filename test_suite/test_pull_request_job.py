"""The pull-request job (scripts/ci_pull_request.sh) on DuckDB, in a git repository of
its own: the base commit is built once and kept; a one-model change builds and tests
only that model and what depends on it, against a copy of the base warehouse; a change
that breaks a test fails the job, and the kept base is reused."""
from __future__ import annotations

import os
import re
import subprocess

from conftest import PROJECT_ROOT, VENV_BIN, copy_project, run

CHANGED_MODEL = "models/marts/sales/sales_top_products.sql"


def _git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)


def test_the_pull_request_job_builds_only_what_a_change_touches(tmp_path):
    repo = copy_project(tmp_path / "repo")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=ci", "-c", "user.email=ci@example.invalid", "add", "-A")
    _git(repo, "-c", "user.name=ci", "-c", "user.email=ci@example.invalid", "commit", "-qm", "base")
    _git(repo, "checkout", "-q", "-b", "change")
    env = dict(os.environ, SALES_INSIGHTS_VENV=str(VENV_BIN.parent),
               SALES_INSIGHTS_CI_ARTIFACTS=str(tmp_path / "artifacts"), DBT_TARGET="duckdb")
    env.pop("DBT_DUCKDB_PATH", None)

    model = repo / CHANGED_MODEL
    model.write_text(model.read_text().replace(
        "count(distinct order_id) as orders,", "count(distinct order_id) as orders,  -- an order has many lines", 1))
    _git(repo, "-c", "user.name=ci", "-c", "user.email=ci@example.invalid", "commit", "-qam", "one model")
    first = run(["bash", "scripts/ci_pull_request.sh", "--base", "main"], cwd=repo, env=env)
    assert first.returncode == 0, first.stdout[-5000:]
    assert "building them once" in first.stdout
    built = re.findall(r"OK created sql \w+ model (\S+)", first.stdout.split("== what changed")[1])
    assert built == ["sales.sales_top_products"], built
    done = re.findall(r"Done\. PASS=(\d+) WARN=0 ERROR=0 SKIP=0", first.stdout)
    assert len(done) == 2 and int(done[-1]) < 60, done  # the base build, then the change's

    # a change that breaks the model's ranks: the job fails, on the kept base
    model.write_text(model.read_text().replace(") as revenue_rank,", ") * 0 + 1 as revenue_rank,", 1))
    _git(repo, "-c", "user.name=ci", "-c", "user.email=ci@example.invalid", "commit", "-qam", "break the key")
    second = run(["bash", "scripts/ci_pull_request.sh", "--base", "main"], cwd=repo, env=env)
    assert second.returncode != 0, second.stdout[-5000:]
    assert "base artifacts for" in second.stdout and "found in" in second.stdout, second.stdout[-3000:]
    # the model's unit test catches it first, and the model is not built
    assert re.search(r"(FAIL|ERROR) .*sales_top_products__ranking_and_tie_break", second.stdout), second.stdout[-5000:]
    assert "ERROR=0" not in second.stdout.splitlines()[-1], second.stdout[-2000:]
