"""Create and fill the OLTP database from datagen's simulated company.

The company (customers, products and their price history, suppliers, carriers,
locations) is datagen's `World`; the orders are datagen's own order stream without its
blemishes; stock counts and finance reference data are datagen's tables. Only what a
typed, constrained OLTP schema can hold is kept: the contract's defects (unparsable
values, duplicates, superseded versions) are datagen's way of imitating a messy export
and are dropped here (the rows datagen.selfcheck classifies as quarantined), and so
are references the masters do not hold (the unknown products' lines; an unknown
carrier or store becomes empty). Rows go in by batched executemany, so a million order
lines takes a few minutes.
"""
from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import duckdb

from .. import finance
from .. import reference as ref
from ..defects import DefectLedger
from ..entities import World, build_world
from ..inventory import InventorySnapshots
from ..sales import COL, UNKNOWN_PRODUCT_IDS, OrderLines
from ..selfcheck import _classify
from ..builders import reference_table_builders
from ..writers import write_csv
from .connection import OltpSettings, connect

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
TRIGGERS_SQL = Path(__file__).with_name("triggers.sql")
BATCH_ROWS = 5000
INVENTORY_FREQUENCY = "monthly"


class CleanOrderLines(OrderLines):
    """datagen's order stream as the operational system holds it: no blank or padded
    fields (those are export blemishes)."""

    def _blemish(self, row: list[str]) -> None:
        return None


def _none(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _day_time(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0, 0))


def sql_statements(path: Path) -> list[str]:
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("--"))
    return [statement.strip() for statement in text.split(";\n") if statement.strip()]


