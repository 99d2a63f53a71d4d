"""Landed files: find one per raw table and check it against the contract before loading.

Only what is cheap to check without reading the whole file is checked here (the header
or the Parquet schema, and that there is at least one data row); a malformed row deep in
a file is reported by the engine's own reader, which the loader re-raises with the file
name (see engines.py).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .contract import RawTable

CSV_SUFFIX, PARQUET_SUFFIX = ".csv", ".parquet"
UTF8_BOM = b"\xef\xbb\xbf"


class LandingError(Exception):
    """A landed file that breaks the source contract; the message names file, column, problem."""

    def __init__(self, path: Path, problem: str, column: str | None = None):
        self.path, self.column, self.problem = path, column, problem
        where = f"{path}" + (f": column {column}" if column else "")
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class LandedFile:
    table: RawTable
    path: Path
    format: str  # csv | parquet
    header: tuple[str, ...]  # the file's column names, lower case, in file order
    original_header: tuple[str, ...]  # the same names as the file spells them
    line_terminator: str = "\n"  # CSV only
    has_bom: bool = False  # CSV only

    def original_name(self, column: str) -> str:
        return self.original_header[self.header.index(column)]

    @property
    def extra_columns(self) -> tuple[str, ...]:
        return tuple(name for name in self.header if name not in self.table.columns)

    @property
    def size_bytes(self) -> int:
        return self.path.stat().st_size


def find_file(directory: Path, table: RawTable, preferred: str) -> Path:
    """The file that lands `table`: <table>.parquet or <table>.csv (`preferred`: auto
    takes Parquet when both exist, the columnar file being the faster one to read)."""
    candidates = {fmt: directory / f"{table.name}{suffix}"
                  for fmt, suffix in (("parquet", PARQUET_SUFFIX), ("csv", CSV_SUFFIX))}
    order = ["parquet", "csv"] if preferred == "auto" else [preferred]
    for fmt in order:
        if candidates[fmt].is_file():
            return candidates[fmt]
    wanted = " or ".join(candidates[fmt].name for fmt in order)
    raise LandingError(directory, f"no landed file for raw table {table.name} (expected {wanted})")


def _check_header(path: Path, table: RawTable, names: list[str]) -> tuple[str, ...]:
    header = tuple(name.strip().lower() for name in names)
    if not header or all(name == "" for name in header):
        raise LandingError(path, "the header row is empty")
    for position, name in enumerate(header, start=1):
        if name == "":
            raise LandingError(path, f"header field {position} has no column name")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise LandingError(path, "appears twice in the header", column=name)
        seen.add(name)
    missing = [column for column in table.columns if column not in seen]
    if missing:
        raise LandingError(
            path,
            f"missing from the header; the contract of {table.source}.{table.name} requires "
            f"{', '.join(table.columns)} (in any order) and the file has {', '.join(header)}",
            column=", ".join(missing))
    return header


def inspect_csv(path: Path, table: RawTable) -> LandedFile:
    with path.open("rb") as raw:
        start = raw.read(64 * 1024)
    has_bom = start.startswith(UTF8_BOM)
    try:
        text = start.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # the chunk may end inside a multi-byte character: only the complete part counts
        if error.start < len(start) - 4:
            raise LandingError(path, f"is not UTF-8 (byte {error.start}: {error.reason})") from None
        text = start[:error.start].decode("utf-8-sig")
    if not text.strip():
        raise LandingError(path, "is empty: no header row (an empty export is a failed landing)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=",", quotechar='"', doublequote=True)
    try:
        header_fields = next(reader)
        first_row = next(reader, None)
    except csv.Error as error:
        raise LandingError(path, f"the header row is not valid CSV: {error}") from None
    header = _check_header(path, table, header_fields)
    if first_row is None and len(start) < 64 * 1024:
        raise LandingError(path, "has a header but no data rows (an empty export is a failed landing)")
    if first_row is not None and len(first_row) != len(header) and len(start) < 64 * 1024:
        raise LandingError(path, f"data row 1 has {len(first_row)} fields, the header {len(header)}")
    first_line_end = text.find("\n")
    terminator = "\r\n" if first_line_end > 0 and text[first_line_end - 1] == "\r" else "\n"
    return LandedFile(table, path, "csv", header, tuple(header_fields), terminator, has_bom)


def inspect_parquet(path: Path, table: RawTable) -> LandedFile:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises several types for a broken file
        raise LandingError(path, f"is not a readable Parquet file ({error})") from None
    schema = parquet.schema_arrow
    header = _check_header(path, table, list(schema.names))
    for field in schema:
        name = field.name.strip().lower()
        if name in table.columns and not (pa.types.is_string(field.type)
                                          or pa.types.is_large_string(field.type)
                                          or pa.types.is_null(field.type)):
            raise LandingError(
                path, f"has type {field.type}; the contract lands every column as text "
                      "(write it as a string column so that nothing is reformatted)", column=name)
    if parquet.metadata.num_rows == 0:
        raise LandingError(path, "has no rows (an empty export is a failed landing)")
    return LandedFile(table, path, "parquet", header, tuple(schema.names))


def inspect(directory: Path, table: RawTable, preferred: str = "auto") -> LandedFile:
    path = find_file(directory, table, preferred)
    return inspect_parquet(path, table) if path.suffix == PARQUET_SUFFIX else inspect_csv(path, table)
