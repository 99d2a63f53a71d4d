"""Command line: generate every raw table of the contract into one directory."""

import argparse
import json
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from . import finance
from .builders import reference_table_builders
from .defects import DefectLedger
from .entities import build_world
from .inventory import InventorySnapshots
from .sales import OrderLines
from .schema import TABLES
from .writers import csv_to_parquet, write_csv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = {"seed": 42, "format": "csv", "inventory_frequency": "monthly",
            "start": date(2023, 9, 1), "end": date(2026, 8, 31)}
# --sample: the committed seeds, three fiscal years (FY2024-FY2026).
SAMPLE = {**DEFAULTS, "order_lines": 12000, "out": PROJECT_ROOT / "seeds" / "raw"}
MIN_ORDER_LINES = 1000
MIN_DAYS = 365


def _order_lines(text: str) -> int:
    value = int(text)
    if value < MIN_ORDER_LINES:
        raise argparse.ArgumentTypeError(f"at least {MIN_ORDER_LINES}")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m datagen",
        description="Generate the raw source tables of Sales Insights, with a controlled "
                    "share of defects, and a manifest of what the warehouse must quarantine.")
    parser.add_argument("--sample", action="store_true",
                        help="the committed sample: --order-lines 12000 --seed 42 --out "
                             "seeds/raw (of this repository) --format csv "
                             "--inventory-frequency monthly --start 2023-09-01 --end 2026-08-31")
    parser.add_argument("--order-lines", type=_order_lines,
                        help="rows of sales_order_lines, duplicates and corrections included")
    parser.add_argument("--seed", type=int, help="default 42")
    parser.add_argument("--out", type=Path, help="output directory (created if needed)")
    parser.add_argument("--format", choices=("csv", "parquet", "both"), help="default csv")
    parser.add_argument("--inventory-frequency", choices=("monthly", "weekly", "daily"),
                        help="snapshot dates: month ends (default), Sundays or every day")
    parser.add_argument("--start", type=date.fromisoformat, help="first day (default 2023-09-01)")
    parser.add_argument("--end", type=date.fromisoformat, help="last day (default 2026-08-31)")
    args = parser.parse_args(argv)

    options = ("order_lines", "seed", "out", "format", "inventory_frequency", "start", "end")
    if args.sample:
        given = [name for name in options if getattr(args, name) is not None]
        if given:
            parser.error(f"--sample fixes all options; drop {', '.join(given)}")
        for name, value in SAMPLE.items():
            setattr(args, name, value)
        return args
    if args.order_lines is None or args.out is None:
        parser.error("--order-lines and --out are required (or use --sample)")
    for name, value in DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if (args.end - args.start).days + 1 < MIN_DAYS:
        parser.error(f"--start to --end must cover at least {MIN_DAYS} days")
    return args


def generate(args: argparse.Namespace) -> dict:
    """Write every table into args.out and return the manifest (also written there)."""
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    seed = args.seed
    world = build_world(seed, args.start, args.end)
    ledger = DefectLedger()
    sales = OrderLines(world, seed, args.order_lines, ledger)
    inventory = InventorySnapshots(world, seed, args.inventory_frequency, args.order_lines,
                                   ledger)
    # Built lazily, in this order: erasure requests need the sales statistics.
    builders: dict[str, Callable[[], Iterable[list[str]]]] = {
        "sales_order_lines": sales.rows,
        "inventory_snapshots": inventory.rows,
        **reference_table_builders(world, seed, ledger),
        "erasure_requests": lambda: finance.erasure_rows(
            world, seed, sales.stats.lines_per_customer, ledger),
    }
    assert list(builders) == list(TABLES)

    row_counts = {}
    for table, build in builders.items():
        csv_path, parquet_path = out / f"{table}.csv", out / f"{table}.parquet"
        row_counts[table] = write_csv(csv_path, table, build())
        if args.format in ("parquet", "both"):
            csv_to_parquet(csv_path, parquet_path)
        else:
            parquet_path.unlink(missing_ok=True)  # stale output of an earlier run
        if args.format == "parquet":
            csv_path.unlink()

    manifest = {
        "args": {"order_lines": args.order_lines, "seed": seed, "format": args.format,
                 "inventory_frequency": args.inventory_frequency,
                 "start": args.start.isoformat(), "end": args.end.isoformat()},
        "row_counts": row_counts,
        "defects": ledger.as_manifest(),
        # Used (not quarantined) rows whose reference the master data does not hold.
        "unknown_references": {
            "sales_order_lines": {
                "product_id": sales.stats.unknown_product_id,
                "carrier_id": sales.stats.unknown_carrier_id,
                "store_id": sales.stats.unknown_store_id},
            "inventory_snapshots": {
                "product_id": inventory.stats.unknown_product_id,
                "warehouse_id": inventory.stats.unknown_warehouse_id},
        },
    }
    (out / "_manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    generate(parse_args(argv))
