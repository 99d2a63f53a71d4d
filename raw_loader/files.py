"""Landed files: find one per raw table and check it against the contract before loading.

The landing rules are defined here once (docs/landing.md); `python -m raw_loader` applies
them to a bulk landing and `python -m raw_loader --check` to the committed seeds before
dbt reads them (scripts/build.sh, scripts/dbt.sh; the seed materialization applies the
header rule again inside dbt, macros/landing/raw_seeds.sql):

- the header is matched by name: any order, extra columns ignored, missing or repeated
  columns named, all at once;
- a header-only file is a valid landing (the table is empty); a zero-byte file is not;
- every CSV record is read through once before anything is loaded: a byte that is not
  UTF-8, a record that is not valid CSV or has the wrong number of fields is reported
  with its line number and column, every problem of every file at once;
- no message ever carries a landed value (the order lines hold personal data): only the
  file, line, column and problem.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .contract import RawTable

CSV_SUFFIX, PARQUET_SUFFIX = ".csv", ".parquet"
UTF8_BOM = b"\xef\xbb\xbf"


# problems listed per file before the rest of that file is skipped
MAX_PROBLEMS_PER_FILE = 20
# a byte that is not UTF-8, as Python's surrogateescape error handler decodes it
_UNDECODABLE = re.compile("[\udc80-\udcff]")


class LandingError(Exception):
    """A landed file that breaks the source contract; the message names file, line,
    column and problem, never a value. `problems` holds every problem when one error
    stands for several (a whole landing)."""

    def __init__(self, path: Path, problem: str, column: str | None = None, line: int | None = None,
                 problems: list[LandingError] | None = None):
        self.path, self.column, self.problem, self.line = path, column, problem, line
        self.problems = problems or [self]
        where = f"{path}" + (f": line {line}" if line else "") + (f": column {column}" if column else "")
        super().__init__("; ".join(map(str, self.problems)) if len(self.problems) > 1 else f"{where}: {problem}")


# An engine's error may quote the record it could not read ("Original Line: ..." in
# DuckDB, the value in PostgreSQL's CONTEXT, the record in Spark's malformed-record
# message), and a record may span lines. Only the first line of the message (the
# engine's own words: DuckDB's "CSV Error on Line: <n>") and PostgreSQL's CONTEXT line
# (table, line, column) are kept, with every quoted or bracketed text cut out.
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\[[^\]]*\]|`[^`]*`")


def without_values(message: str) -> str:
    """An engine's error message with nothing of the landed data in it."""
    lines = [line.strip() for line in str(message).strip().splitlines() if line.strip()]
    kept = [line for number, line in enumerate(lines) if number == 0 or line.lower().startswith("context:")]
    # a quote left open by the cut would still let the rest of the record through
    kept = [re.split(r"['\"`\[]", _QUOTED.sub("<value>", line))[0].strip(" :,") for line in kept]
    return " ".join(line for line in kept if line) or "(the engine gave no message)"


def _fail_if_any(problems: list[LandingError]) -> None:
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise LandingError(problems[0].path, f"{len(problems)} problems", problems=problems)


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


def header_problems(path: Path, table: RawTable, names: list[str]) -> tuple[tuple[str, ...], list[LandingError]]:
    """The header rule: the file's column names (trimmed, lower case) must include every
    column of the contract, each once, in any order; extra columns are ignored."""
    header = tuple(name.strip().lower() for name in names)
    if not header or all(name == "" for name in header):
        return header, [LandingError(path, "the header row is empty")]
    problems = [LandingError(path, f"header field {position} has no column name")
                for position, name in enumerate(header, start=1) if name == ""]
    seen: set[str] = set()
    for name in header:
        if name in seen and name:
            problems.append(LandingError(path, "appears twice in the header", column=name))
        seen.add(name)
    missing = [column for column in table.columns if column not in seen]
    if missing:
        problems.append(LandingError(
            path,
            f"missing from the header; the contract of {table.source}.{table.name} requires "
            f"{', '.join(table.columns)} (in any order) and the file has {', '.join(header)}",
            column=", ".join(missing)))
    return header, problems


