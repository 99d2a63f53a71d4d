"""Right of access (GDPR article 15): one file with everything the warehouse holds about
one customer, found by their customer number.

The customer number is looked up in the restricted model, the one place that maps it to
the keyed pseudonym; every table of every schema is then searched by the columns that
carry the customer: `customer_id` (the landed exports), `customer_pseudonym`, and
`customer_key` (the customer's dimension versions). A customer who asked to be erased
has nothing left but what the landed exports still hold; the report says so.

Usage: python -m subject_access CUSTOMER_ID [--out FILE] [--target duckdb|postgres]
"""
from __future__ import annotations

import argparse
import datetime as dt
import decimal
import json
import os
import sys
from pathlib import Path

PROCESSING = {
    "controller": "the company running this warehouse (see its privacy notice)",
    "purposes": [
        "sales and inventory reporting (aggregated; customers appear only as a keyed pseudonym)",
        "publication of anonymized, aggregated open data (no customer-level data is published)",
    ],
    "categories_of_data": [
        "identification and contact data (name, e-mail, phone) held only in the restricted model",
        "birth date and postal code (restricted model only; analytics use an age band and the region)",
        "order history (orders, products, amounts, dates) linked to a keyed pseudonym",
    ],
    "recipients": ["the company's analysts (pseudonymized marts only)", "no third party"],
    "source": "the company's sales management system exports",
    "retention": "as long as the source system keeps the customer; erasure requests remove "
                 "the customer from every model and snapshot at the next build",
    "rights": "rectification (art. 16) and erasure (art. 17) through the privacy office",
}
CUSTOMER_COLUMNS = ("customer_id", "customer_pseudonym", "customer_key")


class Warehouse:
    def __init__(self, target: str, duckdb_path: str):
        self.target = target
        if target == "duckdb":
            import duckdb

            self.connection = duckdb.connect(duckdb_path, read_only=True)
            self.placeholder = "?"
        elif target == "postgres":
            import psycopg2

            self.connection = psycopg2.connect(
                host=os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
                port=int(os.environ.get("DBT_POSTGRES_PORT", "5432")),
                user=os.environ.get("DBT_POSTGRES_USER", "postgres"),
                password=os.environ.get("DBT_POSTGRES_PASSWORD", ""),
                dbname=os.environ.get("DBT_POSTGRES_DBNAME", "test"),
            )
            self.placeholder = "%s"
        else:
            raise SystemExit(f"subject_access: target {target!r} is not supported (duckdb, postgres)")

    def query(self, sql: str, parameters: list | None = None) -> tuple[list[str], list[tuple]]:
        cursor = self.connection.cursor()
        cursor.execute(sql.replace("?", self.placeholder), parameters or [])
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()

    def close(self) -> None:
        self.connection.close()


def _json_value(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def subject_access_report(warehouse: Warehouse, customer_id: str) -> dict:
    _, found = warehouse.query(
        "select customer_pseudonym from restricted.pii_data_subjects "
        "where data_subject_type = 'customer' and customer_id = ?",
        [customer_id],
    )
    pseudonym = found[0][0] if found else None
    keys: list[str] = []
    if pseudonym:
        _, key_rows = warehouse.query(
            "select customer_key from core.dim_customer where customer_pseudonym = ?", [pseudonym]
        )
        keys = [row[0] for row in key_rows]

    _, located = warehouse.query(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where column_name in ('customer_id', 'customer_pseudonym', 'customer_key') "
        "and table_schema not in ('information_schema', 'pg_catalog') "
        "order by table_schema, table_name, column_name"
    )
    searches = {
        "customer_id": [customer_id],
        "customer_pseudonym": [pseudonym] if pseudonym else [],
        "customer_key": keys,
    }
    columns_by_table: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in located:
        if searches[column]:
            columns_by_table.setdefault((schema, table), []).append(column)
    records: dict[str, list[dict]] = {}
    for (schema, table), customer_columns in columns_by_table.items():
        conditions, values = [], []
        for column in customer_columns:
            # landed values are untrimmed text, matched as the models match them (D105)
            expression = f'upper(trim("{column}"))' if schema == "raw" else f'"{column}"'
            conditions.append(f'{expression} in ({", ".join("?" for _ in searches[column])})')
            values.extend(searches[column])
        columns, rows = warehouse.query(
            f'select * from "{schema}"."{table}" where ' + " or ".join(conditions), values
        )
        if rows:
            records[f"{schema}.{table}"] = [{c: _json_value(v) for c, v in zip(columns, row)} for row in rows]

    status = "found" if pseudonym else ("landed_only" if records else "not_found")
    return {
        "request": {
            "type": "access (GDPR article 15)",
            "customer_id": customer_id,
            "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "warehouse_target": warehouse.target,
        },
        "status": status,
        "status_explained": {
            "found": "the warehouse holds the records below about this customer",
            "landed_only": "the customer is not in the warehouse's models (erased, or never "
                           "used); only the landed exports below still hold them",
            "not_found": "the warehouse holds nothing about this customer number",
        }[status],
        "customer_pseudonym": pseudonym,
        "processing": PROCESSING,
        "records": records,
        "record_counts": {name: len(rows) for name, rows in records.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m subject_access", description=__doc__.split("\n\n")[0])
    parser.add_argument("customer_id")
    parser.add_argument("--out", help="file to write (default build/subject_access/<customer_id>.json)")
    parser.add_argument("--target", default=os.environ.get("DBT_TARGET", "duckdb"))
    parser.add_argument("--duckdb-path", default=os.environ.get("DBT_DUCKDB_PATH", "sales_insights.duckdb"))
    arguments = parser.parse_args(argv)

    # the customer number as the warehouse knows it: trimmed, upper-cased (D100, D105)
    customer_id = arguments.customer_id.strip().upper()
    out = Path(arguments.out or f"build/subject_access/{customer_id}.json")
    warehouse = Warehouse(arguments.target, arguments.duckdb_path)
    try:
        report = subject_access_report(warehouse, customer_id)
    finally:
        warehouse.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    total = sum(report["record_counts"].values())
    print(f"{report['status']}: {total} records in {len(report['records'])} tables -> {out}", file=sys.stderr)
    return 0
