"""The dlt side: one sql_table resource per export view of the OLTP database, read
incrementally on its cursor column, written by dlt's filesystem destination as CSV files
of contract-shaped rows (every value text, as the contract lands it).

dlt keeps the cursors (last value, and the hashes of the rows sharing it, so rows with
the same timestamp as the last run's latest are neither lost nor read twice) in its
pipeline state, in the pipelines directory under the state directory.
"""
from __future__ import annotations

import hashlib
import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from datagen.oltp.connection import OltpSettings

# contract table -> (export view of the OLTP database, cursor column)
EXPORTS = {
    "sales_order_lines": ("export_sales_order_lines", "updated_at"),
    "inventory_snapshots": ("export_inventory_snapshots", "updated_at"),
    "products": ("export_products", "updated_at"),
    "suppliers": ("export_suppliers", "updated_at"),
    "carriers": ("export_carriers", "updated_at"),
    "locations": ("export_locations", "updated_at"),
    "manufacturing_costs": ("export_manufacturing_costs", "updated_at"),
    "post_invoice_deductions": ("export_post_invoice_deductions", "updated_at"),
    "freight_costs": ("export_freight_costs", "updated_at"),
    "erasure_requests": ("export_erasure_requests", "requested_at"),
}
# the deletion log: every order line deleted in the OLTP database, with when
DELETIONS = "deleted_order_lines"
DELETION_COLUMNS = ("order_id", "order_line_number", "deleted_at")
DATASET = "oltp"


def as_text(row: dict) -> dict:
    """Every value as the contract lands it: timestamps `YYYY-MM-DD HH:MM:SS`, dates ISO,
    numbers in plain notation; None stays None (an empty field)."""
    for name, value in row.items():
        if isinstance(value, datetime):
            row[name] = value.strftime("%Y-%m-%d %H:%M:%S")
        elif isinstance(value, date):
            row[name] = value.isoformat()
        elif isinstance(value, (int, Decimal)):
            row[name] = str(value)
    return row


def _configure_dlt() -> None:
    """Before dlt is imported: no telemetry (the machine reaches package registries
    only), warnings only, plain (uncompressed) CSV files the raw loader can read, quoted
    only where needed so that a missing value is an empty unquoted field (read as null
    by every engine's bulk path; dlt's default quotes it, which PostgreSQL reads as '')."""
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")
    os.environ.setdefault("DATA_WRITER__DISABLE_COMPRESSION", "true")
    os.environ.setdefault("NORMALIZE__DATA_WRITER__QUOTING", "quote_minimal")


def pipeline_name(target: str, warehouse_identity: str, oltp: OltpSettings) -> str:
    """One pipeline (hence one set of cursors) per OLTP database and warehouse: pointing
    the same state directory at another warehouse starts that warehouse from scratch."""
    identity = f"{oltp.host}:{oltp.port}/{oltp.database}|{target}|{warehouse_identity}"
    return f"oltp_to_{target}_{hashlib.sha256(identity.encode()).hexdigest()[:10]}"


def resources(oltp: OltpSettings, contract: dict) -> list:
    _configure_dlt()
    import dlt
    from dlt.sources.sql_database import sql_table

    url = oltp.sqlalchemy_url()
    found = []
    for table, (view, cursor) in EXPORTS.items():
        columns = tuple(contract[table].columns) + ((cursor,) if cursor not in contract[table].columns else ())
        found.append(_resource(dlt, sql_table, url, view, table, cursor, columns))
    found.append(_resource(dlt, sql_table, url, DELETIONS, DELETIONS, "deleted_at", DELETION_COLUMNS))
    return found


def _resource(dlt, sql_table, url: str, view: str, name: str, cursor: str, columns: tuple[str, ...]):
    resource = sql_table(credentials=url, table=view, incremental=dlt.sources.incremental(cursor),
                         reflection_level="minimal", backend="sqlalchemy", chunk_size=50_000)
    resource = resource.with_name(name)
    # every column declared as text: no type inference (dlt would turn ISO timestamps into
    # typed values) and every contract column present even when a run's rows are all empty
    resource.apply_hints(table_name=name,
                         columns={column: {"name": column, "data_type": "text", "nullable": True}
                                  for column in columns})
    resource.add_map(as_text)
    return resource


def make_pipeline(name: str, state_dir: Path):
    _configure_dlt()
    import dlt

    landing = state_dir / "landing" / name
    landing.mkdir(parents=True, exist_ok=True)
    return dlt.pipeline(pipeline_name=name, pipelines_dir=str(state_dir / "pipelines"),
                        destination=dlt.destinations.filesystem(bucket_url=landing.resolve().as_uri()),
                        dataset_name=DATASET)


def landing_dir(state_dir: Path, name: str) -> Path:
    return state_dir / "landing" / name / DATASET


def cursors(pipeline, names: list[str]) -> dict[str, str | None]:
    """The cursor of each resource after the run (dlt's pipeline state)."""
    state = pipeline.state.get("sources", {}).get(pipeline.pipeline_name, {}).get("resources", {})
    result = {}
    for name in names:
        incremental = state.get(name, {}).get("incremental", {})
        values = [entry.get("last_value") for entry in incremental.values()]
        result[name] = str(values[0]) if values and values[0] is not None else None
    return result
