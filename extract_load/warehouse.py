"""The warehouse side, on top of raw_loader's engines: append the landed files (its
ledger skips a file already appended), remove deleted order lines from the raw table
(recorded in the ledger as a `delete` of the run's batch), and record every run in
`<raw schema>._extract_load_runs`."""
from __future__ import annotations

from raw_loader.engines import DuckDBEngine, Engine, MySQLEngine, PostgresEngine, SparkEngine

RUN_LOG = "_extract_load_runs"
RUN_LOG_COLUMNS = (("run_id", "text"), ("table_name", "text"), ("started_at", "timestamp"),
                   ("finished_at", "timestamp"), ("status", "text"), ("rows_read", "bigint"),
                   ("rows_landed", "bigint"), ("rows_deleted", "bigint"), ("cursor_value", "text"),
                   ("message", "text"))
DELETE_BATCH = 200


def literal(value, backslash_escapes: bool = False) -> str:
    """A SQL literal (text, integer, null); MySQL and Spark read a backslash in a string
    as an escape, DuckDB and PostgreSQL do not."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\") if backslash_escapes else str(value)
    return "'" + text.replace("'", "''") + "'"


class Warehouse:
    """Statements on the raw schema of one engine."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.schema = engine.schema

    def literal(self, value) -> str:
        return literal(value, isinstance(self.engine, (MySQLEngine, SparkEngine)))

    def identity(self) -> str:
        engine = self.engine
        if isinstance(engine, DuckDBEngine):
            return f"duckdb:{engine.path}"
        if isinstance(engine, PostgresEngine):
            params = engine.connection.get_dsn_parameters()
            return f"postgres:{params.get('host')}:{params.get('port')}/{params.get('dbname')}"
        if isinstance(engine, MySQLEngine):
            return f"mysql:{engine.host}:{engine.port}"
        return f"spark:{engine.spark.conf.get('spark.sql.warehouse.dir')}"

    def table(self, name: str) -> str:
        quote = "`" if isinstance(self.engine, (MySQLEngine, SparkEngine)) else '"'
        return f"{quote}{self.schema}{quote}.{quote}{name}{quote}"

    def execute(self, sql: str) -> int | None:
        """Run one statement; the rows it changed where the engine says so."""
        engine = self.engine
        if isinstance(engine, DuckDBEngine):
            result = engine.connection.execute(sql).fetchall()
            return int(result[0][0]) if result and sql.lstrip().lower().startswith("delete") else None
        if isinstance(engine, PostgresEngine):
            with engine.connection.cursor() as cursor:
                cursor.execute(sql)
                changed = cursor.rowcount
            engine.connection.commit()
            return changed
        if isinstance(engine, MySQLEngine):
            output = engine._run(f"{sql}; select row_count();").strip().splitlines()
            return int(output[-1]) if output else None
        engine.spark.sql(sql)
        return None

    def ensure_run_log(self) -> None:
        types = {"text": "string", "timestamp": "timestamp", "bigint": "bigint"}
        if isinstance(self.engine, MySQLEngine):
            types = {"text": "text", "timestamp": "datetime", "bigint": "bigint"}
        elif not isinstance(self.engine, SparkEngine):
            types = {"text": "text", "timestamp": "timestamp", "bigint": "bigint"}
        columns = ", ".join(f"{name} {types[kind]}" for name, kind in RUN_LOG_COLUMNS)
        using = " using parquet" if isinstance(self.engine, SparkEngine) else ""
        self.execute(f"create table if not exists {self.table(RUN_LOG)} ({columns}){using}")

    def record_run(self, rows: list[dict]) -> None:
        values = ", ".join(
            "(" + ", ".join(
                f"cast({self.literal(row[name])} as timestamp)" if kind == "timestamp"
                and not isinstance(self.engine, MySQLEngine) and row[name] is not None
                else self.literal(row[name])
                for name, kind in RUN_LOG_COLUMNS) + ")"
            for row in rows)
        self.execute(f"insert into {self.table(RUN_LOG)} values {values}")

    def delete_order_lines(self, deletions: list[tuple[str, str, str]], file_name: str | None = None) -> int:
        """Remove every landed version of each deleted line that is not later than its
        deletion (a line re-created under the same number afterwards stays). Rows removed
        are recorded in the ledger (mode `delete`, the engine's current batch): dbt then
        reprocesses the table in full."""
        if not deletions:
            return 0
        table = self.table("sales_order_lines")
        removed = 0
        for start in range(0, len(deletions), DELETE_BATCH):
            batch = deletions[start:start + DELETE_BATCH]
            predicate = " or ".join(
                f"(trim(order_id) = {self.literal(order_id)} and trim(order_line_number) = {self.literal(number)} "
                f"and (updated_at is null or trim(updated_at) <= {self.literal(deleted_at)}))"
                for order_id, number, deleted_at in batch)
            if isinstance(self.engine, SparkEngine):
                removed += self._spark_delete(table, predicate)
            else:
                removed += self.execute(f"delete from {table} where {predicate}") or 0
        if removed:
            self.engine.record_entry("sales_order_lines", "delete", removed, file_name)
        return removed

    def _spark_delete(self, table: str, predicate: str) -> int:
        """Parquet tables have no DELETE (D33): the kept rows are written to a side table
        that replaces the raw table."""
        spark = self.engine.spark
        before = spark.table(table).count()
        kept = self.table("sales_order_lines__kept")
        spark.sql(f"drop table if exists {kept}")
        spark.sql(f"create table {kept} using parquet as select * from {table} where not ({predicate})")
        after = spark.table(kept).count()
        spark.sql(f"drop table {table}")
        spark.sql(f"alter table {kept} rename to {table}")
        return before - after
