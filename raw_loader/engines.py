"""One class per engine, each loading a landed file through the engine's own bulk path.

Every load of a table is all-or-nothing: in one transaction on DuckDB (through a side
table `<table>__loading`) and PostgreSQL (truncate and COPY into the table itself, which
the staging views depend on), by loading a side table and an atomic RENAME on MySQL, by
a side table and drop-and-rename on Spark. Raw tables hold the contract's columns, all as
text (extra columns of a file are dropped), and one more, last: `_landing_batch_id`.

A whole landing (several tables) is all-or-nothing too, between `begin_landing()` and
`commit_landing()` / `rollback_landing()` (docs/landing.md, D96): one transaction on
DuckDB and PostgreSQL; on MySQL/MariaDB every table is loaded into its side table first
and all are swapped in by one atomic multi-table RENAME (an append: one InnoDB
transaction); on Spark every side table is written first and the swaps follow, which
read nothing and so cannot fail on the data.

An engine's error is re-raised without any landed value in it (`without_values`): the
records hold personal data.

Every landing has one batch id (`next_batch_id`): the UTC time it began as 20 digits
(`YYYYMMDDHHMMSSffffff`), always greater than every id before it. Every row it writes into
a raw table carries it in `_landing_batch_id` (rows landed by an older loader: null), so
that dbt can process only the batches it has not processed yet (docs/landing.md).

The ledger table `_load_ledger` in the raw schema records every load (table, file,
SHA-256, rows, mode, time, batch id) since the table was last replaced: an append of a
file already in a table is skipped, which is what makes a re-run of an append safe. Its
modes: `replace` (the table's earlier rows are deleted first), `append`, and `delete`
(rows the extract-load removed from a raw table).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from .files import LandedFile, LandingError, without_values
from .progress import ReadProgress, say

LEDGER = "_load_ledger"
LEDGER_COLUMNS = ("table_name", "file_name", "file_sha256", "file_bytes", "row_count",
                  "load_mode", "loaded_at", "landing_batch_id")
BATCH_COLUMN = "_landing_batch_id"  # the last column of every raw table the loader writes
BATCH_ID_FORMAT = "%Y%m%d%H%M%S%f"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(8 * 1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def now_text() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def next_batch_id(latest: str | None, now: datetime | None = None) -> str:
    """A landing's batch id: the UTC time as 20 digits, or the latest id + 1 when the
    clock is not past it (ids only grow, so "newer than the last batch built" holds)."""
    candidate = (now or datetime.now(timezone.utc)).strftime(BATCH_ID_FORMAT)
    if latest and candidate <= latest:
        return str(int(latest) + 1).zfill(len(candidate))
    return candidate


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Engine:
    name = "engine"

    def __init__(self, schema: str):
        self.schema = schema
        self.in_landing = False
        self.batch_id: str | None = None

    def begin_batch(self) -> str:
        """Takes the batch id of everything this engine lands from now on: one landing of
        the loader, or one extract-load run (which lands file by file)."""
        self.batch_id = next_batch_id(self.latest_batch_id())
        return self.batch_id

    @property
    def landing_batch_id(self) -> str:
        """The current batch id; a load outside any landing or batch begins one."""
        return self.batch_id or self.begin_batch()

    def begin_landing(self) -> None:
        """The loads and ledger records until commit_landing() land together or not at all,
        under one new batch id."""
        self.begin_batch()
        self.in_landing = True

    def commit_landing(self) -> None:
        self.in_landing = False

    def rollback_landing(self) -> None:
        self.in_landing = False

    def load(self, landed: LandedFile, mode: str) -> int:
        """Load the file (mode replace|append); returns the rows the table received."""
        raise NotImplementedError

    def latest_batch_id(self) -> str | None:
        """The greatest batch id in the ledger."""
        raise NotImplementedError

    def already_loaded(self, table: str, file_sha256: str) -> bool:
        raise NotImplementedError

    def record(self, landed: LandedFile, mode: str, file_sha256: str, rows: int) -> None:
        self.record_entry(landed.table.name, mode, rows, landed.path.name, file_sha256, landed.size_bytes)

    def record_entry(self, table: str, mode: str, rows: int, file_name: str | None = None,
                     file_sha256: str | None = None, file_bytes: int | None = None) -> None:
        """One ledger row of the current batch (mode replace|append|delete); a replace
        first deletes the table's earlier rows."""
        raise NotImplementedError

    def row_count(self, table: str) -> int:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def _ledger_row(self, table: str, mode: str, rows: int, file_name: str | None,
                    file_sha256: str | None, file_bytes: int | None) -> tuple:
        return (table, file_name, file_sha256, None if file_bytes is None else str(file_bytes),
                str(rows), mode, now_text(), self.landing_batch_id)


