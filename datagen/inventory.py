"""The inventory_snapshots stream.

Stock positions (warehouse x product) are simulated day by day: Poisson demand that
follows the sales profile, a reorder-point policy that orders up to a target level,
and supplier lead times with occasional delays, which is where the genuine stock-outs
come from. At every snapshot date the positions are exported twice: from
`production`, and from `test`, a copy that drifts (small differences on about 10% of
the rows, and a few rows present in one environment only).
"""

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from . import reference as ref
from .defects import (DUPLICATE_ROW, INVENTORY_DEFECT_WEIGHTS, INVENTORY_MUTATIONS,
                      DefectLedger, DefectSchedule)
from .entities import Product, World
from .schema import column_index
from .timeline import money, poisson, snapshot_dates

TABLE = "inventory_snapshots"
COL = column_index(TABLE)
OPTIONAL_FIELDS = tuple(COL[name] for name in ("quantity_reserved", "reorder_point", "unit_cost"))
DEFECT_RATE = 0.01
UNITS_PER_LINE = 3.2  # average quantity of an order line
DC_DEMAND_SHARE = {"DC-01": 0.30, "DC-02": 0.20, "DC-03": 0.10}
STORES_DEMAND_SHARE = 0.40  # split evenly over the stores
STORE_RANGE = 20  # products stocked by each store
DELAY_RATE = 0.08  # replenishments arriving late
TEST_DRIFT_RATE = 0.10
PRODUCTION_ONLY_RATE = 0.002
TEST_ONLY_RATE = 0.001
OPTIONAL_BLANK_RATE = 0.005


@dataclass
class Position:
    """One warehouse x product stock position and its replenishment policy."""

    warehouse_id: str
    product: Product
    opens_on: date
    daily_demand: float  # average units per day at a day weight of 1
    lead_time_days: int
    reorder_point: int
    order_up_to: int
    currency: str
    on_hand: int = -1  # -1 until the position opens
    on_order: int = 0
    arrives_on_day: int = -1

    def is_active(self, day: date) -> bool:
        return self.opens_on <= day and self.product.is_active(day)


@dataclass
class InventoryStats:
    """Rows with references the masters do not hold (all of them used, not quarantined)."""

    unknown_product_id: int = 0
    unknown_warehouse_id: int = 0


