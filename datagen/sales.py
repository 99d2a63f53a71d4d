"""The sales_order_lines stream: one row at a time, never the whole table in memory.

Clean order lines are generated chronologically, day by day, each day getting its
share of the lines from the demand profile (seasonality, weekdays, growth). Defects
are then laid over the stream slot by slot (see defects.DefectSchedule): a slot is a
fresh line (clean or mutated), a duplicate of a recent clean line, or the late
correction of a recent clean line. The landing therefore holds exactly the requested
number of rows.
"""

import bisect
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from . import reference as ref
from .defects import (DUPLICATE_ROW, SALES_DEFECT_WEIGHTS, SALES_MUTATIONS, SUPERSEDED,
                      DefectLedger, DefectSchedule)
from .entities import Customer, Product, World
from .schema import column_index
from .timeline import format_timestamp, money, parse_timestamp, timestamp

TABLE = "sales_order_lines"
COL = column_index(TABLE)

DEFECT_RATE = 0.015
CLEAN_HEAD = 100  # the first rows stay clean so that copies and corrections have sources
RECENT_ROWS = 256  # clean rows kept as sources of duplicates and corrections
UNKNOWN_PRODUCT_RATE = 0.005
UNKNOWN_STORE_RATE = 0.002  # of Brick & Mortar orders
UNKNOWN_CARRIER_RATE = 0.002  # of shipped orders
OPTIONAL_BLANK_RATE = 0.015
STRAY_SPACE_RATE = 0.002
EUR_SHOWN_RATE = 0.15  # orders whose currency says EUR instead of being empty

LINE_COUNT_WEIGHTS = (0.45, 0.25, 0.15, 0.10, 0.05)  # 1..5 lines per order
QUANTITY_WEIGHTS = (30, 25, 15, 10, 8, 4, 3, 2, 2, 1)  # quantities 1..10
ONLINE_SHARE = {"Consumer": 0.35, "Corporate": 0.45, "Home Office": 0.55}
ONLINE_SHARE_GROWTH = 0.15  # added over the whole period
DISCOUNT_TEXT = {0: "0", 5: "0.05", 10: "0.1", 15: "0.15", 20: "0.2", 30: "0.3"}
OPTIONAL_LINE_FIELDS = tuple(COL[name] for name in (
    "ship_mode", "carrier_id", "channel", "product_name", "category", "sub_category",
    "unit_price", "discount", "profit_amount"))
STRAY_SPACE_FIELDS = tuple(COL[name] for name in ("customer_name", "city", "product_name"))
UNKNOWN_PRODUCT_IDS = frozenset(product[0] for product in ref.UNKNOWN_PRODUCTS)


@dataclass(frozen=True)
class LineFacts:
    """What a line's amounts were computed from, to build its correction."""

    price_cents: int
    discount_pct: int
    cost_cents: int


@dataclass
class SalesStats:
    """Filled while streaming: unknown references among used rows, lines per customer."""

    unknown_product_id: int = 0
    unknown_carrier_id: int = 0
    unknown_store_id: int = 0
    lines_per_customer: Counter = field(default_factory=Counter)


class RecentRows:
    """A bounded random pool of recent clean rows; each row is handed out at most once."""

    def __init__(self, rng: random.Random, capacity: int) -> None:
        self._rng, self._capacity = rng, capacity
        self._rows: list[tuple[list[str], LineFacts]] = []

    def add(self, entry: tuple[list[str], LineFacts]) -> None:
        if len(self._rows) < self._capacity:
            self._rows.append(entry)
        else:
            self._rows[self._rng.randrange(self._capacity)] = entry

    def take(self) -> tuple[list[str], LineFacts]:
        position = self._rng.randrange(len(self._rows))
        self._rows[position], self._rows[-1] = self._rows[-1], self._rows[position]
        return self._rows.pop()


def _weighted_index(cumulative: list[float], rng: random.Random) -> int:
    return bisect.bisect_right(cumulative, rng.random() * cumulative[-1])


def _cumulative(values: list[float]) -> list[float]:
    total, result = 0.0, []
    for value in values:
        total += value
        result.append(total)
    return result


LINE_COUNT_CUMULATIVE = _cumulative(LINE_COUNT_WEIGHTS)
QUANTITY_CUMULATIVE = _cumulative(QUANTITY_WEIGHTS)