def csv_copy_of_parquet(landed: LandedFile, workdir: Path) -> Path:
    """Engines whose bulk path reads CSV only (PostgreSQL COPY, MySQL LOAD DATA) get
    a Parquet file as CSV, converted by DuckDB: the contract's columns, in its order."""
    import duckdb

    target = workdir / f"{landed.table.name}.csv"
    columns = ", ".join(f"cast({_quote(landed.original_name(c))} as varchar) as {c}"
                        for c in landed.table.columns)
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select {columns} from read_parquet({_literal(str(landed.path))})) "
            f"to {_literal(str(target))} (format csv, header true, quote '\"', escape '\"')")
    return target


class DuckDBEngine(Engine):
    """DuckDB reads the file itself (parallel CSV reader / Parquet scan)."""

    name = "duckdb"

    def __init__(self, schema: str, path: str):
        import duckdb

        super().__init__(schema)
        self.path = path
        self.connection = duckdb.connect(path)
        self.connection.execute(f"create schema if not exists {_quote(schema)}")
        columns = ", ".join(f"{c} varchar" for c in LEDGER_COLUMNS)
        self.connection.execute(f"create table if not exists {self._table(LEDGER)} ({columns})")
        self.connection.execute(  # a ledger of an older loader
            f"alter table {self._table(LEDGER)} add column if not exists landing_batch_id varchar")

    def _table(self, name: str) -> str:
        return f"{_quote(self.schema)}.{_quote(name)}"

    def _reader(self, landed: LandedFile) -> str:
        if landed.format == "parquet":
            return f"read_parquet({_literal(str(landed.path))})"
        return (f"read_csv({_literal(str(landed.path))}, header = true, all_varchar = true, "
                "delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
                "null_padding = false, encoding = 'utf-8')")

    def load(self, landed: LandedFile, mode: str) -> int:
        table = landed.table
        columns = ", ".join(f"cast({_quote(landed.original_name(c))} as varchar) as {c}"
                            for c in table.columns)
        columns += f", cast({_literal(self.landing_batch_id)} as varchar) as {BATCH_COLUMN}"
        names = ", ".join([*table.columns, BATCH_COLUMN])
        target = self._table(table.name)
        if not self.in_landing:
            self.connection.execute("begin transaction")
        try:
            loading = self._table(table.name + "__loading")
            self.connection.execute(
                f"create or replace table {loading} as select {columns} from {self._reader(landed)}")
            rows = self.connection.execute(f"select count(*) from {loading}").fetchone()[0]
            if mode == "replace":
                self.connection.execute(f"drop table if exists {target}")
                self.connection.execute(f"alter table {loading} rename to {_quote(table.name)}")
            else:
                self.connection.execute(
                    f"create table if not exists {target} as select * from {loading} limit 0")
                self.connection.execute(f"alter table {target} add column if not exists {BATCH_COLUMN} varchar")
                self.connection.execute(f"insert into {target} ({names}) select {names} from {loading}")
                self.connection.execute(f"drop table {loading}")
            if not self.in_landing:
                self.connection.execute("commit")
        except Exception as error:
            if not self.in_landing:
                self.connection.execute("rollback")
            if isinstance(error, LandingError):
                raise
            raise LandingError(landed.path, f"DuckDB could not read it: {without_values(str(error))}") from None
        return rows

    def begin_landing(self) -> None:
        self.connection.execute("begin transaction")
        super().begin_landing()

    def commit_landing(self) -> None:
        self.connection.execute("commit")
        super().commit_landing()

    def rollback_landing(self) -> None:
        self.connection.execute("rollback")
        super().rollback_landing()

    def latest_batch_id(self) -> str | None:
        return self.connection.execute(f"select max(landing_batch_id) from {self._table(LEDGER)}").fetchone()[0]

    def already_loaded(self, table: str, file_sha256: str) -> bool:
        return self.connection.execute(
            f"select count(*) from {self._table(LEDGER)} where table_name = ? and file_sha256 = ?",
            [table, file_sha256]).fetchone()[0] > 0

    def record_entry(self, table: str, mode: str, rows: int, file_name: str | None = None,
                     file_sha256: str | None = None, file_bytes: int | None = None) -> None:
        if mode == "replace":
            self.connection.execute(f"delete from {self._table(LEDGER)} where table_name = ?", [table])
        self.connection.execute(
            f"insert into {self._table(LEDGER)} ({', '.join(LEDGER_COLUMNS)}) "
            f"values ({', '.join('?' for _ in LEDGER_COLUMNS)})",
            list(self._ledger_row(table, mode, rows, file_name, file_sha256, file_bytes)))

    def row_count(self, table: str) -> int:
        return self.connection.execute(f"select count(*) from {self._table(table)}").fetchone()[0]

    def close(self) -> None:
        self.connection.close()


