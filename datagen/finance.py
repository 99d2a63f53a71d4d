"""Finance reference data per fiscal year, and the privacy office's erasure requests.

Gaps are deliberate: some customers have no post-invoice deduction at all, and one
country has no freight rate for one fiscal year ("reference data missing" cases the
warehouse must handle). The one broken row of manufacturing_costs and of
post_invoice_deductions replaces the clean row of its key, so that key has no usable
value either.
"""

import random
from collections import Counter
from datetime import date, timedelta

from . import reference as ref
from .defects import DefectLedger, add_duplicates
from .entities import World
from .timeline import FISCAL_YEAR_START_MONTH, fiscal_years, money, random_timestamp

CUSTOMERS_WITHOUT_DEDUCTIONS = 0.06
DEDUCTION_RANGE_BY_CHANNEL = {"Distributor": (0.06, 0.12), "Direct": (0.02, 0.07),
                              "Retailer": (0.0, 0.05)}
ERASURE_REQUESTS = 5


def _fiscal_year_bounds(year: int) -> tuple[date, date]:
    first = date(year - 1, FISCAL_YEAR_START_MONTH, 1)
    return first, date(year, FISCAL_YEAR_START_MONTH, 1) - timedelta(days=1)


def _break_one(rows: list[list[str]], position: int, value: str, rng: random.Random,
               ledger: DefectLedger, table: str, code: str) -> list[list[str]]:
    """Set one random row's field to an invalid value; returns the rows still clean."""
    victim = rng.randrange(len(rows))
    rows[victim][position] = value
    ledger.record(table, code)
    return rows[:victim] + rows[victim + 1:]


def manufacturing_cost_rows(world: World, seed: int, ledger: DefectLedger) -> list[list[str]]:
    rng = random.Random(f"{seed}/manufacturing-costs")
    rows = []
    for step, year in enumerate(fiscal_years(world.start, world.end)):
        first, last = _fiscal_year_bounds(year)
        for product in world.products:
            if product.launched_on > last or (
                    product.discontinued_on and product.discontinued_on <= first):
                continue
            cost = int(product.cost_cents * rng.uniform(0.72, 0.88) * (1 + 0.025 * step))
            rows.append([product.product_id, str(year), money(min(cost, product.cost_cents - 1))])
    clean = _break_one(rows, 2, "", rng, ledger, "manufacturing_costs",
                       "missing_unit_manufacturing_cost")
    return add_duplicates(rows, clean, 1, rng, ledger, "manufacturing_costs")


def deduction_rows(world: World, seed: int, ledger: DefectLedger) -> list[list[str]]:
    rng = random.Random(f"{seed}/post-invoice-deductions")
    rows = []
    for customer in world.customers:
        if rng.random() < CUSTOMERS_WITHOUT_DEDUCTIONS:
            continue
        low, high = DEDUCTION_RANGE_BY_CHANNEL[customer.channel]
        base = rng.uniform(low, high)
        for year in fiscal_years(world.start, world.end):
            pct = min(high, max(low, base + rng.uniform(-0.005, 0.005)))
            rows.append([customer.customer_id, str(year), f"{pct:.4f}"])
    clean = _break_one(rows, 2, "1.5", rng, ledger, "post_invoice_deductions",
                       "deduction_pct_out_of_range")
    return add_duplicates(rows, clean, 1, rng, ledger, "post_invoice_deductions")


def freight_rows(world: World, seed: int, ledger: DefectLedger) -> list[list[str]]:
    rng = random.Random(f"{seed}/freight-costs")
    years = fiscal_years(world.start, world.end)
    missing = (rng.choice(ref.COUNTRIES).name, rng.choice(years))
    rows = []
    for country in ref.COUNTRIES:
        freight = rng.uniform(0.01, 0.05)
        for year in years:
            if (country.name, year) == missing:
                continue
            other = "" if rng.random() < 0.2 else f"{rng.uniform(0, 0.02):.4f}"
            rows.append([country.name, str(year),
                         f"{min(0.06, freight + rng.uniform(0, 0.008)):.4f}", other])
    return add_duplicates(rows, rows, 1, rng, ledger, "freight_costs")


def erasure_rows(world: World, seed: int, lines_per_customer: Counter,
                 ledger: DefectLedger) -> list[list[str]]:
    """Requests from customers who do have order lines in the landing."""
    rng = random.Random(f"{seed}/erasure-requests")
    buyers = sorted(customer for customer, lines in lines_per_customer.items() if lines >= 3)
    requested = rng.sample(buyers, ERASURE_REQUESTS)
    rows = sorted(
        [[customer_id, random_timestamp(rng, world.end - timedelta(days=120), world.end,
                                        hours=(8, 17))]
         for customer_id in requested],
        key=lambda row: row[1])
    return add_duplicates(rows, rows, 1, rng, ledger, "erasure_requests")
