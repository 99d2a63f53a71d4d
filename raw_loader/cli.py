"""python -m raw_loader --target duckdb|postgres|mysql|spark --from DIR [--mode replace|append]
python -m raw_loader --check --from DIR

Checks every landed file against the source contract first, every record of it, and
reports every problem of every file at once (file, line, column, problem; never a
value); nothing is loaded if one file is wrong. Then loads each file through the
engine's bulk path, with a progress line per step, all tables as one landing: a load
that fails changes no raw table (docs/landing.md). Exit status 2 for a landing that
breaks the contract. --check only checks (the seeds, before dbt reads them).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .contract import raw_tables
from .engines import connect, sha256_of
from .files import LandingError, inspect_landing
from .progress import human_bytes, say


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/load_raw.sh",
        description="Bulk-load landed raw files (CSV or Parquet, one per raw table) into the "
                    "raw source tables of a dbt target, through the engine's native bulk path.")
    parser.add_argument("--target", choices=("duckdb", "postgres", "mysql", "spark"), default="duckdb")
    parser.add_argument("--from", dest="directory", type=Path, required=True,
                        help="directory with <table>.csv or <table>.parquet per raw table")
    parser.add_argument("--format", choices=("auto", "csv", "parquet"), default="auto",
                        help="which file to read when both exist (auto: Parquet)")
    parser.add_argument("--mode", choices=("replace", "append"), default="replace",
                        help="replace: each table becomes exactly the file (default); append: the "
                             "file's rows are added, once: a file already appended is skipped")
    parser.add_argument("--tables", nargs="+", metavar="TABLE",
                        help="load only these raw tables (default: every table of the contract)")
    parser.add_argument("--schema", default="raw", help="the raw schema (dbt var raw_schema; default raw)")
    parser.add_argument("--timings", type=Path, help="write per-table seconds and rows as JSON here")
    parser.add_argument("--check", action="store_true",
                        help="only check the files against the contract; load nothing, connect to nothing")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    contract = raw_tables()
    names = args.tables or list(contract)
    unknown = [name for name in names if name not in contract]
    if unknown:
        say(f"error: not a raw table of the contract: {', '.join(unknown)} "
            f"(tables: {', '.join(contract)})")
        return 2
    if not args.directory.is_dir():
        say(f"error: {args.directory} is not a directory")
        return 2

    # every file is checked, every record of it, before anything is loaded
    try:
        landed = inspect_landing(args.directory, [contract[name] for name in names], args.format)
    except LandingError as error:
        for problem in error.problems:
            say(f"error: {problem}")
        files = len({str(problem.path) for problem in error.problems})
        say(f"error: the landing breaks the contract ({len(error.problems)} problem(s) in {files} "
            f"file(s)); {'nothing was loaded' if not args.check else 'dbt would not read it'}")
        return 2
    total = sum(item.size_bytes for item in landed)
    if args.check:
        say(f"{len(landed)} files ({human_bytes(total)}) in {args.directory} match the contract")
        return 0
    say(f"{len(landed)} files ({human_bytes(total)}) match the contract; loading into "
        f"{args.target} schema {args.schema} ({args.mode}), as one landing")

    timings: dict[str, dict] = {}
    started = time.perf_counter()
    engine = connect(args.target, args.schema)
    engine.begin_landing()
    try:
        for item in landed:
            file_sha256 = sha256_of(item.path)
            if args.mode == "append" and engine.already_loaded(item.table.name, file_sha256):
                say(f"{item.table.name}: {item.path.name} is already in the table (same SHA-256): skipped")
                timings[item.table.name] = {"seconds": 0.0, "rows": 0, "skipped": True}
                continue
            say(f"{item.table.name}: loading {item.path.name} ({human_bytes(item.size_bytes)})")
            table_started = time.perf_counter()
            rows = engine.load(item, args.mode)
            engine.record(item, args.mode, file_sha256, rows)
            seconds = time.perf_counter() - table_started
            say(f"{item.table.name}: {rows:,} rows in {seconds:.1f} s "
                f"({rows / max(seconds, 1e-9):,.0f} rows/s)")
            timings[item.table.name] = {"seconds": round(seconds, 3), "rows": rows,
                                        "bytes": item.size_bytes, "format": item.format}
        engine.commit_landing()
    except BaseException as error:
        try:
            engine.rollback_landing()
        finally:
            engine.close()
        if not isinstance(error, LandingError):
            raise
        say(f"error: {error}")
        say("error: the landing was rolled back; no raw table was changed")
        return 2
    engine.close()
    elapsed = time.perf_counter() - started
    say(f"loaded {sum(t['rows'] for t in timings.values()):,} rows in {elapsed:.1f} s")
    if args.timings:
        args.timings.write_text(json.dumps({"target": args.target, "mode": args.mode,
                                            "seconds": round(elapsed, 3), "tables": timings},
                                           indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
