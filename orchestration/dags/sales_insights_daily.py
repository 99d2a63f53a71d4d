"""The daily pipeline of the Sales Insights warehouse, as an Airflow DAG.

    extract_load -> source_freshness -> dbt_build -> erasure_purge -> export_open_data

One task per pipeline step, each a project script run in its own process: dbt runs from
the project's dbt virtualenv (`.venv`, or `.venv-mysql` for the MySQL target), never
inside Airflow's (docs/decisions.md D70). Every task is safe to re-run (D71). A failed
task writes an alert record and, when configured, posts to a chat webhook (D73); a
failed build (a failing dbt test) leaves the erasure purge and the export unrun.

Settings, all from the environment of the Airflow processes:
    DBT_TARGET                      duckdb (default), postgres, mysql or spark, with the
                                    target's own variables (docs/targets.md)
    SALES_INSIGHTS_PROJECT_DIR      the dbt project (default: this file's project)
    SALES_INSIGHTS_OPEN_DATA_DIR    where each day's export goes (default build/open_data),
                                    one folder per logical date
    SALES_INSIGHTS_ALERT_DIR        where alert records go (default build/alerts)
    SALES_INSIGHTS_ALERT_WEBHOOK_URL  optional chat webhook (Slack, Mattermost, Teams, ...)
    SALES_INSIGHTS_FULL_TESTS_WEEKDAY the ISO weekday (1 Monday .. 7 Sunday, the default) of
                                    the runs whose build tests every row (below)

The day's build tests the rows it rebuilt: the data tests of the incremental models run
with data_tests_scope 'changed' and check only the rows the build rebuilt (D137). Once a
week, on the run whose logical date falls on SALES_INSIGHTS_FULL_TESTS_WEEKDAY, the build
runs them on every row: the scheduled full check.
"""
from __future__ import annotations

import json
import logging
import os
import shlex
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, chain

PROJECT_DIR = Path(os.environ.get("SALES_INSIGHTS_PROJECT_DIR", Path(__file__).resolve().parents[2]))
ALERT_DIR = Path(os.environ.get("SALES_INSIGHTS_ALERT_DIR", PROJECT_DIR / "build" / "alerts"))
OPEN_DATA_DIR = Path(os.environ.get("SALES_INSIGHTS_OPEN_DATA_DIR", PROJECT_DIR / "build" / "open_data"))
DBT_TARGET = os.environ.get("DBT_TARGET", "duckdb")
# The build reads the bulk-loaded raw tables, not the committed seeds (docs/scale.md).
LOADED_DATA_VARS = "'{raw_data_from_seeds: false}'"
# The scheduled full check: the weekday whose run tests every row (D137).
FULL_TESTS_WEEKDAY = int(os.environ.get("SALES_INSIGHTS_FULL_TESTS_WEEKDAY", "7"))
if not 1 <= FULL_TESTS_WEEKDAY <= 7:
    raise ValueError(f"SALES_INSIGHTS_FULL_TESTS_WEEKDAY must be 1 (Monday) to 7 (Sunday), not {FULL_TESTS_WEEKDAY}")
# Rendered by Airflow for each run, from its logical date (a run triggered without one: the
# time it was due), so a re-run of a day tests what that day tested.
DATA_TESTS_SCOPE = (
    "{{ 'all' if (logical_date or dag_run.run_after).isoweekday() == %d else 'changed' }}" % FULL_TESTS_WEEKDAY
)
BUILD_VARS = "'{raw_data_from_seeds: false, data_tests_scope: " + DATA_TESTS_SCOPE + " }'"

log = logging.getLogger("sales_insights.pipeline")


def _failed_dbt_nodes(task_id: str) -> list[dict[str, str]]:
    """What dbt reported as failed in the task's last command: the tests and models of
    run_results.json (dbt build), the stale sources of sources.json (dbt source freshness)."""
    artifact = "sources.json" if task_id == "source_freshness" else "run_results.json"
    target_path = Path(os.environ.get("DBT_TARGET_PATH", "target"))
    if not target_path.is_absolute():
        target_path = PROJECT_DIR / target_path
    try:
        results = json.loads((target_path / artifact).read_text())["results"]
    except (OSError, ValueError, KeyError):
        return []
    failed = []
    for result in results:
        if result.get("status") not in ("fail", "error", "runtime error"):
            continue
        if artifact == "sources.json":
            message = result.get("error") or f"latest change {result.get('max_loaded_at')}"
        else:
            message = result.get("message") or ""
        failed.append({"unique_id": result["unique_id"], "status": result["status"], "message": str(message)[:500]})
    return failed


