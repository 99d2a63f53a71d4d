"""One class per engine, each loading a landed file through the engine's own bulk path.

Every load of a table is all-or-nothing: in one transaction on DuckDB (through a side
table `<table>__loading`) and PostgreSQL (truncate and COPY into the table itself, which
the staging views depend on), by loading a side table and an atomic RENAME on MySQL, by
a side table and drop-and-rename on Spark. Raw
tables hold the contract's columns only, all as text; extra columns are dropped.

A whole landing (several tables) is all-or-nothing too, between `begin_landing()` and
`commit_landing()` / `rollback_landing()` (docs/landing.md, D96): one transaction on
DuckDB and PostgreSQL; on MySQL/MariaDB every table is loaded into its side table first
and all are swapped in by one atomic multi-table RENAME (an append: one InnoDB
transaction); on Spark every side table is written first and the swaps follow, which
read nothing and so cannot fail on the data.

An engine's error is re-raised without any landed value in it (`without_values`): the
records hold personal data.

The ledger table `_load_ledger` in the raw schema records every load (table, file,
SHA-256, rows, time) since the table was last replaced: an append of a file already in a
table is skipped, which is what makes a re-run of an append safe.
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
                  "load_mode", "loaded_at")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(8 * 1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def now_text() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Engine:
    name = "engine"

    def __init__(self, schema: str):
        self.schema = schema
        self.in_landing = False

    def begin_landing(self) -> None:
        """The loads and ledger records until commit_landing() land together or not at all."""
        self.in_landing = True

    def commit_landing(self) -> None:
        self.in_landing = False

    def rollback_landing(self) -> None:
        self.in_landing = False

    def load(self, landed: LandedFile, mode: str) -> int:
        """Load the file (mode replace|append); returns the rows the table received."""
        raise NotImplementedError

    def already_loaded(self, table: str, file_sha256: str) -> bool:
        raise NotImplementedError

    def record(self, landed: LandedFile, mode: str, file_sha256: str, rows: int) -> None:
        raise NotImplementedError

    def row_count(self, table: str) -> int:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def _ledger_row(self, landed: LandedFile, mode: str, file_sha256: str, rows: int) -> tuple:
        return (landed.table.name, landed.path.name, file_sha256, str(landed.size_bytes),
                str(rows), mode, now_text())


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
                self.connection.execute(f"insert into {target} select * from {loading}")
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

    def already_loaded(self, table: str, file_sha256: str) -> bool:
        return self.connection.execute(
            f"select count(*) from {self._table(LEDGER)} where table_name = ? and file_sha256 = ?",
            [table, file_sha256]).fetchone()[0] > 0

    def record(self, landed: LandedFile, mode: str, file_sha256: str, rows: int) -> None:
        if mode == "replace":
            self.connection.execute(f"delete from {self._table(LEDGER)} where table_name = ?",
                                    [landed.table.name])
        self.connection.execute(f"insert into {self._table(LEDGER)} values (?, ?, ?, ?, ?, ?, ?)",
                                list(self._ledger_row(landed, mode, file_sha256, rows)))

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
        self.connection.commit()
        self.workdir = Path(tempfile.mkdtemp(prefix="raw_loader_"))

    def _table(self, name: str) -> str:
        return f"{_quote(self.schema)}.{_quote(name)}"

    def load(self, landed: LandedFile, mode: str) -> int:
        """One transaction per table: the raw table is emptied (replace) and the file
        copied into it, so a failed COPY leaves the previous landing in place. The table
        is kept rather than dropped, because the staging views that read it (and depend
        on it in PostgreSQL's catalog) would forbid the drop."""
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
        copy_options = ("with (format csv, header true, delimiter ',', quote '\"', escape '\"', "
                        "encoding 'UTF8')")
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("select column_name from information_schema.columns "
                               "where table_schema = %s and table_name = %s", (self.schema, table.name))
                existing = {name for (name,) in cursor.fetchall()}
                if existing and existing != set(table.columns):
                    cursor.execute(f"drop table {target}")
                    existing = set()
                if not existing:
                    cursor.execute(f"create table {target} ({', '.join(_quote(c) + ' text' for c in table.columns)})")
                elif mode == "replace":
                    cursor.execute(f"truncate table {target}")
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

    def already_loaded(self, table: str, file_sha256: str) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute(f"select count(*) from {self._table(LEDGER)} "
                           "where table_name = %s and file_sha256 = %s", (table, file_sha256))
            return cursor.fetchone()[0] > 0

    def record(self, landed: LandedFile, mode: str, file_sha256: str, rows: int) -> None:
        with self.connection.cursor() as cursor:
            if mode == "replace":
                cursor.execute(f"delete from {self._table(LEDGER)} where table_name = %s",
                               (landed.table.name,))
            cursor.execute(f"insert into {self._table(LEDGER)} values (%s, %s, %s, %s, %s, %s, %s)",
                           self._ledger_row(landed, mode, file_sha256, rows))
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
        columns = ", ".join(f"`{c}` {types[c]}" for c in table.columns)
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
        widened = [name for name, kind in self._column_types(table.name).items()
                   if kind != "text" and types.get(name) == "text"]
        if widened:  # DDL (an implicit commit in MySQL): before the landing's transaction
            self._run(f"alter table {target} {', '.join(f'modify `{name}` text' for name in widened)};")
        self._deferred.append(f"insert into {target} select * from {loading}; drop table {loading};")
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

    def already_loaded(self, table: str, file_sha256: str) -> bool:
        output = self._run(f"select count(*) from {self._table(LEDGER)} "
                           f"where table_name = '{table}' and file_sha256 = '{file_sha256}';")
        return int(output.strip()) > 0

    def record(self, landed: LandedFile, mode: str, file_sha256: str, rows: int) -> None:
        values = ", ".join("'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
                           for value in self._ledger_row(landed, mode, file_sha256, rows))
        delete = (f"delete from {self._table(LEDGER)} where table_name = '{landed.table.name}';"
                  if mode == "replace" else "")
        self._deferred.append(f"{delete}insert into {self._table(LEDGER)} values ({values});")
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

    def __init__(self, schema: str, spark_dir: str, driver_memory: str = "2g",
                 shuffle_partitions: str = "2"):
        from pyspark.sql import SparkSession

        super().__init__(schema)
        self._staged: list[tuple[str, str]] = []  # (table, mode) whose side table awaits publishing
        self._deferred: list[tuple] = []  # ledger records awaiting the landing's commit
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
        if not self.spark.catalog.tableExists(f"{schema}.{LEDGER}"):
            columns = ", ".join(f"{c} string" for c in LEDGER_COLUMNS)
            self.spark.sql(f"create table {schema}.{LEDGER} ({columns}) using parquet")

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
                                   for c in table.columns])
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
                self.spark.sql(f"insert into {target} select * from {loading}")
                self.spark.sql(f"drop table {loading}")
        self._staged = []
        for record in self._deferred:
            self._write_record(*record)
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

    def already_loaded(self, table: str, file_sha256: str) -> bool:
        return self.spark.sql(
            f"select 1 from {self.schema}.{LEDGER} where table_name = '{table}' "
            f"and file_sha256 = '{file_sha256}'").count() > 0

    def record(self, landed: LandedFile, mode: str, file_sha256: str, rows: int) -> None:
        self._deferred.append((landed, mode, file_sha256, rows))
        if not self.in_landing:
            self._publish_staged()

    def _write_record(self, landed: LandedFile, mode: str, file_sha256: str, rows: int) -> None:
        ledger = f"{self.schema}.{LEDGER}"
        if mode == "replace":
            kept = self.spark.table(ledger).where(f"table_name <> '{landed.table.name}'").collect()
            self.spark.sql(f"drop table {ledger}")
            columns = ", ".join(f"{c} string" for c in LEDGER_COLUMNS)
            self.spark.sql(f"create table {ledger} ({columns}) using parquet")
            rows_to_write = [tuple(row) for row in kept]
        else:
            rows_to_write = []
        rows_to_write.append(self._ledger_row(landed, mode, file_sha256, rows))
        self.spark.createDataFrame(rows_to_write, list(LEDGER_COLUMNS)).write.insertInto(ledger)

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