class PostgresEngine(Engine):
    """PostgreSQL's COPY FROM STDIN, streamed by the client (so the progress is real)."""

    name = "postgres"

    def __init__(self, schema: str, **connect_args):
        import psycopg2

        super().__init__(schema)
        self.connection = psycopg2.connect(**connect_args)
        with self.connection.cursor() as cursor:
            cursor.execute(f"create schema if not exists {_quote(schema)}")
            columns = ", ".join(f"{c} text" for c in LEDGER_COLUMNS)
            cursor.execute(f"create table if not exists {self._table(LEDGER)} ({columns})")
            cursor.execute(  # a ledger of an older loader
                f"alter table {self._table(LEDGER)} add column if not exists landing_batch_id text")
        self.connection.commit()
        self.workdir = Path(tempfile.mkdtemp(prefix="raw_loader_"))

    def _table(self, name: str) -> str:
        return f"{_quote(self.schema)}.{_quote(name)}"

    def load(self, landed: LandedFile, mode: str) -> int:
        """One transaction per table: the raw table is emptied (replace) and the file
        copied into it, so a failed COPY leaves the previous landing in place. The table
        is kept rather than dropped, because the staging views that read it (and depend
        on it in PostgreSQL's catalog) would forbid the drop: a table of an older loader
        gets the batch column added. COPY names the file's columns; the batch column is
        filled by a default set for this load only."""
        import psycopg2

        table = landed.table
        path = landed.path
        if landed.format == "parquet":
            say(f"  {path.name}: converting to CSV for COPY")
            path = csv_copy_of_parquet(landed, self.workdir)
            header = table.columns
        else:
            header = landed.header
        target = self._table(table.name)
        contract_columns = ", ".join(_quote(c) for c in table.columns)
        batch_column = _quote(BATCH_COLUMN)
        copy_options = ("with (format csv, header true, delimiter ',', quote '\"', escape '\"', "
                        "encoding 'UTF8')")
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("select column_name from information_schema.columns "
                               "where table_schema = %s and table_name = %s", (self.schema, table.name))
                existing = {name for (name,) in cursor.fetchall()}
                if existing == set(table.columns):  # landed by a loader without batches
                    cursor.execute(f"alter table {target} add column {batch_column} text")
                    existing.add(BATCH_COLUMN)
                if existing and existing != {*table.columns, BATCH_COLUMN}:
                    cursor.execute(f"drop table {target}")
                    existing = set()
                if not existing:
                    cursor.execute(f"create table {target} "
                                   f"({', '.join(_quote(c) + ' text' for c in [*table.columns, BATCH_COLUMN])})")
                elif mode == "replace":
                    cursor.execute(f"truncate table {target}")
                cursor.execute(f"alter table {target} alter column {batch_column} "
                               f"set default {_literal(self.landing_batch_id)}")
                extras = [name for name in header if name not in table.columns]
                copy_into = target
                if extras:
                    copy_into = _quote(table.name + "__loading")
                    cursor.execute(f"create temporary table {copy_into} "
                                   f"({', '.join(_quote(n) + ' text' for n in header)}) on commit drop")
                with path.open("rb") as handle:
                    cursor.copy_expert(
                        f"copy {copy_into} ({', '.join(_quote(n) for n in header)}) from stdin {copy_options}",
                        ReadProgress(handle, path.stat().st_size, path.name))
                rows = cursor.rowcount
                if extras:
                    cursor.execute(f"insert into {target} ({contract_columns}) "
                                   f"select {contract_columns} from {copy_into}")
                    cursor.execute(f"drop table {copy_into}")
                cursor.execute(f"alter table {target} alter column {batch_column} drop default")
            if not self.in_landing:
                self.connection.commit()
        except psycopg2.Error as error:
            self.connection.rollback()  # in a landing: the whole landing (rollback_landing is then a no-op)
            message = without_values(error.pgerror or str(error))
            raise LandingError(landed.path, f"PostgreSQL COPY rejected it: {message}") from None
        finally:
            if path != landed.path:
                path.unlink(missing_ok=True)
        return rows

    def latest_batch_id(self) -> str | None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"select max(landing_batch_id) from {self._table(LEDGER)}")
            return cursor.fetchone()[0]

    def already_loaded(self, table: str, file_sha256: str) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute(f"select count(*) from {self._table(LEDGER)} "
                           "where table_name = %s and file_sha256 = %s", (table, file_sha256))
            return cursor.fetchone()[0] > 0

    def record_entry(self, table: str, mode: str, rows: int, file_name: str | None = None,
                     file_sha256: str | None = None, file_bytes: int | None = None) -> None:
        row = self._ledger_row(table, mode, rows, file_name, file_sha256, file_bytes)
        with self.connection.cursor() as cursor:
            if mode == "replace":
                cursor.execute(f"delete from {self._table(LEDGER)} where table_name = %s", (table,))
            cursor.execute(f"insert into {self._table(LEDGER)} ({', '.join(LEDGER_COLUMNS)}) "
                           f"values ({', '.join('%s' for _ in LEDGER_COLUMNS)})", row)
        if not self.in_landing:
            self.connection.commit()

    def commit_landing(self) -> None:
        self.connection.commit()
        super().commit_landing()

    def rollback_landing(self) -> None:
        self.connection.rollback()
        super().rollback_landing()

    def row_count(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"select count(*) from {self._table(table)}")
            return cursor.fetchone()[0]

    def close(self) -> None:
        self.connection.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