class OrderLines:
    """Generates the landed sales_order_lines rows; see the module docstring."""

    def __init__(self, world: World, seed: int, total_rows: int, ledger: DefectLedger) -> None:
        self.world, self.seed, self.total_rows, self.ledger = world, seed, total_rows, ledger
        self.stats = SalesStats()
        self._rng = random.Random(f"{seed}/sales")
        self._product_cumulative = _cumulative([p.popularity for p in world.products])
        self._customer_cumulative = _cumulative([c.popularity for c in world.customers])
        self._carriers_by_level = {
            level: [c.carrier_id for c in ref.CARRIERS if c.service_level == level]
            for level in ("economy", "standard", "express")}
        self._ship_mode_cumulative = _cumulative([m[1] for m in ref.SHIP_MODES])
        self._discounts = {
            segment: ([pct for pct, _ in options], _cumulative([w for _, w in options]))
            for segment, options in ref.DISCOUNTS_BY_SEGMENT.items()}
        self._stores_by_country: dict[str, list[str]] = {}
        for store in world.stores:
            self._stores_by_country.setdefault(store.country, []).append(store.location_id)

    def _schedule(self) -> DefectSchedule:
        return DefectSchedule(SALES_DEFECT_WEIGHTS, DEFECT_RATE,
                              random.Random(f"{self.seed}/sales-defects"), CLEAN_HEAD)

    def _inserted_rows(self) -> int:
        """Slots that will hold a duplicate or a correction instead of a fresh line."""
        inserted = 0
        for slot, kind in self._schedule():
            if slot >= self.total_rows:
                return inserted
            inserted += kind in (DUPLICATE_ROW, SUPERSEDED)
        raise AssertionError("unreachable: the schedule is endless")

    def rows(self) -> Iterator[list[str]]:
        rng, ledger, stats = self._rng, self.ledger, self.stats
        fresh = self._fresh_lines(self.total_rows - self._inserted_rows())
        recent = RecentRows(random.Random(f"{self.seed}/sales-recent"), RECENT_ROWS)
        schedule = iter(self._schedule())
        next_slot, next_kind = next(schedule)
        for slot in range(self.total_rows):
            kind = None
            if slot == next_slot:
                kind = next_kind
                next_slot, next_kind = next(schedule)
            if kind == DUPLICATE_ROW:
                row, _ = recent.take()
                ledger.record(TABLE, DUPLICATE_ROW)
                yield list(row)
            elif kind == SUPERSEDED:
                row, facts = recent.take()
                ledger.record(TABLE, SUPERSEDED)
                yield self._correction(row, facts)
            else:
                row, facts = next(fresh)
                if kind:
                    SALES_MUTATIONS[kind](row, rng)
                    ledger.record(TABLE, kind)
                else:
                    # A used row: a later correction keeps its references, a copy is
                    # quarantined, so counting clean fresh rows counts the used ones.
                    recent.add((row, facts))
                    stats.unknown_product_id += row[COL["product_id"]] in UNKNOWN_PRODUCT_IDS
                    stats.unknown_carrier_id += row[COL["carrier_id"]] == ref.UNKNOWN_CARRIER_ID
                    stats.unknown_store_id += row[COL["store_id"]] == ref.UNKNOWN_STORE_ID
                    stats.lines_per_customer[row[COL["customer_id"]]] += 1
                yield row

    def _correction(self, original: list[str], facts: LineFacts) -> list[str]:
        """A later version of `original` with another quantity (and so amounts)."""
        rng, row = self._rng, list(original)
        old_quantity = int(row[COL["quantity"]])
        quantity = max(1, old_quantity + rng.choice((-2, -1, 1, 1, 2, 3)))
        if quantity == old_quantity:
            quantity += 1
        sales = _line_amount(quantity, facts.price_cents, facts.discount_pct)
        row[COL["quantity"]] = str(quantity)
        row[COL["sales_amount"]] = money(sales)
        if row[COL["profit_amount"]]:
            row[COL["profit_amount"]] = money(sales - quantity * facts.cost_cents)
        original_at = parse_timestamp(original[COL["updated_at"]])
        corrected_at = min(
            original_at + timedelta(days=rng.randint(1, 20), seconds=rng.randint(60, 36000)),
            datetime.combine(self.world.end, time(23, 59, 59)))
        if corrected_at <= original_at:
            raise AssertionError("a correction must be strictly later than its original")
        row[COL["updated_at"]] = format_timestamp(corrected_at)
        return row

    def _fresh_lines(self, count: int) -> Iterator[tuple[list[str], LineFacts]]:
        """Exactly `count` clean lines, chronologically, spread over the days by weight."""
        weights = self.world.day_weights
        total_weight, cumulative_weight = sum(weights), 0.0
        produced, last_day = 0, len(weights) - 1
        order_number = 0
        for day_index, day in enumerate(self.world.days):
            cumulative_weight += weights[day_index]
            target = (count if day_index == last_day
                      else round(count * cumulative_weight / total_weight))
            progress = day_index / last_day
            while produced < target:
                order_number += 1
                for line in self._order(order_number, day, progress):
                    if produced == count:
                        return
                    yield line
                    produced += 1

    def _pick_customer(self, day: date) -> Customer:
        customers = self.world.customers
        while True:
            customer = customers[_weighted_index(self._customer_cumulative, self._rng)]
            if customer.joined_on <= day:
                return customer

    def _pick_product(self, day: date, taken: set[str]) -> Product:
        products = self.world.products
        while True:
            product = products[_weighted_index(self._product_cumulative, self._rng)]
            if product.is_active(day) and product.product_id not in taken:
                return product

    def _store_for(self, customer: Customer, day: date) -> str | None:
        """The store of a Brick & Mortar order: mostly the customer's home store."""
        open_on = self.world.location_opened_on
        local = [s for s in self._stores_by_country.get(customer.country, ())
                 if open_on[s] <= day]
        if not local:
            return None
        if customer.home_store_id in local and self._rng.random() < 0.9:
            return customer.home_store_id
        return self._rng.choice(local)

    def _order(self, order_number: int, day: date,
               progress: float) -> list[tuple[list[str], LineFacts]]:
        rng = self._rng
        customer = self._pick_customer(day)
        updated_at = timestamp(day, rng.randint(7 * 3600, 22 * 3600 - 1))

        online_share = ONLINE_SHARE[customer.behaviour_segment] + ONLINE_SHARE_GROWTH * progress
        store_id = self._store_for(customer, day) if rng.random() >= online_share else None
        if store_id:
            platform = "Brick & Mortar"
            if rng.random() < UNKNOWN_STORE_RATE:
                store_id = ref.UNKNOWN_STORE_ID
        else:
            platform, store_id = "E-Commerce", ""

        ship_mode, _, (min_days, max_days), levels = ref.SHIP_MODES[
            _weighted_index(self._ship_mode_cumulative, rng)]
        ship_day = day + timedelta(days=rng.randint(min_days, max_days))
        ship_date, carrier_id = "", ""
        if ship_day <= self.world.end:
            ship_date = ship_day.isoformat()
            carrier_id = (ref.UNKNOWN_CARRIER_ID if rng.random() < UNKNOWN_CARRIER_RATE
                          else rng.choice(self._carriers_by_level[rng.choice(levels)]))
        currency = "EUR" if rng.random() < EUR_SHOWN_RATE else ""

        order_id = f"SO-{order_number:08d}"
        head = [order_id, "", day.isoformat(), ship_date, ship_mode, carrier_id,
                customer.customer_id, customer.name, customer.email, customer.phone,
                customer.birth_date, customer.segment, customer.channel, platform,
                customer.country, customer.region, customer.state_province, customer.city,
                customer.postal_code, store_id]
        line_count = 1 + _weighted_index(LINE_COUNT_CUMULATIVE, rng)
        discount_options, discount_cumulative = self._discounts[customer.behaviour_segment]
        taken: set[str] = set()
        lines = []
        for line_number in range(1, line_count + 1):
            if rng.random() < UNKNOWN_PRODUCT_RATE:
                product_id, name, category, sub_category, price = rng.choice(ref.UNKNOWN_PRODUCTS)
                cost = price * 6 // 10
            else:
                product = self._pick_product(day, taken)
                version = product.versions[0]
                for later in product.versions[1:]:
                    if later.valid_from <= day:
                        version = later
                product_id, cost = product.product_id, product.cost_cents
                name, category, sub_category = version.name, version.category, version.sub_category
                price = version.list_cents
            taken.add(product_id)

            quantity = 1 + _weighted_index(QUANTITY_CUMULATIVE, rng)
            if customer.channel == "Distributor":
                quantity *= rng.choice((1, 2, 3, 5))
            if price > 50000:
                quantity = min(quantity, rng.choice((1, 1, 2, 3)))
            discount = discount_options[_weighted_index(discount_cumulative, rng)]
            sales = _line_amount(quantity, price, discount)
            profit = sales - int(quantity * cost * rng.uniform(0.97, 1.06))

            row = head + [product_id, name, category, sub_category, str(quantity),
                          money(price), DISCOUNT_TEXT[discount], money(sales), money(profit),
                          currency, updated_at]
            row[COL["order_line_number"]] = str(line_number)
            self._blemish(row)
            lines.append((row, LineFacts(price, discount, cost)))
        return lines

    def _blemish(self, row: list[str]) -> None:
        """Harmless imperfections of clean rows: an empty optional field, or stray
        whitespace around a text the warehouse trims."""
        draw = self._rng.random()
        if draw < OPTIONAL_BLANK_RATE:
            row[self._rng.choice(OPTIONAL_LINE_FIELDS)] = ""
        elif draw < OPTIONAL_BLANK_RATE + STRAY_SPACE_RATE:
            position = self._rng.choice(STRAY_SPACE_FIELDS)
            row[position] = self._rng.choice((" {}", "{} ", "{}  ")).format(row[position])


def _line_amount(quantity: int, price_cents: int, discount_pct: int) -> int:
    """round(quantity * unit_price * (1 - discount), 2) in cents, half up, exactly."""
    return (quantity * price_cents * (100 - discount_pct) + 50) // 100
