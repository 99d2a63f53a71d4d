"""Injected data-quality defects and their ground truth.

Every defective row carries exactly one defect, chosen so that the warehouse's first
matching quarantine rule (the codes below, in priority order) is the intended one.
Clean rows are never touched. A defect is one of:

- a mutation: one field of an otherwise clean row is blanked or broken;
- a duplicate_row: a byte-identical copy of a clean row (the copy is what gets
  quarantined, so the count is the number of extra copies);
- a superseded_by_later_version: a clean original followed later in the landing by a
  corrected row with the same business key and a strictly later updated_at (the
  original is quarantined, so the count is the number of originals).

The DefectLedger counts what was injected; the manifest publishes it.
"""

import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from .schema import column_index

DUPLICATE_ROW = "duplicate_row"
SUPERSEDED = "superseded_by_later_version"

# Reason codes per table, in the warehouse's rule priority order.
REASON_CODES: dict[str, tuple[str, ...]] = {
    "sales_order_lines": (
        "missing_order_id",
        "missing_order_line_number",
        "unparsable_order_line_number",
        "missing_order_date",
        "unparsable_order_date",
        "missing_customer_id",
        "missing_customer_name",
        "missing_country",
        "missing_product_id",
        "missing_quantity",
        "unparsable_quantity",
        "non_positive_quantity",
        "missing_sales_amount",
        "unparsable_sales_amount",
        "negative_sales_amount",
        "unparsable_ship_date",
        "ship_before_order",
        "discount_out_of_range",
        "unsupported_currency",
        DUPLICATE_ROW,
        SUPERSEDED,
    ),
    "inventory_snapshots": (
        "missing_snapshot_date",
        "unparsable_snapshot_date",
        "invalid_environment",
        "missing_warehouse_id",
        "missing_product_id",
        "missing_quantity_on_hand",
        "unparsable_quantity_on_hand",
        "negative_quantity_on_hand",
        DUPLICATE_ROW,
    ),
    "products": ("missing_product_name", "unparsable_unit_list_price", DUPLICATE_ROW,
                 SUPERSEDED),
    "suppliers": ("missing_supplier_name", DUPLICATE_ROW, SUPERSEDED),
    "carriers": (DUPLICATE_ROW,),
    "locations": ("missing_location_type", DUPLICATE_ROW),
    "manufacturing_costs": ("missing_unit_manufacturing_cost", DUPLICATE_ROW),
    "post_invoice_deductions": ("deduction_pct_out_of_range", DUPLICATE_ROW),
    "freight_costs": (DUPLICATE_ROW,),
    "erasure_requests": (DUPLICATE_ROW,),
}


class DefectLedger:
    """Exact count of injected defects per table and reason code."""

    def __init__(self) -> None:
        self._counts = {table: Counter() for table in REASON_CODES}

    def record(self, table: str, code: str, count: int = 1) -> None:
        if code not in REASON_CODES[table]:
            raise ValueError(f"{code!r} is not a reason code of {table}")
        self._counts[table][code] += count

    def as_manifest(self) -> dict[str, dict[str, int]]:
        """Non-zero counts, tables and codes in contract and priority order."""
        return {table: {code: self._counts[table][code]
                        for code in codes if self._counts[table][code]}
                for table, codes in REASON_CODES.items()}


class DefectSchedule:
    """Which slots (row positions) of a stream carry a defect, and of which kind.

    The stream is cut into blocks of 1/rate slots; each block holds one defect at a
    random offset, so defects are spread evenly but unpredictably. Kinds are dealt from
    a deck holding each kind `weight` times, reshuffled whenever it runs out: every
    kind appears once per deck, so even a small stream gets every kind. The first
    `clean_head` slots stay clean (a duplicate or correction needs earlier clean rows).
    """

    def __init__(self, weights: dict[str, int], rate: float, rng: random.Random,
                 clean_head: int = 0) -> None:
        self._deck = [kind for kind, weight in weights.items() for _ in range(weight)]
        self._block = max(1, round(1 / rate))
        self._rng = rng
        self._clean_head = clean_head

    def __iter__(self) -> Iterator[tuple[int, str]]:
        """(slot, kind) pairs in increasing slot order, without end."""
        rng = self._rng
        deck: list[str] = []
        for block in itertools.count():
            if not deck:
                deck = self._deck[:]
                rng.shuffle(deck)
            slot = self._clean_head + block * self._block + rng.randrange(self._block)
            yield slot, deck.pop()


def blank(rng: random.Random) -> str:
    """A missing value: empty, or (less often) only whitespace."""
    return rng.choice(("", "", " "))


def unparsable_date(day: date, rng: random.Random) -> str:
    """A date that is not a valid ISO YYYY-MM-DD (some match the pattern but do not exist)."""
    return rng.choice((
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.year}{day.month:02d}{day.day:02d}",
        f"{day.year}-{rng.randint(13, 19)}-{day.day:02d}",
        f"{day.year}-{day.month:02d}-{rng.randint(32, 45)}",
    ))


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five")

Mutation = Callable[[list[str], random.Random], None]