class MySQLEngine(Engine):
    """MySQL/MariaDB's LOAD DATA LOCAL INFILE, through the server's own command-line
    client (`mariadb` or `mysql`), so the loader needs no MySQL driver in its virtualenv.
    LOAD DATA reports a malformed row as a warning, not an error: any warning fails
    the load. An empty field becomes NULL, as on the other engines."""

    name = "mysql"

    def __init__(self, schema: str, host: str, port: int, user: str, password: str,
                 collation: str = "utf8mb4_bin"):
        super().__init__(schema)
        self.client = shutil.which("mariadb") or shutil.which("mysql")
        if self.client is None:
            raise RuntimeError("the MySQL/MariaDB command-line client (mariadb or mysql) is not installed")
        self.host, self.port, self.user, self.password = host, port, user, password
        self.collation = collation
        self._staged: list[str] = []  # tables whose side table awaits the swap (replace)
        self._appended: list[str] = []  # tables whose side table awaits its insert (append)
        self._deferred: list[str] = []  # statements awaiting the landing's commit (append, ledger)
        self.workdir = Path(tempfile.mkdtemp(prefix="raw_loader_"))
        columns = ", ".join(f"`{c}` text" for c in LEDGER_COLUMNS)
        self._run(f"create database if not exists `{schema}` character set utf8mb4 collate {collation};"
                  f"create table if not exists {self._table(LEDGER)} ({columns}) "
                  f"character set utf8mb4 collate {collation};")
        if "landing_batch_id" not in self._column_types(LEDGER):  # a ledger of an older loader
            self._run(f"alter table {self._table(LEDGER)} add column `landing_batch_id` text;")

    def _table(self, name: str) -> str:
        return f"`{self.schema}`.`{name}`"

    def _run(self, sql: str) -> str:
        env = dict(os.environ)
        if self.password:
            env["MYSQL_PWD"] = self.password
        result = subprocess.run(
            [self.client, "--local-infile=1", "--batch", "--skip-column-names",
             f"--host={self.host}", f"--port={self.port}", f"--user={self.user}",
             "--default-character-set=utf8mb4"],
            input=sql, text=True, capture_output=True, env=env)
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip())
        return result.stdout

    def load(self, landed: LandedFile, mode: str) -> int:
        table = landed.table
        path = landed.path
        if landed.format == "parquet":
            say(f"  {path.name}: converting to CSV for LOAD DATA")
            path, header, terminator = csv_copy_of_parquet(landed, self.workdir), table.columns, "\n"
        else:
            header, terminator = landed.header, landed.line_terminator
        lengths = self._longest_values(landed, path, header)
        types = {name: self._column_type(lengths[header.index(name)]) for name in table.columns}
        loading, target = self._table(table.name + "__loading"), self._table(table.name)
        variables = ", ".join(f"@v{position}" for position in range(len(header)))
        # length(), not nullif(v, ''): MySQL compares with PAD SPACE, so ' ' = '' and a
        # whitespace-only value (a defect staging must see as landed) would become NULL
        assignments = ", ".join(f"`{name}` = if(length(@v{header.index(name)}) = 0, null, @v{header.index(name)})" for name in table.columns)
        assignments += f", `{BATCH_COLUMN}` = {_literal(self.landing_batch_id)}"
        columns = ", ".join(f"`{c}` {types[c]}" for c in table.columns) + f", `{BATCH_COLUMN}` varchar(20)"
        escaped_terminator = terminator.replace("\r", "\\r").replace("\n", "\\n")
        path_literal = str(path).replace("\\", "\\\\").replace("'", "\\'")
        script = (
            f"drop table if exists {loading};"
            f"create table {loading} ({columns}) character set utf8mb4 collate {self.collation};"
            f"load data local infile '{path_literal}' into table {loading} character set utf8mb4 "
            "fields terminated by ',' optionally enclosed by '\"' escaped by '' "
            f"lines terminated by '{escaped_terminator}' ignore 1 lines ({variables}) set {assignments};"
            "show warnings limit 5;"
            f"select count(*) from {loading};"
            f"create table if not exists {target} like {loading};"
        )
        try:
            output = self._run(script).strip().splitlines()
        except RuntimeError as error:
            raise LandingError(landed.path, f"MySQL LOAD DATA rejected it: {without_values(str(error))}") from None
        finally:
            if path != landed.path:
                path.unlink(missing_ok=True)
        warnings = [line for line in output[:-1] if line.strip()]
        if warnings:
            self._run(f"drop table if exists {loading};")
            raise LandingError(landed.path, "MySQL LOAD DATA found malformed rows: "
                               + "; ".join(without_values(w.replace("\t", " ")) for w in warnings))
        rows = int(output[-1])
        if mode == "replace":
            self._staged.append(table.name)
            if not self.in_landing:
                self._swap_staged()
            return rows
        landed_types = self._column_types(table.name)
        changes = [f"modify `{name}` text" for name, kind in landed_types.items()
                   if kind != "text" and types.get(name) == "text"]
        if BATCH_COLUMN not in landed_types:  # a table of a loader without batches
            changes.append(f"add column `{BATCH_COLUMN}` varchar(20)")
        if changes:  # DDL (an implicit commit in MySQL): before the landing's transaction
            self._run(f"alter table {target} {', '.join(changes)};")
        names = ", ".join(f"`{c}`" for c in [*table.columns, BATCH_COLUMN])
        self._deferred.append(f"insert into {target} ({names}) select {names} from {loading}; drop table {loading};")
        self._appended.append(table.name)
        if not self.in_landing:
            self._run_deferred()
        return rows

    def _swap_staged(self) -> None:
        """Every staged side table becomes its raw table in one atomic RENAME."""
        if self._staged:
            pairs = ", ".join(f"{self._table(name)} to {self._table(name + '__replaced')}, "
                              f"{self._table(name + '__loading')} to {self._table(name)}"
                              for name in self._staged)
            drops = "".join(f"drop table {self._table(name + '__replaced')};" for name in self._staged)
            self._run(f"rename table {pairs};{drops}")
        self._staged = []
        self._run_deferred()

    def _run_deferred(self) -> None:
        """The appends and ledger records, in one InnoDB transaction."""
        if self._deferred:
            self._run("start transaction;" + "".join(self._deferred) + "commit;")
        self._deferred, self._appended = [], []

    def begin_landing(self) -> None:
        self._staged, self._appended, self._deferred = [], [], []
        super().begin_landing()

    def commit_landing(self) -> None:
        self._swap_staged()
        super().commit_landing()

    def rollback_landing(self) -> None:
        loading = [self._table(name + "__loading") for name in self._staged + self._appended]
        self._staged, self._appended, self._deferred = [], [], []
        if loading:
            self._run(f"drop table if exists {', '.join(loading)};")
        super().rollback_landing()

    # A raw column lands as varchar(64) when every value of the file fits, as the seeds
    # do (macros/cross_db/mysql_adapter.sql), text otherwise: MariaDB joins the staging
    # views through temporary tables keyed on the join columns, and such a key holds no
    # TEXT column. With every column text, joining the order lines to their orders was a
    # nested loop that ran for more than 25 minutes at 1M lines (decisions.md, D88).
    VARCHAR_LENGTH = 64

    @classmethod
    def _column_type(cls, longest: int) -> str:
        return f"varchar({cls.VARCHAR_LENGTH})" if longest <= cls.VARCHAR_LENGTH else "text"

    def _column_types(self, table: str) -> dict[str, str]:
        output = self._run(f"select column_name, data_type from information_schema.columns "
                           f"where table_schema = '{self.schema}' and table_name = '{table}';")
        return dict(line.split("\t") for line in output.splitlines() if line)

    @staticmethod
    def _longest_values(landed: LandedFile, path: Path, header: list[str]) -> list[int]:
        """The longest value of each column, in characters; and, since MariaDB's LOAD
        DATA into user variables fills a short row with NULLs without a warning, every
        record's width is checked here first (the other engines' readers refuse a ragged
        row themselves)."""
        import csv

        width = len(header)
        longest = [0] * width
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=",", quotechar='"', doublequote=True)
            next(reader, None)
            for number, row in enumerate(reader, start=1):
                if len(row) != width:
                    raise LandingError(landed.path, f"data row {number} has {len(row)} fields, "
                                                    f"the header {width}")
                longest = list(map(max, longest, map(len, row)))
        return longest

    def latest_batch_id(self) -> str | None:
        latest = self._run(f"select max(landing_batch_id) from {self._table(LEDGER)};").strip()
        return None if latest == "NULL" else latest

    def already_loaded(self, table: str, file_sha256: str) -> bool:
        output = self._run(f"select count(*) from {self._table(LEDGER)} "
                           f"where table_name = '{table}' and file_sha256 = '{file_sha256}';")
        return int(output.strip()) > 0

    def record_entry(self, table: str, mode: str, rows: int, file_name: str | None = None,
                     file_sha256: str | None = None, file_bytes: int | None = None) -> None:
        values = ", ".join("null" if value is None else
                           "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
                           for value in self._ledger_row(table, mode, rows, file_name, file_sha256, file_bytes))
        delete = f"delete from {self._table(LEDGER)} where table_name = '{table}';" if mode == "replace" else ""
        self._deferred.append(f"{delete}insert into {self._table(LEDGER)} ({', '.join(LEDGER_COLUMNS)}) "
                              f"values ({values});")
        if not self.in_landing:
            self._run_deferred()

    def row_count(self, table: str) -> int:
        return int(self._run(f"select count(*) from {self._table(table)};").strip())

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


