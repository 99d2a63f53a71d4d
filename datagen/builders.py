"""The row builders of the master and finance reference tables, shared by the file
generator (cli.py) and the OLTP database (oltp/create.py). Lazy: a table's rows are
built when its builder is called, in the order the caller calls them."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from . import finance, masters
from .defects import DefectLedger
from .entities import World


def reference_table_builders(world: World, seed: int,
                             ledger: DefectLedger) -> dict[str, Callable[[], Iterable[list[str]]]]:
    return {
        "products": lambda: masters.product_rows(world, seed, ledger),
        "suppliers": lambda: masters.supplier_rows(world, seed, ledger),
        "carriers": lambda: masters.carrier_rows(world, seed, ledger),
        "locations": lambda: masters.location_rows(world, seed, ledger),
        "manufacturing_costs": lambda: finance.manufacturing_cost_rows(world, seed, ledger),
        "post_invoice_deductions": lambda: finance.deduction_rows(world, seed, ledger),
        "freight_costs": lambda: finance.freight_rows(world, seed, ledger),
    }