def alert_on_failure(context: dict[str, Any]) -> None:
    """Failure callback: log the failure clearly, append one JSON alert record, and post it
    to the chat webhook when one is configured. It never raises: an alert that cannot be
    delivered must not hide the failure it reports."""
    task_instance = context["task_instance"]
    record = {
        "alerted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "dag_id": task_instance.dag_id,
        "run_id": task_instance.run_id,
        "logical_date": str(context.get("logical_date")),
        "task_id": task_instance.task_id,
        "try_number": task_instance.try_number,
        "target": DBT_TARGET,
        "exception": str(context.get("exception") or "")[:2000],
        "failed_dbt_nodes": (
            _failed_dbt_nodes(task_instance.task_id)
            if task_instance.task_id in ("source_freshness", "dbt_build") else []
        ),
    }
    summary = (
        f"Sales Insights daily pipeline FAILED: task {record['task_id']} of run {record['run_id']} "
        f"(target {DBT_TARGET}): {record['exception'] or 'see the task log'}"
    )
    if record["failed_dbt_nodes"]:
        summary += "; failed: " + ", ".join(node["unique_id"] for node in record["failed_dbt_nodes"])
    log.error("ALERT %s", summary)
    try:
        ALERT_DIR.mkdir(parents=True, exist_ok=True)
        with open(ALERT_DIR / "alerts.jsonl", "a", encoding="utf-8") as alerts:
            alerts.write(json.dumps(record, sort_keys=True) + "\n")
    except OSError:
        log.exception("could not write the alert record to %s", ALERT_DIR)
    webhook = os.environ.get("SALES_INSIGHTS_ALERT_WEBHOOK_URL")
    if webhook:
        request = urllib.request.Request(
            webhook,
            data=json.dumps({"text": summary}).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except OSError:
            log.exception("could not post the alert to the chat webhook")


def _project_command(command: str) -> str:
    """A project script run from the project directory (so that dbt finds its profile)."""
    return f"cd {shlex.quote(str(PROJECT_DIR))} && {command}"


with DAG(
    dag_id="sales_insights_daily",
    description="Extract-load, freshness, dbt build, erasure purge, open-data export",
    schedule="@daily",
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    # one run at a time: DuckDB has one writer, and two builds must not interleave
    max_active_runs=1,
    max_active_tasks=1,
    dagrun_timeout=timedelta(hours=6),
    default_args={
        "owner": "sales-insights",
        "retries": 0,
        "on_failure_callback": alert_on_failure,
        "execution_timeout": timedelta(hours=3),
    },
    doc_md=__doc__,
    tags=["sales_insights", "dbt"],
) as dag:
    extract_load = BashOperator(
        task_id="extract_load",
        bash_command=_project_command(f"./scripts/extract_load.sh --target {DBT_TARGET}"),
        # the OLTP server or the network may be away for a while: back off and try again
        retries=4,
        retry_delay=timedelta(minutes=1),
        retry_exponential_backoff=True,
        max_retry_delay=timedelta(minutes=30),
        doc_md="One incremental extract-load run from the OLTP database into the raw tables; safe to re-run.",
    )
    source_freshness = BashOperator(
        task_id="source_freshness",
        bash_command=_project_command(f"./scripts/dbt.sh source freshness --vars {LOADED_DATA_VARS}"),
        doc_md="`dbt source freshness`: fails (and stops the day) when a source is past its error_after (D74).",
    )
    dbt_build = BashOperator(
        task_id="dbt_build",
        bash_command=_project_command(
            f"./scripts/build.sh --vars {BUILD_VARS} --exclude resource_type:unit_test"
        ),
        # a failing test fails again on the same data: no retry, an alert
        doc_md=(
            "`dbt build`: models, snapshots and every data test; a failing test stops the day here. "
            "The incremental models' data tests check the rows the build rebuilt, every row once a week (D137)."
        ),
    )
    erasure_purge = BashOperator(
        task_id="erasure_purge",
        bash_command=_project_command(
            f"./scripts/erase.sh --vars {LOADED_DATA_VARS}"
        ),
        retries=2,
        retry_delay=timedelta(minutes=1),
        retry_exponential_backoff=True,
        doc_md="`./scripts/erase.sh`: redacts erased customers' personal data in the landed raw rows (D72, D102); idempotent.",
    )
    export_open_data = BashOperator(
        task_id="export_open_data",
        # one folder per logical date: a re-run rewrites that day's folder
        bash_command=_project_command(
            "./scripts/export_open_data.sh --out " + shlex.quote(str(OPEN_DATA_DIR / "{{ ds }}"))
        ),
        retries=1,
        retry_delay=timedelta(minutes=1),
        doc_md="Exports the open-data tables of the tested warehouse and validates the package (frictionless).",
    )

    chain(extract_load, source_freshness, dbt_build, erasure_purge, export_open_data)