def scan_csv(path: Path, header: tuple[str, ...]) -> tuple[int, list[LandingError]]:
    """Read every record once: (data rows, problems). A problem names the record's
    first line and, for a byte that is not UTF-8, its column; never a value."""
    problems: list[LandingError] = []
    rows = 0
    width = len(header)
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle, delimiter=",", quotechar='"', doublequote=True, strict=True)
        try:
            next(reader, None)
        except csv.Error:
            return 0, problems  # the header's own problem is reported by inspect_csv
        while len(problems) < MAX_PROBLEMS_PER_FILE:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                # the reader cannot tell where the next record starts: the rest is not read
                problems.append(LandingError(path, f"is not valid CSV from here on ({error}); "
                                                   "the rest of the file was not read", line=line))
                break
            rows += 1
            if len(row) != width:
                problems.append(LandingError(path, f"data row {rows} has {len(row)} fields, the header {width} "
                                                   f"(line {line})"))
            if not all(map(str.isascii, row)):
                for position, value in enumerate(row):
                    if _UNDECODABLE.search(value):
                        column = header[position] if position < width else f"field {position + 1}"
                        problems.append(LandingError(path, "is not UTF-8 (a byte that is not UTF-8 text)",
                                                     column=column, line=line))
        else:
            problems.append(LandingError(path, f"more than {MAX_PROBLEMS_PER_FILE} problems: the rest of the "
                                               "file was not checked"))
    return rows, problems


def inspect_csv(path: Path, table: RawTable) -> LandedFile:
    with path.open("rb") as raw:
        start = raw.read(64 * 1024)
    has_bom = start.startswith(UTF8_BOM)
    text = start.decode("utf-8-sig", errors="surrogateescape")
    if not text.strip():
        raise LandingError(path, "is empty: no header row (a table with no rows lands as a "
                                 "header-only file, which is valid)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=",", quotechar='"', doublequote=True)
    try:
        header_fields = next(reader)
    except csv.Error as error:
        raise LandingError(path, f"the header row is not valid CSV ({error})", line=1) from None
    if any(_UNDECODABLE.search(name) for name in header_fields):
        raise LandingError(path, "is not UTF-8 (a byte that is not UTF-8 text)", line=1)
    header, problems = header_problems(path, table, header_fields)
    if not problems:
        problems.extend(scan_csv(path, header)[1])
    _fail_if_any(problems)
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
    header, problems = header_problems(path, table, list(schema.names))
    for field in schema:
        name = field.name.strip().lower()
        if name in table.columns and not (pa.types.is_string(field.type)
                                          or pa.types.is_large_string(field.type)
                                          or pa.types.is_null(field.type)):
            problems.append(LandingError(
                path, f"has type {field.type}; the contract lands every column as text "
                      "(write it as a string column so that nothing is reformatted)", column=name))
    _fail_if_any(problems)  # a Parquet file without rows is a valid (empty) landing
    return LandedFile(table, path, "parquet", header, tuple(schema.names))


def inspect(directory: Path, table: RawTable, preferred: str = "auto") -> LandedFile:
    """The landed file of `table`, checked; a LandingError lists every problem of it."""
    path = find_file(directory, table, preferred)
    return inspect_parquet(path, table) if path.suffix == PARQUET_SUFFIX else inspect_csv(path, table)


def inspect_landing(directory: Path, tables: list[RawTable], preferred: str = "auto") -> list[LandedFile]:
    """Every table's landed file, checked; a LandingError lists every problem of every file."""
    landed, problems = [], []
    for table in tables:
        try:
            landed.append(inspect(directory, table, preferred))
        except LandingError as error:
            problems.extend(error.problems)
    if problems:
        raise LandingError(directory, f"{len(problems)} problem(s) in "
                                      f"{len({str(p.path) for p in problems})} file(s)", problems=problems)
    return landed