class SparkEngine(Engine):
    """Spark reads the file itself (Parquet, or CSV with multi-line quoted fields) and
    writes a parquet table in the warehouse and metastore the dbt profile uses
    (DBT_SPARK_DIR). The embedded Derby metastore admits one process: do not run dbt
    on Spark while loading."""

    name = "spark"
    LEDGER_SCHEMA = ", ".join(f"{c} string" for c in LEDGER_COLUMNS)

    def __init__(self, schema: str, spark_dir: str, driver_memory: str = "2g",
                 shuffle_partitions: str = "2"):
        from pyspark.sql import SparkSession

        super().__init__(schema)
        self._staged: list[tuple[str, str]] = []  # (table, mode) whose side table awaits publishing
        self._deferred: list[tuple] = []  # ledger rows (mode, row) awaiting the landing's commit
        spark_dir = os.path.abspath(spark_dir)
        self.spark = (
            SparkSession.builder.appName("sales_insights_raw_loader")
            .config("spark.sql.warehouse.dir", f"{spark_dir}/warehouse")
            .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                    "jdbc:derby:;databaseName=metastore_db;create=true")
            .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir}")
            .config("spark.driver.memory", driver_memory)
            .config("spark.sql.shuffle.partitions", shuffle_partitions)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .enableHiveSupport()
            .getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")
        self.spark.sql(f"create database if not exists {schema}")
        ledger = f"{schema}.{LEDGER}"
        if not self.spark.catalog.tableExists(ledger):
            self.spark.sql(f"create table {ledger} ({self.LEDGER_SCHEMA}) using parquet")
        elif "landing_batch_id" not in self.spark.table(ledger).columns:  # a ledger of an older loader
            self.spark.sql(f"alter table {ledger} add columns (landing_batch_id string)")

    def load(self, landed: LandedFile, mode: str) -> int:
        from pyspark.sql import functions as F

        table = landed.table
        reader = self.spark.read
        try:
            if landed.format == "parquet":
                frame = reader.parquet(str(landed.path))
            else:
                frame = (reader.option("header", True).option("multiLine", True)
                         .option("quote", '"').option("escape", '"').option("mode", "FAILFAST")
                         .option("encoding", "UTF-8").csv(str(landed.path)))
            frame = frame.select(*[F.col(f"`{landed.original_name(c)}`").cast("string").alias(c)
                                   for c in table.columns],
                                 F.lit(self.landing_batch_id).cast("string").alias(BATCH_COLUMN))
            loading = f"{self.schema}.{table.name}__loading"
            self.spark.sql(f"drop table if exists {loading}")
            frame.write.format("parquet").saveAsTable(loading)
            rows = self.spark.table(loading).count()
        except Exception as error:  # py4j / analysis errors
            if isinstance(error, LandingError):
                raise
            raise LandingError(landed.path, f"Spark could not read it: {without_values(str(error))}") from None
        self._staged.append((table.name, mode))
        if not self.in_landing:
            self._publish_staged()
        return rows

    def _publish_staged(self) -> None:
        """Every written side table becomes (replace) or joins (append) its raw table;
        nothing here reads a landed file, so nothing fails on the data."""
        for name, mode in self._staged:
            loading, target = f"{self.schema}.{name}__loading", f"{self.schema}.{name}"
            if mode == "replace":
                self.spark.sql(f"drop table if exists {target}")
                self.spark.sql(f"alter table {loading} rename to {target}")
            else:
                if not self.spark.catalog.tableExists(target):
                    self.spark.sql(f"create table {target} using parquet as select * from {loading} limit 0")
                elif BATCH_COLUMN not in self.spark.table(target).columns:  # a table of a loader without batches
                    self.spark.sql(f"alter table {target} add columns ({BATCH_COLUMN} string)")
                self.spark.sql(f"insert into {target} select * from {loading}")
                self.spark.sql(f"drop table {loading}")
        self._staged = []
        for mode, row in self._deferred:
            self._write_record(mode, row)
        self._deferred = []

    def begin_landing(self) -> None:
        self._staged, self._deferred = [], []
        super().begin_landing()

    def commit_landing(self) -> None:
        self._publish_staged()
        super().commit_landing()

    def rollback_landing(self) -> None:
        for name, _ in self._staged:
            self.spark.sql(f"drop table if exists {self.schema}.{name}__loading")
        self._staged, self._deferred = [], []
        super().rollback_landing()

    def latest_batch_id(self) -> str | None:
        return self.spark.sql(f"select max(landing_batch_id) from {self.schema}.{LEDGER}").collect()[0][0]

    def already_loaded(self, table: str, file_sha256: str) -> bool:
        return self.spark.sql(
            f"select 1 from {self.schema}.{LEDGER} where table_name = '{table}' "
            f"and file_sha256 = '{file_sha256}'").count() > 0

    def record_entry(self, table: str, mode: str, rows: int, file_name: str | None = None,
                     file_sha256: str | None = None, file_bytes: int | None = None) -> None:
        self._deferred.append((mode, self._ledger_row(table, mode, rows, file_name, file_sha256, file_bytes)))
        if not self.in_landing:
            self._publish_staged()

    def _write_record(self, mode: str, row: tuple) -> None:
        ledger = f"{self.schema}.{LEDGER}"
        if mode == "replace":
            kept = self.spark.table(ledger).select(*LEDGER_COLUMNS).where(f"table_name <> '{row[0]}'").collect()
            self.spark.sql(f"drop table {ledger}")
            self.spark.sql(f"create table {ledger} ({self.LEDGER_SCHEMA}) using parquet")
            rows_to_write = [tuple(kept_row) for kept_row in kept]
        else:
            rows_to_write = []
        rows_to_write.append(row)
        self.spark.createDataFrame(rows_to_write, self.LEDGER_SCHEMA).write.insertInto(ledger)

    def row_count(self, table: str) -> int:
        return self.spark.table(f"{self.schema}.{table}").count()

    def close(self) -> None:
        self.spark.stop()


