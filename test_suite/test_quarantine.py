"""Nothing lost: every landed row is used or quarantined with the reason the generator
planted in it (seeds/raw/_manifest.json is the ground truth), on the sample and on a
larger generated data set."""
import csv
import json

import pytest

from conftest import query

USED_MODELS = {
    "sales_order_lines": "stg_sales_system__order_lines",
    "products": "stg_sales_system__products",
    "suppliers": "stg_sales_system__suppliers",
    "carriers": "stg_sales_system__carriers",
    "locations": "stg_sales_system__locations",
    "inventory_snapshots": "stg_warehouse_system__inventory_snapshots",
    "manufacturing_costs": "stg_finance__manufacturing_costs",
    "post_invoice_deductions": "stg_finance__post_invoice_deductions",
    "freight_costs": "stg_finance__freight_costs",
    "erasure_requests": "stg_privacy_office__erasure_requests",
}


@pytest.fixture
def planted_defects(any_warehouse):
    return json.loads((any_warehouse.seeds_dir / "_manifest.json").read_text())["defects"]


def _quarantine_counts(db):
    tables = [
        row[0]
        for row in query(
            db,
            "select table_name from information_schema.tables "
            "where table_schema = 'staging' and table_name like 'stg_%_quarantined'",
        )
    ]
    assert len(tables) == len(USED_MODELS), tables
    unioned = " union all ".join(
        f"select source_table, quarantine_reason from staging.{table}" for table in tables
    )
    counts: dict[str, dict[str, int]] = {}
    for table, reason, rows in query(db, f"select source_table, quarantine_reason, count(*) from ({unioned}) group by all"):
        counts.setdefault(table, {})[reason] = rows
    return counts


def _rows_of_erased_customers(seeds_dir, table):
    """Landed rows of a table keyed by customer whose customer asked to be erased: their
    deduction rates could only be linked to them, so they are set aside (customer_erased)."""
    with open(seeds_dir / "erasure_requests.csv", newline="") as handle:
        erased = {row["customer_id"].strip() for row in csv.DictReader(handle)}
    with open(seeds_dir / f"{table}.csv", newline="") as handle:
        return sum(1 for row in csv.DictReader(handle) if (row["customer_id"] or "").strip() in erased)


def test_quarantine_reasons_match_the_planted_defects_exactly(any_warehouse, any_db, planted_defects):
    expected = json.loads(json.dumps(planted_defects))
    erased_rates = _rows_of_erased_customers(any_warehouse.seeds_dir, "post_invoice_deductions")
    assert erased_rates > 0, "the data must erase customers who have negotiated rates"
    expected["post_invoice_deductions"]["customer_erased"] = erased_rates
    assert _quarantine_counts(any_db) == expected


@pytest.mark.parametrize("table", sorted(USED_MODELS))
def test_landed_equals_used_plus_quarantined(any_db, table):
    landed = query(any_db, f"select count(*) from raw.{table}")[0][0]
    used = query(any_db, f"select count(*) from staging.{USED_MODELS[table]}")[0][0]
    quarantined = query(
        any_db,
        "select count(*) from staging.{} ".format(
            {
                "sales_order_lines": "stg_sales_system__sales_order_lines_quarantined",
                "inventory_snapshots": "stg_warehouse_system__inventory_snapshots_quarantined",
            }.get(table, USED_MODELS[table] + "_quarantined")
        ),
    )[0][0]
    assert landed > 0
    assert landed == used + quarantined, (landed, used, quarantined)
