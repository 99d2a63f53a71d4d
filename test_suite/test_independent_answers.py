"""Known answers computed from the raw CSVs with plain Python, independently of the
SQL: if a staging rule, a join or an aggregation drifts, these totals disagree."""
import csv
import re
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

import pytest

from conftest import SEEDS_DIR, query

INTEGER = re.compile(r"^[-+]?[0-9]{1,9}$")
DECIMAL = re.compile(r"^[-+]?[0-9]{1,12}([.][0-9]+)?$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}$")
FISCAL_YEAR_START_MONTH = 9


def read_rows(table):
    with open(SEEDS_DIR / f"{table}.csv", newline="", encoding="utf-8-sig") as handle:
        return [tuple(row.items()) for row in csv.DictReader(handle)]


def parse_date(value):
    if not DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def fiscal_year(day):
    return day.year + (1 if day.month >= FISCAL_YEAR_START_MONTH else 0)


def usable_order_line(raw):
    """The contract's rules for one order line, or None when it must be quarantined."""
    row = {key: (value or "").strip() for key, value in raw}
    required = ["order_id", "order_line_number", "order_date", "customer_id", "customer_name",
                "country", "product_id", "quantity", "sales_amount"]
    if any(not row[column] for column in required):
        return None
    if not INTEGER.match(row["order_line_number"]) or not INTEGER.match(row["quantity"]):
        return None
    order_date = parse_date(row["order_date"])
    if order_date is None or int(row["quantity"]) <= 0:
        return None
    if not DECIMAL.match(row["sales_amount"]) or Decimal(row["sales_amount"]) < 0:
        return None
    if row["ship_date"]:
        ship_date = parse_date(row["ship_date"])
        if ship_date is None or ship_date < order_date:
            return None
    if row["discount"] and (not DECIMAL.match(row["discount"]) or not 0 <= Decimal(row["discount"]) <= 1):
        return None
    if row["currency"].upper() not in ("", "EUR"):
        return None
    if row["unit_price"] and (not DECIMAL.match(row["unit_price"]) or Decimal(row["unit_price"]) < 0):
        return None
    if row["profit_amount"] and not DECIMAL.match(row["profit_amount"]):
        return None
    if row["updated_at"] and not TIMESTAMP.match(row["updated_at"]):
        return None
    return {
        "key": (row["order_id"], int(row["order_line_number"])),
        "updated_at": datetime.fromisoformat(row["updated_at"]) if row["updated_at"] else datetime(1900, 1, 1),
        "order_date": order_date,
        "quantity": int(row["quantity"]),
        "sales_amount": Decimal(row["sales_amount"]),
    }


@pytest.fixture(scope="module")
def expected_sales_by_fiscal_year():
    latest = {}
    for raw in set(read_rows("sales_order_lines")):  # identical copies count once
        line = usable_order_line(raw)
        if line is None:
            continue
        current = latest.get(line["key"])
        assert current is None or current["updated_at"] != line["updated_at"], (
            "two different versions of one order line with the same updated_at: "
            "this check assumes the sample has none", line["key"])
        if current is None or line["updated_at"] > current["updated_at"]:
            latest[line["key"]] = line
    totals = defaultdict(lambda: [Decimal(0), 0, 0])
    for line in latest.values():
        bucket = totals[fiscal_year(line["order_date"])]
        bucket[0] += line["sales_amount"]
        bucket[1] += line["quantity"]
        bucket[2] += 1
    return {year: tuple(values) for year, values in totals.items()}


def test_revenue_units_and_lines_per_fiscal_year_match_the_raw_files(db, expected_sales_by_fiscal_year):
    actual = {
        year: (revenue, units, lines)
        for year, revenue, units, lines in query(
            db,
            """
            select dates.fiscal_year, sum(sales.sales_amount), sum(sales.quantity), count(*)
            from core.fct_sales as sales
            inner join core.dim_date as dates on sales.order_date_key = dates.date_key
            group by dates.fiscal_year
            """,
        )
    }
    assert actual == expected_sales_by_fiscal_year
    assert set(actual) == {2024, 2025, 2026}


def test_fiscal_year_revenue_in_the_sales_mart_matches_the_raw_files(db, expected_sales_by_fiscal_year):
    actual = dict(query(db, "select fiscal_year, sum(revenue) from sales.sales_performance_fiscal_year group by 1"))
    assert actual == {year: values[0] for year, values in expected_sales_by_fiscal_year.items()}


def usable_stock_position(raw):
    row = {key: (value or "").strip() for key, value in raw}
    if parse_date(row["snapshot_date"]) is None or row["environment"].lower() not in ("production", "test"):
        return None
    if not row["warehouse_id"] or not row["product_id"]:
        return None
    if not INTEGER.match(row["quantity_on_hand"]) or int(row["quantity_on_hand"]) < 0:
        return None
    for column in ("quantity_reserved", "reorder_point"):
        if row[column] and not INTEGER.match(row[column]):
            return None
    if row["quantity_reserved"] and int(row["quantity_reserved"]) < 0:
        return None
    if row["unit_cost"] and (not DECIMAL.match(row["unit_cost"]) or Decimal(row["unit_cost"]) < 0):
        return None
    if row["currency"].upper() not in ("", "EUR"):
        return None
    return row


def test_on_hand_units_per_snapshot_and_environment_match_the_raw_files(db):
    positions = {}
    for raw in set(read_rows("inventory_snapshots")):
        row = usable_stock_position(raw)
        if row is None:
            continue
        key = (row["snapshot_date"], row["environment"].lower(), row["warehouse_id"], row["product_id"])
        assert key not in positions, ("conflicting rows for one stock position; this check assumes none", key)
        positions[key] = int(row["quantity_on_hand"])
    expected = defaultdict(int)
    for (snapshot_date, environment, _, _), on_hand in positions.items():
        expected[(date.fromisoformat(snapshot_date), environment)] += on_hand
    actual = {
        (snapshot_date, environment): units
        for snapshot_date, environment, units in query(
            db, "select snapshot_date, environment, sum(quantity_on_hand) from core.fct_inventory group by all"
        )
    }
    assert actual == dict(expected)
