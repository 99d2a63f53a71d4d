"""One more day of landed data on top of a generated (or the committed) landing.

    python -m datagen.increment --from DIR --out DELTA_DIR [--seed 42] [--erasures 0]
        [--product-versions 0] [--rate-changes 0] [--redated-days 0]

Writes, for the day after the last order date in DIR, the files a daily export would
deliver, to be appended with `scripts/load_raw.sh --mode append`:

- sales_order_lines.csv: the day's new order lines (as many as the average day of the
  last four weeks, each copied from a recent line: same customer, product and price
  level, new order numbers) and the day's corrections of earlier lines, each a later
  version of the line (same order_id and line number, later `updated_at`): a third of
  the last week's open lines, which ship today (ship date and carrier filled in), and quantity
  corrections on 1 % of the lines of the last two weeks; with --redated-days N, every
  line of N days of the last two weeks re-dated a day later, never after its ship date
  (a day exported with the wrong date, then corrected: the day is left without orders);
- inventory_snapshots.csv: the day's stock positions (those of the last snapshot date,
  with the day's movements);
- erasure_requests.csv (only with --erasures N): N customers with order lines ask to
  be erased;
- products.csv (only with --product-versions N): the whole product master again (it
  lands by replace), N products sold in the last four weeks with a new version: a
  standard cost 5 % higher, updated a week before the day (a change of the master that
  reaches the export late, so that lines already built fall under it);
- freight_costs.csv (only with --rate-changes N): the whole freight table again (it lands
  by replace), the freight rate of N country × fiscal year rows corrected (+0.0010).

Same arguments and input, same bytes. The summary (counts, correction share) goes to
_increment.json beside the files.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from .schema import TABLES

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _reader(directory: Path, table: str) -> str:
    parquet, csv_path = directory / f"{table}.parquet", directory / f"{table}.csv"
    if parquet.is_file():
        return f"read_parquet('{parquet}')"
    return (f"read_csv('{csv_path}', header = true, all_varchar = true, delim = ',', "
            "quote = '\"', escape = '\"')")


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _timestamp(day: date, rng: random.Random) -> str:
    seconds = rng.randrange(8 * 3600, 20 * 3600)
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _recompute_amounts(row: dict, quantity: int) -> None:
    """New quantity, the line amount recomputed as the generator does; profit scaled."""
    try:
        price, discount = Decimal(row["unit_price"]), Decimal(row["discount"] or "0")
        old_quantity, profit = int(row["quantity"]), Decimal(row["profit_amount"] or "0")
    except (ArithmeticError, ValueError):
        return
    row["quantity"] = str(quantity)
    row["sales_amount"] = _money(quantity * price * (1 - discount))
    if row["profit_amount"]:
        row["profit_amount"] = _money(profit * quantity / old_quantity)


def _all_rows(source: Path, table: str) -> list[dict]:
    with duckdb.connect() as connection:
        cursor = connection.execute(f"select * from {_reader(source, table)}")
        names = [column[0] for column in cursor.description]
        return [{name: ("" if value is None else value) for name, value in zip(names, values)}
                for values in cursor.fetchall()]


def _product_versions(source: Path, day: date, sold: list[str], count: int, rng: random.Random) -> list[dict]:
    """The product master with `count` of the products sold lately in a new version."""
    products = _all_rows(source, "products")
    candidates = sorted({product_id for product_id in sold} & {row["product_id"] for row in products
                                                             if row["unit_standard_cost"]})
    changed = set(rng.sample(candidates, k=min(count, len(candidates))))
    for row in products:
        if row["product_id"] in changed:
            row["unit_standard_cost"] = _money(Decimal(row["unit_standard_cost"]) * Decimal("1.05"))
            row["updated_at"] = _timestamp(day - timedelta(days=7), rng)
    return products


def _rate_changes(source: Path, count: int, rng: random.Random) -> list[dict]:
    """The freight table with `count` rates corrected."""
    rates = _all_rows(source, "freight_costs")
    for row in rng.sample(rates, k=min(count, len(rates))):
        row["freight_pct"] = str(Decimal(row["freight_pct"]) + Decimal("0.0010"))
    return rates


def build_increment(source: Path, seed: int, erasures: int, product_versions: int = 0,
                    rate_changes: int = 0, redated_days: int = 0) -> tuple[date, dict[str, list[dict]], dict]:
    rng = random.Random(f"{seed}:increment")
    columns = TABLES["sales_order_lines"]
    with duckdb.connect() as connection:
        connection.execute(f"create view lines as select * from {_reader(source, 'sales_order_lines')}")
        # only well-formed lines serve as templates and get corrected: a defect stays a defect
        connection.execute(f"""
            create view clean_lines as
            select * from lines
            where regexp_matches(order_date, '{ISO_DATE}') and try_cast(order_date as date) is not null
              and regexp_matches(coalesce(ship_date, ''), '^(\\d{{4}}-\\d{{2}}-\\d{{2}})?$')
              and regexp_matches(quantity, '^\\d+$') and cast(quantity as bigint) > 0
              and regexp_matches(coalesce(unit_price, ''), '^\\d+\\.\\d+$')
              and regexp_matches(coalesce(discount, '0'), '^(0|0\\.\\d+)$')
              and regexp_matches(sales_amount, '^\\d+\\.\\d+$')
              and coalesce(currency, 'EUR') = 'EUR'
              and order_id is not null and regexp_matches(order_line_number, '^\\d+$')
              and customer_id is not null and customer_name is not null and country is not null
              and product_id is not null
              and updated_at is not null""")
        last_day = connection.execute(
            "select max(cast(order_date as date)) from clean_lines").fetchone()[0]
        day = last_day + timedelta(days=1)
        select_columns = ", ".join(columns)
        recent = connection.execute(
            f"select {select_columns} from clean_lines where cast(order_date as date) > ? "
            "order by order_id, try_cast(order_line_number as integer), updated_at",
            [last_day - timedelta(days=28)]).fetchall()
        # the latest version of each recent line (a correction must follow the latest)
        latest: dict[tuple[str, str], dict] = {}
        for values in recent:
            row = {name: ("" if value is None else value) for name, value in zip(columns, values)}
            key = (row["order_id"], row["order_line_number"])
            if key not in latest or row["updated_at"] >= latest[key]["updated_at"]:
                latest[key] = row
        customers = [value for (value,) in connection.execute(
            "select distinct customer_id from clean_lines order by 1").fetchall()]
        inventory_columns = TABLES["inventory_snapshots"]
        connection.execute(
            f"create view positions as select * from {_reader(source, 'inventory_snapshots')}")
        last_snapshot = connection.execute(
            f"select max(try_cast(snapshot_date as date)) from positions "
            f"where regexp_matches(snapshot_date, '{ISO_DATE}')").fetchone()[0].isoformat()
        positions = connection.execute(
            f"select distinct {', '.join(inventory_columns)} from positions where snapshot_date = ? "
            "and regexp_matches(quantity_on_hand, '^\\d+$') and environment in ('production', 'test') "
            f"order by {', '.join(inventory_columns)}", [last_snapshot]).fetchall()

    templates = sorted(latest.values(), key=lambda row: (row["order_id"], row["order_line_number"]))
    daily_lines = max(1, round(len(templates) / 28))
    new_lines: list[dict] = []
    order_number = 0
    while len(new_lines) < daily_lines:
        order_number += 1
        order_id = f"SO-{day:%Y%m%d}-{order_number:05d}"
        customer = rng.choice(templates)
        for line_number in range(1, min(rng.randint(1, 3), daily_lines - len(new_lines)) + 1):
            product = rng.choice(templates)
            row = dict(customer)
            for name in ("product_id", "product_name", "category", "sub_category", "unit_price",
                         "discount", "quantity", "sales_amount", "profit_amount"):
                row[name] = product[name]
            row.update(order_id=order_id, order_line_number=str(line_number),
                       order_date=day.isoformat(), updated_at=_timestamp(day, rng))
            if row["ship_mode"] == "Same Day":
                row["ship_date"], row["carrier_id"] = day.isoformat(), product["carrier_id"] or customer["carrier_id"]
            else:
                row["ship_date"], row["carrier_id"] = "", ""
            new_lines.append(row)

    corrections: list[dict] = []
    shipped_carriers = {row["ship_mode"]: row["carrier_id"] for row in templates if row["carrier_id"]}
    for row in templates:
        # about a third of the last week's open lines ship on a given day
        if (not row["ship_date"] and row["order_date"] >= (day - timedelta(days=7)).isoformat()
                and rng.random() < 0.35):
            corrected = dict(row, ship_date=day.isoformat(), updated_at=_timestamp(day, rng),
                             carrier_id=row["carrier_id"] or shipped_carriers.get(row["ship_mode"], ""))
            corrections.append(corrected)
    shipping_updates = len(corrections)
    corrected_keys = {(row["order_id"], row["order_line_number"]) for row in corrections}
    two_weeks = [row for row in templates if row["order_date"] >= (day - timedelta(days=14)).isoformat()
                 and (row["order_id"], row["order_line_number"]) not in corrected_keys]
    for row in rng.sample(two_weeks, k=max(1, len(two_weeks) // 100)):
        corrected = dict(row, updated_at=_timestamp(day, rng))
        _recompute_amounts(corrected, max(1, int(row["quantity"]) + rng.choice((-1, 1))))
        corrections.append(corrected)
    quantity_corrections = len(corrections) - shipping_updates

    latest_correction = {(row["order_id"], row["order_line_number"]): row for row in corrections}
    days = sorted({row["order_date"] for row in templates
                   if (day - timedelta(days=14)).isoformat() <= row["order_date"] < last_day.isoformat()})
    redated_lines = 0
    for redated in rng.sample(days, k=min(redated_days, len(days))):
        for row in (row for row in templates if row["order_date"] == redated):
            line = latest_correction.get((row["order_id"], row["order_line_number"]))
            if line is None:
                line = dict(row, updated_at=_timestamp(day, rng))
                corrections.append(line)
            line["order_date"] = (date.fromisoformat(redated) + timedelta(days=1)).isoformat()
            if line["ship_date"] and line["ship_date"] < line["order_date"]:
                line["ship_date"] = line["order_date"]
            redated_lines += 1

    new_positions = []
    for values in positions:
        row = dict(zip(inventory_columns, ("" if value is None else value for value in values)))
        on_hand = max(0, int(row["quantity_on_hand"]) + rng.randint(-2, 2))
        reserved = min(on_hand, int(row["quantity_reserved"] or 0))
        row.update(snapshot_date=day.isoformat(), quantity_on_hand=str(on_hand),
                   quantity_reserved=str(reserved) if row["quantity_reserved"] else "")
        new_positions.append(row)

    erasure_rows = [{"customer_id": customer_id, "requested_at": _timestamp(day, rng)}
                    for customer_id in rng.sample(customers, k=min(erasures, len(customers)))]
    tables = {"sales_order_lines": new_lines + corrections, "inventory_snapshots": new_positions}
    if erasure_rows:
        tables["erasure_requests"] = erasure_rows
    if product_versions:
        tables["products"] = _product_versions(source, day, [row["product_id"] for row in templates],
                                               product_versions, rng)
    if rate_changes:
        tables["freight_costs"] = _rate_changes(source, rate_changes, rng)
    summary = {"day": day.isoformat(), "new_order_lines": len(new_lines),
               "corrected_order_lines": len(corrections), "shipping_updates": shipping_updates,
               "quantity_corrections": quantity_corrections,
               "redated_order_lines": redated_lines,
               "correction_share_of_day": round(len(corrections) / max(len(new_lines + corrections), 1), 4),
               "inventory_positions": len(new_positions), "erasure_requests": len(erasure_rows),
               "product_versions": product_versions and min(product_versions, len(tables.get("products", []))),
               "freight_rate_changes": rate_changes and min(rate_changes, len(tables.get("freight_costs", [])))}
    return day, tables, summary


def write(out: Path, tables: dict[str, list[dict]], summary: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        with (out / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=TABLES[table], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    (out / "_increment.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m datagen.increment", description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, required=True, help="the landing to extend")
    parser.add_argument("--out", type=Path, required=True, help="where to write the day's files")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--erasures", type=int, default=0, help="erasure requests to add (default 0)")
    parser.add_argument("--product-versions", type=int, default=0,
                        help="products sold lately that get a new version (default 0)")
    parser.add_argument("--rate-changes", type=int, default=0, help="freight rates to correct (default 0)")
    parser.add_argument("--redated-days", type=int, default=0,
                        help="days of the last two weeks whose every line is re-dated a day later (default 0)")
    args = parser.parse_args(argv)
    _, tables, summary = build_increment(args.source, args.seed, args.erasures, args.product_versions,
                                         args.rate_changes, args.redated_days)
    write(args.out, tables, summary)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
