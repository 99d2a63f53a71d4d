"""The master-data tables (products, suppliers, carriers, locations) with their handful
of defects.

Rows with a missing or broken required field are extra records with ids of their own
(a product or supplier half entered in the source system, referenced by nothing), so
quarantining them never takes a usable record away. Superseded originals are older
versions of real records; duplicates are copies of clean single-version records.
"""

import random
from datetime import timedelta

from . import reference as ref
from .defects import SUPERSEDED, DefectLedger, add_duplicates, place_randomly
from .entities import World
from .schema import column_index
from .timeline import money, random_timestamp


def product_rows(world: World, seed: int, ledger: DefectLedger) -> list[list[str]]:
    rng = random.Random(f"{seed}/products")
    col = column_index("products")
    current, superseded, single_version = [], [], []
    for product in world.products:
        for version in product.versions:
            row = [product.product_id, version.name, version.category, version.sub_category,
                   product.brand, product.supplier_id, money(version.list_cents),
                   money(product.cost_cents), product.launched_on.isoformat(),
                   product.discontinued_on.isoformat() if product.discontinued_on else "",
                   version.updated_at]
            (current if version is product.current else superseded).append(row)
        if len(product.versions) == 1:
            single_version.append(current[-1])
    ledger.record("products", SUPERSEDED, len(superseded))

    # Half-entered new products: copies of a real product's attributes under a new id,
    # with the name missing or the price typed with a decimal comma.
    broken = []
    next_number = len(world.products) + 1
    for code, column, values in (("missing_product_name", "product_name", ("", " ")),
                                 ("unparsable_unit_list_price", "unit_list_price",
                                  ("12,99", "n/a"))):
        for value in values:
            row = list(rng.choice(single_version))
            created_on = world.end - timedelta(days=rng.randint(5, 40))
            row[col["product_id"]] = f"P-{next_number:04d}"
            row[col[column]] = value
            row[col["launched_on"]] = ""
            row[col["discontinued_on"]] = ""
            row[col["updated_at"]] = random_timestamp(rng, created_on, created_on)
            broken.append(row)
            ledger.record("products", code)
            next_number += 1

    rows = place_randomly(current, superseded + broken, rng)
    return add_duplicates(rows, single_version, 2, rng, ledger, "products")


def supplier_rows(world: World, seed: int, ledger: DefectLedger) -> list[list[str]]:
    rng = random.Random(f"{seed}/suppliers")
    current, superseded, single_version = [], [], []
    for supplier in world.suppliers:
        for version in supplier.versions:
            row = [supplier.supplier_id, supplier.name, supplier.country, version.contact_name,
                   version.contact_email, str(version.lead_time_days), version.updated_at]
            (current if version is supplier.versions[-1] else superseded).append(row)
        if len(supplier.versions) == 1:
            single_version.append(current[-1])
    ledger.record("suppliers", SUPERSEDED, len(superseded))

    # A supplier record created without its name.
    nameless = [f"S-{len(world.suppliers) + 1:03d}", "", "Germany", "", "", "14",
                random_timestamp(rng, world.end - timedelta(days=30), world.end)]
    ledger.record("suppliers", "missing_supplier_name")

    rows = place_randomly(current, superseded + [nameless], rng)
    return add_duplicates(rows, single_version, 1, rng, ledger, "suppliers")


def carrier_rows(world: World, seed: int, ledger: DefectLedger) -> list[list[str]]:
    rng = random.Random(f"{seed}/carriers")
    rows = [[c.carrier_id, c.name, c.service_level,
             random_timestamp(rng, world.start - timedelta(days=600),
                              world.start - timedelta(days=1))]
            for c in ref.CARRIERS]
    return add_duplicates(rows, rows, 1, rng, ledger, "carriers")


def location_rows(world: World, seed: int, ledger: DefectLedger) -> list[list[str]]:
    rng = random.Random(f"{seed}/locations")
    rows = []
    for loc in ref.LOCATIONS:
        region = ref.find_city(loc.country, loc.city).region if loc.city else ""
        rows.append([loc.location_id, loc.name, loc.location_type, loc.city, region,
                     loc.country, loc.opened_on])
    clean = list(rows)

    # A pop-up store entered without its type.
    popup_opened = world.end - timedelta(days=rng.randint(20, 60))
    rows = place_randomly(rows, [["ST-011", "Rotterdam Pop-up", "", "Rotterdam", "West",
                                  "Netherlands", popup_opened.isoformat()]], rng)
    ledger.record("locations", "missing_location_type")
    return add_duplicates(rows, clean, 1, rng, ledger, "locations")
