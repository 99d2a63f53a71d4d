"""Landing files: streamed CSV, and Parquet converted from it with DuckDB."""

import csv
import sys
from collections.abc import Iterable
from pathlib import Path

import duckdb

from .schema import TABLES

PROGRESS_EVERY = 1_000_000


def write_csv(path: Path, table: str, rows: Iterable[list[str]]) -> int:
    """Write the header and `rows` (UTF-8 without BOM, RFC 4180 quoting where needed);
    returns the number of data rows. Reports progress on stderr every million rows."""
    width = len(TABLES[table])
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TABLES[table])
        for row in rows:
            if len(row) != width:
                raise ValueError(f"{table}: row of {len(row)} fields, expected {width}: {row}")
            writer.writerow(row)
            count += 1
            if count % PROGRESS_EVERY == 0:
                print(f"{table}: {count:,} rows", file=sys.stderr, flush=True)
    return count


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def csv_to_parquet(csv_path: Path, parquet_path: Path) -> None:
    """Convert a landed CSV to Parquet with every column as text (VARCHAR), same names.

    One thread keeps the row groups, and so the file, identical from run to run."""
    with duckdb.connect(config={"threads": 1}) as connection:
        connection.execute(
            f"COPY (SELECT * FROM read_csv({_sql_string(str(csv_path))}, all_varchar = true, "
            f"header = true, delim = ',', quote = '\"', escape = '\"')) "
            f"TO {_sql_string(str(parquet_path))} (FORMAT parquet)")
