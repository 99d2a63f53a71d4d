"""scripts/extract_load.sh [--target duckdb|postgres|mysql|spark]

One incremental extract-load run from the OLTP database (SALES_INSIGHTS_OLTP_*) into
the raw schema of a warehouse target (the DBT_* settings of profiles.yml.example):

1. files a failed earlier run extracted but did not land are landed first;
2. dlt reads each export view of the OLTP database from its cursor on and writes the
   new rows as contract-shaped CSV files (landing directory under the state directory);
3. each file is appended to its raw table by raw_loader (whose ledger skips a file
   already appended), then removed; deleted order lines are removed from the raw table;
   everything a run lands or removes is one landing batch (one batch id, docs/landing.md);
4. the run is recorded per table in `<raw schema>._extract_load_runs` and printed.

Exit status 0 on success, 1 with an `error:` line on failure. A re-run after a failure
lands nothing twice.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from datagen.oltp.connection import OltpSettings
from raw_loader.contract import PROJECT_ROOT, raw_tables
from raw_loader.engines import connect, sha256_of
from raw_loader.files import LandingError, inspect

from . import source
from .warehouse import RUN_LOG, Warehouse

TARGETS = ("duckdb", "postgres", "mysql", "spark")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class TableRun:
    rows_read: int = 0
    rows_landed: int = 0
    rows_deleted: int = 0
    cursor: str | None = None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/extract_load.sh", description=__doc__.split("\n\n")[0])
    default_target = os.environ.get("DBT_TARGET") or "duckdb"
    parser.add_argument("--target", choices=TARGETS, default=default_target if default_target in TARGETS else None,
                        help="the warehouse target (default: $DBT_TARGET or duckdb)")
    parser.add_argument("--schema", default="raw", help="the raw schema (dbt var raw_schema; default raw)")
    parser.add_argument("--state-dir", type=Path,
                        default=Path(os.environ.get("SALES_INSIGHTS_EXTRACT_STATE_DIR", PROJECT_ROOT / ".extract_load")),
                        help="dlt's pipelines and the landing files (default .extract_load in the project, "
                             "or SALES_INSIGHTS_EXTRACT_STATE_DIR)")
    args = parser.parse_args(argv)
    if args.target is None:
        parser.error(f"DBT_TARGET={default_target} is not a target of the extract-load ({', '.join(TARGETS)})")
    return args


def _rows_in(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


def _landed_files(landing: Path, names: list[str]) -> list[tuple[str, Path]]:
    """(table, file) of every file waiting in the landing directory, oldest load first."""
    files = []
    for name in names:
        directory = landing / name
        if directory.is_dir():
            files.extend((name, path) for path in directory.glob("*.csv"))
    return sorted(files, key=lambda item: (item[1].name, item[0]))


def land(warehouse: Warehouse, contract: dict, files: list[tuple[str, Path]], runs: dict[str, TableRun]) -> None:
    """Append each file to its raw table (skipped when the ledger has it), then apply
    the deletions; each file is removed once it is in the warehouse."""
    engine = warehouse.engine
    for table, path in files:
        if table == source.DELETIONS:
            continue
        # the loader reads <table>.csv from a directory: a hard link, beside the file
        with tempfile.TemporaryDirectory(prefix="loading_", dir=path.parent.parent) as tmp:
            link = Path(tmp) / f"{table}.csv"
            os.link(path, link)
            landed = inspect(Path(tmp), contract[table], "csv")
            file_sha256 = sha256_of(link)
            if engine.already_loaded(table, file_sha256):
                say(f"{table}: {path.name} is already in the warehouse: skipped")
            else:
                rows = engine.load(landed, "append")
                engine.record(landed, "append", file_sha256, rows)
                runs[table].rows_landed += rows
        path.unlink()
    for table, path in files:
        if table != source.DELETIONS:
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            deletions = [(row["order_id"], row["order_line_number"], row["deleted_at"])
                         for row in csv.DictReader(handle)]
        runs[table].rows_landed += len(deletions)
        runs["sales_order_lines"].rows_deleted += warehouse.delete_order_lines(deletions, path.name)
        path.unlink()


def print_summary(run_id: str, target: str, runs: dict[str, TableRun]) -> None:
    width = max(len(name) for name in runs)
    print(f"extract-load run {run_id} into {target}:")
    print(f"  {'table':<{width}}  {'rows read':>10}  {'rows landed':>11}  {'rows deleted':>12}  cursor")
    for name, run in runs.items():
        print(f"  {name:<{width}}  {run.rows_read:>10,}  {run.rows_landed:>11,}  {run.rows_deleted:>12,}  "
              f"{run.cursor or '-'}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    oltp = OltpSettings.from_env()
    contract = raw_tables()
    names = list(source.EXPORTS) + [source.DELETIONS]
    runs = {name: TableRun() for name in names}
    run_id = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    started_at, started = now(), time.perf_counter()

    try:
        engine = connect(args.target, args.schema)
    except Exception as error:  # every driver has its own exception types
        say(f"error: the {args.target} warehouse is unreachable: {str(error).strip().splitlines()[0]}")
        return 1
    warehouse = Warehouse(engine)
    status, message = "succeeded", None
    try:
        warehouse.ensure_run_log()
        engine.begin_batch()
        name = source.pipeline_name(args.target, warehouse.identity(), oltp)
        landing = source.landing_dir(args.state_dir, name)
        pending = _landed_files(landing, names)
        if pending:
            say(f"landing {len(pending)} file(s) a previous run extracted but did not land")
            land(warehouse, contract, pending, runs)
        say(f"extracting from {oltp.describe()} (dlt pipeline {name})")
        pipeline = source.make_pipeline(name, args.state_dir)
        pipeline.run(source.resources(oltp, contract), loader_file_format="csv")
        extracted = _landed_files(landing, names)
        for table, path in extracted:
            runs[table].rows_read += _rows_in(path)
        land(warehouse, contract, extracted, runs)
        for table, cursor in source.cursors(pipeline, names).items():
            runs[table].cursor = cursor
    except Exception as error:  # dlt, the drivers and the loader raise many types
        status = "failed"
        message = f"{type(error).__name__}: {str(error).strip()}"
        if isinstance(error, LandingError):
            message = str(error)
    finished_at = now()
    rows = [{"run_id": run_id, "table_name": table, "started_at": started_at, "finished_at": finished_at,
             "status": status, "rows_read": run.rows_read, "rows_landed": run.rows_landed,
             "rows_deleted": run.rows_deleted, "cursor_value": run.cursor, "message": message}
            for table, run in runs.items()]
    try:
        warehouse.record_run(rows)
    except Exception as error:
        say(f"warning: could not record the run in {args.schema}.{RUN_LOG}: {str(error).strip().splitlines()[0]}")
    finally:
        engine.close()
    print_summary(run_id, args.target, runs)
    if status == "failed":
        say(f"error: extract-load run {run_id} failed after {time.perf_counter() - started:.1f} s: "
            f"{message.splitlines()[0]}")
        say("files already extracted stay in the landing directory and are landed by the next run")
        return 1
    say(f"extract-load run {run_id} succeeded in {time.perf_counter() - started:.1f} s")
    return 0