def _sales_mutations() -> dict[str, Mutation]:
    """Row mutations for sales_order_lines, one per mutation-type reason code.

    Each breaks exactly its own field and leaves the fields of the earlier rules valid
    (e.g. an out-of-range discount keeps the original, non-negative sales_amount)."""
    col = column_index("sales_order_lines")

    def set_to(column: str, make: Callable[[list[str], random.Random], str]) -> Mutation:
        position = col[column]

        def mutate(row: list[str], rng: random.Random) -> None:
            row[position] = make(row, rng)
        return mutate

    def missing(_row, rng):
        return blank(rng)

    def order_date(row):
        return date.fromisoformat(row[col["order_date"]])

    return {
        "missing_order_id": set_to("order_id", missing),
        "missing_order_line_number": set_to("order_line_number", missing),
        "unparsable_order_line_number": set_to("order_line_number", lambda row, rng: rng.choice((
            NUMBER_WORDS[min(int(row[col["order_line_number"]]), 5)],
            f"{row[col['order_line_number']]}.5",
            f"#{row[col['order_line_number']]}"))),
        "missing_order_date": set_to("order_date", missing),
        "unparsable_order_date": set_to("order_date",
                                        lambda row, rng: unparsable_date(order_date(row), rng)),
        "missing_customer_id": set_to("customer_id", missing),
        "missing_customer_name": set_to("customer_name", missing),
        "missing_country": set_to("country", missing),
        "missing_product_id": set_to("product_id", missing),
        "missing_quantity": set_to("quantity", missing),
        "unparsable_quantity": set_to("quantity", lambda row, rng: rng.choice((
            "abc", f"{row[col['quantity']]}.5", f"{row[col['quantity']]} pcs"))),
        "non_positive_quantity": set_to("quantity", lambda row, rng: rng.choice((
            "0", f"-{row[col['quantity']]}"))),
        "missing_sales_amount": set_to("sales_amount", missing),
        "unparsable_sales_amount": set_to("sales_amount", lambda row, rng: rng.choice((
            row[col["sales_amount"]].replace(".", ","), "n/a",
            f"{row[col['sales_amount']]} EUR"))),
        "negative_sales_amount": set_to("sales_amount",
                                        lambda row, rng: f"-{row[col['sales_amount']]}"),
        "unparsable_ship_date": set_to("ship_date", lambda row, rng: unparsable_date(
            date.fromisoformat(row[col["ship_date"]] or row[col["order_date"]]), rng)),
        "ship_before_order": set_to("ship_date", lambda row, rng: (
            order_date(row) - timedelta(days=rng.randint(1, 5))).isoformat()),
        "discount_out_of_range": set_to("discount", lambda row, rng: rng.choice((
            "15", "10", "-0.05", "1.2"))),
        "unsupported_currency": set_to("currency", lambda row, rng: rng.choice((
            "USD", "GBP", "CHF", "PLN"))),
    }


def _inventory_mutations() -> dict[str, Mutation]:
    """Row mutations for inventory_snapshots, one per mutation-type reason code."""
    col = column_index("inventory_snapshots")
    on_hand = col["quantity_on_hand"]

    def set_to(column: str, make: Callable[[list[str], random.Random], str]) -> Mutation:
        position = col[column]

        def mutate(row: list[str], rng: random.Random) -> None:
            row[position] = make(row, rng)
        return mutate

    def missing(_row, rng):
        return blank(rng)

    return {
        "missing_snapshot_date": set_to("snapshot_date", missing),
        "unparsable_snapshot_date": set_to("snapshot_date", lambda row, rng: unparsable_date(
            date.fromisoformat(row[col["snapshot_date"]]), rng)),
        "invalid_environment": set_to("environment", lambda row, rng: rng.choice((
            "prod", "staging", "uat", "prd"))),
        "missing_warehouse_id": set_to("warehouse_id", missing),
        "missing_product_id": set_to("product_id", missing),
        "missing_quantity_on_hand": set_to("quantity_on_hand", missing),
        "unparsable_quantity_on_hand": set_to("quantity_on_hand", lambda row, rng: rng.choice((
            "n/a", f"{row[on_hand]}.5", f"{row[on_hand]} units"))),
        "negative_quantity_on_hand": set_to("quantity_on_hand", lambda row, rng: (
            f"-{max(1, int(row[on_hand]))}")),
    }


SALES_MUTATIONS = _sales_mutations()
INVENTORY_MUTATIONS = _inventory_mutations()

# Relative frequency of each kind among a stream's defects (each appears at least
# once per deck of sum(weights) defects).
SALES_DEFECT_WEIGHTS: dict[str, int] = {
    **{code: 3 for code in SALES_MUTATIONS},
    "missing_order_id": 2, "missing_order_line_number": 2, "missing_order_date": 2,
    "missing_customer_name": 2, "missing_country": 2, "missing_quantity": 2,
    "missing_sales_amount": 2, "unparsable_ship_date": 2, "discount_out_of_range": 2,
    DUPLICATE_ROW: 8,
    SUPERSEDED: 6,
}
INVENTORY_DEFECT_WEIGHTS: dict[str, int] = {
    **{code: 2 for code in INVENTORY_MUTATIONS},
    "invalid_environment": 3,
    "negative_quantity_on_hand": 3,
    DUPLICATE_ROW: 4,
}


def place_randomly(rows: list, extra: list, rng: random.Random) -> list:
    """`rows` with each of `extra` inserted at a random position."""
    rows = list(rows)
    for row in extra:
        rows.insert(rng.randint(0, len(rows)), row)
    return rows


def add_duplicates(rows: list[list[str]], candidates: list[list[str]], count: int,
                   rng: random.Random, ledger: DefectLedger, table: str) -> list[list[str]]:
    """`rows` plus byte-identical copies of `count` of the clean `candidates`."""
    copies = [list(row) for row in rng.sample(candidates, count)]
    ledger.record(table, DUPLICATE_ROW, count)
    return place_randomly(rows, copies, rng)