class InventorySnapshots:
    def __init__(self, world: World, seed: int, frequency: str, order_lines: int,
                 ledger: DefectLedger) -> None:
        self.world, self.seed, self.ledger = world, seed, ledger
        self.stats = InventoryStats()
        self.dates = snapshot_dates(world.start, world.end, frequency)
        self._rng = random.Random(f"{seed}/inventory")
        self._drift_rng = random.Random(f"{seed}/inventory-test")
        units_per_day = order_lines * UNITS_PER_LINE / len(world.days)
        self.positions = self._build_positions(units_per_day)

    def _build_positions(self, units_per_day: float) -> list[Position]:
        rng, world = self._rng, self.world
        total_popularity = sum(p.popularity for p in world.products)
        lead_times = {s.supplier_id: s.versions[-1].lead_time_days for s in world.suppliers}
        positions = []

        def add(location: ref.Location, product: Product, demand: float,
                lead_time: int, cycle_days: int, minimum_lot: int) -> None:
            reorder_point = max(1, math.ceil(demand * (lead_time + 3)))
            positions.append(Position(
                location.location_id, product, world.location_opened_on[location.location_id],
                demand, lead_time, reorder_point,
                reorder_point + max(minimum_lot, math.ceil(demand * cycle_days)),
                "EUR" if location.location_type == "distribution_center" else ""))

        for dc in world.distribution_centers:
            for product in world.products:
                demand = units_per_day * DC_DEMAND_SHARE[dc.location_id] * (
                    product.popularity / total_popularity)
                add(dc, product, demand, lead_times[product.supplier_id], 30, 6)
        store_share = STORES_DEMAND_SHARE / len(world.stores)
        for store in world.stores:
            stocked = self._store_range(world.products)
            stocked_popularity = sum(p.popularity for p in stocked)
            for product in sorted(stocked, key=lambda p: p.product_id):
                demand = units_per_day * store_share * product.popularity / stocked_popularity
                add(store, product, demand, rng.randint(2, 4), 14, 3)
        return positions

    def _store_range(self, products: list[Product]) -> list[Product]:
        """STORE_RANGE products, popular ones more likely."""
        candidates, stocked = list(products), []
        while len(stocked) < STORE_RANGE:
            pick = self._rng.choices(candidates, weights=[p.popularity for p in candidates])[0]
            candidates.remove(pick)
            stocked.append(pick)
        return stocked

    def rows(self) -> Iterator[list[str]]:
        """Rows by snapshot date, then environment (production first), then position."""
        rng, world = self._rng, self.world
        mean_weight = sum(world.day_weights) / len(world.day_weights)
        snapshot_days = set(self.dates)
        unknown_product_dates = set(rng.sample(self.dates, max(2, len(self.dates) // 12)))
        unknown_warehouse_dates = set(rng.sample(self.dates, max(1, len(self.dates) // 18)))
        schedule = iter(DefectSchedule(INVENTORY_DEFECT_WEIGHTS, DEFECT_RATE,
                                       random.Random(f"{self.seed}/inventory-defects")))
        next_defect = next(schedule)
        slot = 0
        for day_index, day in enumerate(world.days):
            day_factor = world.day_weights[day_index] / mean_weight
            self._simulate_day(day_index, day, day_factor)
            if day not in snapshot_days:
                continue
            for environment, positions in self._export(day, day_factor):
                extra = self._unknown_reference_rows(
                    day, environment, day in unknown_product_dates,
                    day in unknown_warehouse_dates)
                copies = []
                for row in positions:
                    if slot == next_defect[0]:
                        kind = next_defect[1]
                        next_defect = next(schedule)
                        if kind == DUPLICATE_ROW:
                            copies.append(list(row))
                        else:
                            INVENTORY_MUTATIONS[kind](row, rng)
                        self.ledger.record(TABLE, kind)
                    slot += 1
                    yield row
                yield from extra
                yield from copies

    def _simulate_day(self, day_index: int, day: date, day_factor: float) -> None:
        """One day of demand and replenishment for every open position."""
        rng = self._rng
        for position in self.positions:
            if not position.is_active(day):
                continue
            if position.on_hand < 0:
                position.on_hand = rng.randint(position.reorder_point + 1, position.order_up_to)
            if position.arrives_on_day == day_index:
                position.on_hand += position.on_order
                position.on_order = 0
            demand = poisson(rng, position.daily_demand * day_factor)
            position.on_hand = max(0, position.on_hand - demand)
            if position.on_order == 0 and position.on_hand <= position.reorder_point:
                position.on_order = position.order_up_to - position.on_hand
                delay = rng.randint(3, 21) if rng.random() < DELAY_RATE else 0
                position.arrives_on_day = day_index + position.lead_time_days + delay

    def _export(self, day: date, day_factor: float) -> list[tuple[str, list[list[str]]]]:
        """The production and test rows of the open positions on a snapshot day."""
        rng, drift = self._rng, self._drift_rng
        day_text = day.isoformat()
        production, test = [], []
        for position in self.positions:
            if not position.is_active(day):
                continue
            on_hand = position.on_hand
            reserved = min(on_hand, poisson(rng, position.daily_demand * day_factor * 1.5))
            cost = int(position.product.cost_cents * (1 + rng.gauss(0, 0.015)))
            row = [day_text, "production", position.warehouse_id, position.product.product_id,
                   str(on_hand), str(reserved), str(position.reorder_point), money(cost),
                   position.currency]
            if rng.random() < OPTIONAL_BLANK_RATE:
                row[rng.choice(OPTIONAL_FIELDS)] = ""
            draw = drift.random()
            if draw >= PRODUCTION_ONLY_RATE + TEST_ONLY_RATE:
                production.append(row)
                test.append(self._test_copy(row, on_hand, reserved, cost))
            elif draw < PRODUCTION_ONLY_RATE:
                production.append(row)
            else:
                test.append(self._test_copy(row, on_hand, reserved, cost))
        return [("production", production), ("test", test)]

    def _test_copy(self, row: list[str], on_hand: int, reserved: int, cost: int) -> list[str]:
        """The test environment's version of a production row, drifted now and then."""
        drift = self._drift_rng
        copy = list(row)
        copy[COL["environment"]] = "test"
        if drift.random() < TEST_DRIFT_RATE:
            if drift.random() < 0.6:
                on_hand = max(0, on_hand + drift.choice((-5, -3, -2, -1, 1, 2, 4)))
                copy[COL["quantity_on_hand"]] = str(on_hand)
                if copy[COL["quantity_reserved"]]:
                    copy[COL["quantity_reserved"]] = str(min(reserved, on_hand))
            elif copy[COL["unit_cost"]]:
                copy[COL["unit_cost"]] = money(
                    int(cost * (1 + drift.choice((-0.03, -0.01, 0.01, 0.02)))))
        return copy

    def _unknown_reference_rows(self, day: date, environment: str, unknown_product: bool,
                                unknown_warehouse: bool) -> list[list[str]]:
        """Positions whose product or warehouse is not (yet) in the master data."""
        rng, rows = self._rng, []
        if unknown_product:
            product_id, _, _, _, price = rng.choice(ref.UNKNOWN_PRODUCTS)
            rows.append([day.isoformat(), environment, "DC-01", product_id,
                         str(rng.randint(5, 60)), "0", "10", money(price * 6 // 10), "EUR"])
            self.stats.unknown_product_id += 1
        if unknown_warehouse:
            product = max(self.world.products, key=lambda p: p.popularity)
            rows.append([day.isoformat(), environment, ref.UNKNOWN_WAREHOUSE_ID,
                         product.product_id, str(rng.randint(20, 200)), "0", "25",
                         money(product.cost_cents), "EUR"])
            self.stats.unknown_warehouse_id += 1
        return rows