def connect(target: str, schema: str) -> Engine:
    """The engine of a dbt target, configured from the same environment variables as
    profiles.yml.example."""
    env = os.environ.get
    if target == "duckdb":
        return DuckDBEngine(schema, env("DBT_DUCKDB_PATH", "sales_insights.duckdb"))
    if target == "postgres":
        return PostgresEngine(
            schema, host=env("DBT_POSTGRES_HOST", "127.0.0.1"),
            port=int(env("DBT_POSTGRES_PORT", "5432")), user=env("DBT_POSTGRES_USER", "postgres"),
            password=env("DBT_POSTGRES_PASSWORD", ""), dbname=env("DBT_POSTGRES_DBNAME", "test"),
            sslmode=env("DBT_POSTGRES_SSLMODE", "prefer"))
    if target == "mysql":
        return MySQLEngine(
            schema, host=env("DBT_MYSQL_HOST", "127.0.0.1"), port=int(env("DBT_MYSQL_PORT", "3306")),
            user=env("DBT_MYSQL_USER", "root"), password=env("DBT_MYSQL_PASSWORD", ""),
            collation=env("DBT_MYSQL_COLLATION", "utf8mb4_bin"))
    if target == "spark":
        return SparkEngine(schema, env("DBT_SPARK_DIR", "target/spark"),
                           env("DBT_SPARK_DRIVER_MEMORY", "2g"), env("DBT_SPARK_SHUFFLE_PARTITIONS", "2"))
    raise ValueError(f"unknown target {target}")


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started