def insert_rows(cursor, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    sql = (f"insert into {table} ({', '.join(columns)}) "
           f"values ({', '.join(['%s'] * len(columns))})")
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            cursor.executemany(sql, batch)
            count += len(batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
        count += len(batch)
    return count


def _used_rows(directory: Path, table: str, columns: str, where: str = "true") -> list[tuple]:
    """The rows of a datagen table that the warehouse would use (datagen.selfcheck's
    independent classification: no reason to quarantine them)."""
    with duckdb.connect() as connection:
        _classify(connection, directory, table)
        return connection.execute(
            f"select {columns} from {table}_classified where reason is null and ({where}) "
            "order by all").fetchall()


class OrderBuffer:
    """Turns the flat order-line stream into orders, lines and shipments."""

    def __init__(self, location_ids: set[str], carrier_ids: set[str], address_of: dict[str, int]):
        self.location_ids, self.carrier_ids, self.address_of = location_ids, carrier_ids, address_of
        self.lines_per_customer: Counter = Counter()

    def split(self, lines: Iterator[tuple[list[str], object]]) -> Iterator[tuple[str, tuple]]:
        """('orders'|'order_lines'|'shipments', row) in insertion order (an order first),
        from datagen's (row, facts) stream."""
        current_order: str | None = None
        line_number = 0
        for row, _ in lines:
            if row[COL["product_id"]] in UNKNOWN_PRODUCT_IDS:
                continue
            order_id = row[COL["order_id"]]
            updated_at = datetime.fromisoformat(row[COL["updated_at"]])
            if order_id != current_order:
                current_order, line_number = order_id, 0
                customer_id = row[COL["customer_id"]]
                store_id = row[COL["store_id"]] if row[COL["store_id"]] in self.location_ids else None
                yield "orders", (order_id, customer_id, self.address_of[customer_id],
                                 date.fromisoformat(row[COL["order_date"]]), _none(row[COL["ship_mode"]]),
                                 _none(row[COL["platform"]]), store_id, _none(row[COL["currency"]]),
                                 updated_at)
                line_updated_at = updated_at
                if row[COL["ship_date"]]:
                    ship_date = date.fromisoformat(row[COL["ship_date"]])
                    carrier = row[COL["carrier_id"]] if row[COL["carrier_id"]] in self.carrier_ids else None
                    # the shipment moves its lines' updated_at on (as its trigger does later)
                    line_updated_at = max(updated_at, _day_time(ship_date, 18))
                    yield "shipments", (order_id, ship_date, carrier, line_updated_at)
            line_number += 1
            self.lines_per_customer[row[COL["customer_id"]]] += 1
            yield "order_lines", (order_id, line_number, row[COL["product_id"]],
                                  int(row[COL["quantity"]]), Decimal(row[COL["unit_price"]]),
                                  Decimal(row[COL["discount"]]), Decimal(row[COL["sales_amount"]]),
                                  Decimal(row[COL["profit_amount"]]), line_updated_at)


ORDER_COLUMNS = {
    "orders": ("order_id", "customer_id", "ship_to_address_id", "order_date", "ship_mode",
               "platform", "store_id", "currency", "updated_at"),
    "order_lines": ("order_id", "order_line_number", "product_id", "quantity", "unit_price",
                    "discount", "sales_amount", "profit_amount", "updated_at"),
    "shipments": ("order_id", "ship_date", "carrier_id", "updated_at"),
}


def _insert_orders(cursor, stream: Iterator[tuple[str, tuple]]) -> dict[str, int]:
    """Orders before their lines and shipments, in batches (foreign keys hold at every insert)."""
    counts = Counter()
    buffers: dict[str, list[tuple]] = {table: [] for table in ORDER_COLUMNS}

    def flush() -> None:
        for table in ORDER_COLUMNS:  # orders first
            counts[table] += insert_rows(cursor, table, ORDER_COLUMNS[table], buffers[table])
            buffers[table] = []

    for table, row in stream:
        buffers[table].append(row)
        if len(buffers["order_lines"]) >= BATCH_ROWS and table == "orders":
            # the order just read has no lines yet: keep it for the next batch
            pending = buffers["orders"].pop()
            flush()
            buffers["orders"].append(pending)
    flush()
    return dict(counts)


def _masters(world: World, landing: Path, cursor, opened: datetime) -> dict[str, int]:
    counts = {}
    suppliers = _used_rows(landing, "suppliers", "trim(supplier_id), trim(supplier_name), "
                           "nullif(trim(country), ''), nullif(trim(contact_name), ''), "
                           "nullif(trim(contact_email), ''), try_cast(lead_time_days as integer), "
                           "cast(updated_at as timestamp)")
    counts["suppliers"] = insert_rows(cursor, "suppliers", (
        "supplier_id", "supplier_name", "country", "contact_name", "contact_email",
        "lead_time_days", "updated_at"), suppliers)
    carriers = _used_rows(landing, "carriers", "trim(carrier_id), trim(carrier_name), "
                          "nullif(trim(service_level), ''), cast(updated_at as timestamp)")
    counts["carriers"] = insert_rows(cursor, "carriers", (
        "carrier_id", "carrier_name", "service_level", "updated_at"), carriers)
    locations = _used_rows(landing, "locations", "trim(location_id), trim(location_name), "
                           "trim(location_type), nullif(trim(city), ''), nullif(trim(region), ''), "
                           "nullif(trim(country), ''), try_cast(opened_on as date)")
    counts["locations"] = insert_rows(cursor, "locations", (
        "location_id", "location_name", "location_type", "city", "region", "country", "opened_on",
        "updated_at"), [row + (opened,) for row in locations])
    supplier_ids = {row[0] for row in suppliers}
    products = _used_rows(landing, "products", "trim(product_id), trim(product_name), "
                          "nullif(trim(category), ''), nullif(trim(sub_category), ''), "
                          "nullif(trim(brand), ''), nullif(trim(supplier_id), ''), "
                          "try_cast(launched_on as date), try_cast(discontinued_on as date), "
                          "cast(updated_at as timestamp)")
    counts["products"] = insert_rows(cursor, "products", (
        "product_id", "product_name", "category", "sub_category", "brand", "supplier_id",
        "launched_on", "discontinued_on", "updated_at"),
        [row[:5] + (row[5] if row[5] in supplier_ids else None,) + row[6:] for row in products])
    product_ids = {row[0] for row in products}
    prices = []
    for product in world.products:
        if product.product_id not in product_ids:
            continue
        for version in product.versions:
            prices.append((product.product_id, version.valid_from or product.launched_on,
                           Decimal(version.list_cents) / 100, Decimal(product.cost_cents) / 100,
                           datetime.fromisoformat(version.updated_at)))
    counts["product_prices"] = insert_rows(cursor, "product_prices", (
        "product_id", "valid_from", "unit_list_price", "unit_standard_cost", "updated_at"), prices)
    customers, addresses = [], []
    for number, customer in enumerate(world.customers, start=1):
        joined = _day_time(customer.joined_on)
        customers.append((customer.customer_id, customer.name, _none(customer.email),
                          _none(customer.phone),
                          date.fromisoformat(customer.birth_date) if customer.birth_date else None,
                          _none(customer.segment), _none(customer.channel), joined))
        addresses.append((number, customer.customer_id, customer.country, _none(customer.region),
                          _none(customer.state_province), _none(customer.city),
                          _none(customer.postal_code), joined))
    counts["customers"] = insert_rows(cursor, "customers", (
        "customer_id", "customer_name", "email", "phone", "birth_date", "segment", "channel",
        "updated_at"), customers)
    counts["addresses"] = insert_rows(cursor, "addresses", (
        "address_id", "customer_id", "country", "region", "state_province", "city", "postal_code",
        "updated_at"), addresses)
    return counts


def _reference_data(landing: Path, cursor, product_ids: set[str], location_ids: set[str],
                    customer_ids: set[str], opened: datetime) -> dict[str, int]:
    counts = {}
    stock = _used_rows(
        landing, "inventory_snapshots",
        "cast(snapshot_date as date), trim(environment), trim(warehouse_id), trim(product_id), "
        "cast(quantity_on_hand as integer), try_cast(quantity_reserved as integer), "
        "try_cast(reorder_point as integer), try_cast(unit_cost as decimal(12, 2)), "
        "nullif(trim(currency), '')")
    counts["stock_counts"] = insert_rows(cursor, "stock_counts", (
        "count_date", "environment", "warehouse_id", "product_id", "quantity_on_hand",
        "quantity_reserved", "reorder_point", "unit_cost", "currency", "updated_at"),
        (row + (datetime.combine(row[0], time(23, 0, 0)),) for row in stock
         if row[2] in location_ids and row[3] in product_ids))
    costs = _used_rows(landing, "manufacturing_costs", "trim(product_id), cast(fiscal_year as integer), "
                       "cast(unit_manufacturing_cost as decimal(12, 2))")
    counts["manufacturing_costs"] = insert_rows(cursor, "manufacturing_costs", (
        "product_id", "fiscal_year", "unit_manufacturing_cost", "updated_at"),
        (row + (opened,) for row in costs if row[0] in product_ids))
    deductions = _used_rows(landing, "post_invoice_deductions", "trim(customer_id), "
                            "cast(fiscal_year as integer), cast(deduction_pct as decimal(6, 4))")
    counts["post_invoice_deductions"] = insert_rows(cursor, "post_invoice_deductions", (
        "customer_id", "fiscal_year", "deduction_pct", "updated_at"),
        (row + (opened,) for row in deductions if row[0] in customer_ids))
    freight = _used_rows(landing, "freight_costs", "trim(country), cast(fiscal_year as integer), "
                         "cast(freight_pct as decimal(6, 4)), try_cast(other_cost_pct as decimal(6, 4))")
    counts["freight_costs"] = insert_rows(cursor, "freight_costs", (
        "country", "fiscal_year", "freight_pct", "other_cost_pct", "updated_at"),
        (row + (opened,) for row in freight))
    return counts


def create(settings: OltpSettings, order_lines: int, seed: int, start: date, end: date,
           say=print) -> dict[str, int]:
    """(Re)create the database and fill it; returns the rows per table."""
    world = build_world(seed, start, end)
    ledger = DefectLedger()  # datagen's builders record their defects; dropped here
    opened = _day_time(start, 0)
    server = connect(settings, with_database=False)
    try:
        with server.cursor() as cursor:
            cursor.execute(f"drop database if exists `{settings.database}`")
            cursor.execute(f"create database `{settings.database}` "
                           "character set utf8mb4 collate utf8mb4_bin")
        server.commit()
    finally:
        server.close()

    connection = connect(settings)
    counts: dict[str, int] = {}
    try:
        with connection.cursor() as cursor, tempfile.TemporaryDirectory(prefix="oltp_") as tmp:
            for statement in sql_statements(SCHEMA_SQL):
                cursor.execute(statement)
            landing = Path(tmp)
            builders = {
                **reference_table_builders(world, seed, ledger),
                "inventory_snapshots": lambda: InventorySnapshots(
                    world, seed, INVENTORY_FREQUENCY, order_lines, ledger).rows(),
            }
            for table, build in builders.items():
                write_csv(landing / f"{table}.csv", table, build())
            say("oltp: masters")
            counts.update(_masters(world, landing, cursor, opened))
            cursor.execute("select location_id from locations")
            location_ids = {row[0] for row in cursor.fetchall()}
            cursor.execute("select customer_id, address_id from addresses")
            address_of = dict(cursor.fetchall())
            carrier_ids = {carrier.carrier_id for carrier in ref.CARRIERS}
            say(f"oltp: orders ({order_lines:,} order lines)")
            orders = OrderBuffer(location_ids, carrier_ids, address_of)
            stream = CleanOrderLines(world, seed, order_lines, ledger)._fresh_lines(order_lines)
            counts.update(_insert_orders(cursor, orders.split(stream)))
            cursor.execute("select product_id from products")
            product_ids = {row[0] for row in cursor.fetchall()}
            say("oltp: stock counts and finance reference data")
            counts.update(_reference_data(landing, cursor, product_ids, location_ids,
                                          set(address_of), opened))
            erasures = {row[0]: datetime.fromisoformat(row[1]) for row in finance.erasure_rows(
                world, seed, orders.lines_per_customer, ledger)}
            counts["erasure_requests"] = insert_rows(
                cursor, "erasure_requests", ("customer_id", "requested_at"), sorted(erasures.items()))
            for statement in sql_statements(TRIGGERS_SQL):
                cursor.execute(statement)
        connection.commit()
    finally:
        connection.close()
    return counts
