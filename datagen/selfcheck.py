"""Self-check of the generator: `python -m datagen.selfcheck [--lines N]`.

1. Generates the sample twice into temporary directories and compares every file byte
   for byte (determinism).
2. Re-derives, independently of the generator, what the warehouse must quarantine:
   the contract's quarantine rules are applied in priority order with DuckDB SQL (the
   same parsing patterns as macros/parsing/parse_values.sql), and the counts per reason
   code, the unknown references and the row counts must equal the manifest. It also
   checks that the used rows are unique on their business keys and that their
   optional typed fields parse.
3. Generates N order lines (default 200,000) as Parquet into a temporary directory,
   reports the time it took, and runs the same verification on the Parquet files.

`python -m datagen.selfcheck --verify DIR` runs only the verification on DIR.
"""

import argparse
import filecmp
import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from .cli import SAMPLE, generate, parse_args
from .schema import TABLES

INT = "[-+]?[0-9]{1,9}"
DEC = "[-+]?[0-9]{1,12}([.][0-9]+)?"
DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
TS = "[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}"


def _text(column: str) -> str:
    return f"nullif(trim({column}), '')"


def _parsed(column: str, pattern: str, sql_type: str) -> str:
    return (f"try_cast(case when regexp_full_match({_text(column)}, '{pattern}') "
            f"then {_text(column)} end as {sql_type})")


def _int(column):
    return _parsed(column, INT, "integer")


def _dec(column):
    return _parsed(column, DEC, "decimal(18, 4)")


def _date(column):
    return _parsed(column, DATE, "date")


def _ts(column):
    return _parsed(column, TS, "timestamp")


def _missing(column):
    return f"{_text(column)} is null"


def _unparsable(column, parsed):
    return f"({_text(column)} is not null and {parsed(column)} is null)"


# Row-level rules in priority order, then whether duplicates and superseded versions
# are checked, the business key, and the optional typed columns of a used row.
RULES = {
    "sales_order_lines": [
        ("missing_order_id", _missing("order_id")),
        ("missing_order_line_number", _missing("order_line_number")),
        ("unparsable_order_line_number", _unparsable("order_line_number", _int)),
        ("missing_order_date", _missing("order_date")),
        ("unparsable_order_date", _unparsable("order_date", _date)),
        ("missing_customer_id", _missing("customer_id")),
        ("missing_customer_name", _missing("customer_name")),
        ("missing_country", _missing("country")),
        ("missing_product_id", _missing("product_id")),
        ("missing_quantity", _missing("quantity")),
        ("unparsable_quantity", _unparsable("quantity", _int)),
        ("non_positive_quantity", f"{_int('quantity')} <= 0"),
        ("missing_sales_amount", _missing("sales_amount")),
        ("unparsable_sales_amount", _unparsable("sales_amount", _dec)),
        ("negative_sales_amount", f"{_dec('sales_amount')} < 0"),
        ("unparsable_ship_date", _unparsable("ship_date", _date)),
        ("ship_before_order", f"{_date('ship_date')} < {_date('order_date')}"),
        ("discount_out_of_range", f"({_dec('discount')} < 0 or {_dec('discount')} > 1)"),
        ("unsupported_currency", f"({_text('currency')} is not null and trim(currency) <> 'EUR')"),
    ],
    "inventory_snapshots": [
        ("missing_snapshot_date", _missing("snapshot_date")),
        ("unparsable_snapshot_date", _unparsable("snapshot_date", _date)),
        ("invalid_environment", "trim(environment) not in ('production', 'test')"),
        ("missing_warehouse_id", _missing("warehouse_id")),
        ("missing_product_id", _missing("product_id")),
        ("missing_quantity_on_hand", _missing("quantity_on_hand")),
        ("unparsable_quantity_on_hand", _unparsable("quantity_on_hand", _int)),
        ("negative_quantity_on_hand", f"{_int('quantity_on_hand')} < 0"),
    ],
    "products": [("missing_product_name", _missing("product_name")),
                 ("unparsable_unit_list_price", _unparsable("unit_list_price", _dec))],
    "suppliers": [("missing_supplier_name", _missing("supplier_name"))],
    "carriers": [],
    "locations": [("missing_location_type", _missing("location_type"))],
    "manufacturing_costs": [("missing_unit_manufacturing_cost",
                             _missing("unit_manufacturing_cost"))],
    "post_invoice_deductions": [("deduction_pct_out_of_range",
                                 f"({_dec('deduction_pct')} < 0 or {_dec('deduction_pct')} > 1)")],
    "freight_costs": [],
    "erasure_requests": [],
}
KEYS = {
    "sales_order_lines": ("trim(order_id)", _int("order_line_number")),
    "inventory_snapshots": (_date("snapshot_date"), "trim(environment)", "trim(warehouse_id)",
                            "trim(product_id)"),
    "products": ("trim(product_id)",),
    "suppliers": ("trim(supplier_id)",),
    "carriers": ("trim(carrier_id)",),
    "locations": ("trim(location_id)",),
    "manufacturing_costs": ("trim(product_id)", _int("fiscal_year")),
    "post_invoice_deductions": ("trim(customer_id)", _int("fiscal_year")),
    "freight_costs": ("trim(country)", _int("fiscal_year")),
    "erasure_requests": ("trim(customer_id)",),
}
VERSIONED = {"sales_order_lines", "products", "suppliers"}  # latest updated_at wins
OPTIONAL_TYPED = {
    "sales_order_lines": (("ship_date", _date), ("customer_birth_date", _date),
                          ("unit_price", _dec), ("discount", _dec), ("profit_amount", _dec),
                          ("updated_at", _ts)),
    "inventory_snapshots": (("quantity_reserved", _int), ("reorder_point", _int),
                            ("unit_cost", _dec)),
    "products": (("unit_standard_cost", _dec), ("launched_on", _date),
                 ("discontinued_on", _date), ("updated_at", _ts)),
    "suppliers": (("lead_time_days", _int), ("updated_at", _ts)),
    "carriers": (("updated_at", _ts),),
    "locations": (("opened_on", _date),),
    "manufacturing_costs": (("fiscal_year", _int), ("unit_manufacturing_cost", _dec)),
    "post_invoice_deductions": (("fiscal_year", _int), ("deduction_pct", _dec)),
    "freight_costs": (("fiscal_year", _int), ("freight_pct", _dec), ("other_cost_pct", _dec)),
    "erasure_requests": (("requested_at", _ts),),
}


def _relation(directory: Path, table: str) -> str:
    csv_path, parquet_path = directory / f"{table}.csv", directory / f"{table}.parquet"
    if csv_path.exists():
        return f"read_csv('{csv_path}', all_varchar = true, header = true)"
    return f"read_parquet('{parquet_path}')"


def _classify(connection: duckdb.DuckDBPyConnection, directory: Path, table: str) -> None:
    """Create view <table>_classified: every landed row with its reason (null if used)."""
    columns = ", ".join(TABLES[table])
    rules = "\n".join(f"when {predicate} then '{code}'" for code, predicate in RULES[table])
    row_reason = f"case {rules} end" if rules else "cast(null as varchar)"
    key = ", ".join(KEYS[table])
    superseded = (
        f"case when reason is null and row_number() over (partition by {key}, reason is null "
        f"order by {_ts('updated_at')} desc) > 1 then 'superseded_by_later_version' "
        f"else reason end" if table in VERSIONED else "reason")
    connection.execute(f"""
        create or replace view {table}_classified as
        with landed as (
            select *, row_number() over () as landed_row from {_relation(directory, table)}
        ),
        row_rules as (select *, {row_reason} as reason from landed),
        duplicates as (
            select * replace (
                case when reason is null and row_number() over (
                    partition by {columns}, reason is null order by landed_row) > 1
                then 'duplicate_row' else reason end as reason)
            from row_rules
        )
        select * replace ({superseded} as reason) from duplicates
    """)


def verify(directory: Path) -> list[str]:
    """Problems found in a generated directory (empty list: all good)."""
    manifest = json.loads((directory / "_manifest.json").read_text(encoding="utf-8"))
    problems = []
    connection = duckdb.connect()
    for table, columns in TABLES.items():
        names = [d[0] for d in connection.execute(
            f"select * from {_relation(directory, table)} limit 0").description]
        if names != list(columns):
            problems.append(f"{table}: columns {names} differ from the contract")
            continue
        _classify(connection, directory, table)
        counts = dict(connection.execute(
            f"select reason, count(*) from {table}_classified where reason is not null "
            f"group by reason").fetchall())
        expected = manifest["defects"][table]
        if counts != expected:
            problems.append(f"{table}: quarantine {counts} != manifest {expected}")
        landed = connection.execute(f"select count(*) from {table}_classified").fetchone()[0]
        if landed != manifest["row_counts"][table]:
            problems.append(
                f"{table}: {landed} rows, manifest says {manifest['row_counts'][table]}")
        key = ", ".join(KEYS[table])
        clashes = connection.execute(
            f"select count(*) from (select {key} from {table}_classified where reason is null "
            f"group by all having count(*) > 1)").fetchone()[0]
        if clashes:
            problems.append(f"{table}: {clashes} business keys used more than once")
        for column, parser in OPTIONAL_TYPED[table]:
            bad = connection.execute(
                f"select count(*) from {table}_classified where reason is null "
                f"and {_unparsable(column, parser)}").fetchone()[0]
            if bad:
                problems.append(f"{table}: {bad} used rows with unparsable {column}")

    unknown = {
        "sales_order_lines": {
            "product_id": "products", "carrier_id": "carriers", "store_id": "locations"},
        "inventory_snapshots": {"product_id": "products", "warehouse_id": "locations"},
    }
    for table, references in unknown.items():
        for column, master in references.items():
            master_key = KEYS[master][0]
            found = connection.execute(
                f"select count(*) from {table}_classified where reason is null "
                f"and {_text(column)} is not null and trim({column}) not in "
                f"(select {master_key} from {master}_classified where reason is null)"
            ).fetchone()[0]
            if found != manifest["unknown_references"][table][column]:
                problems.append(f"{table}.{column}: {found} unknown references, manifest says "
                                f"{manifest['unknown_references'][table][column]}")
    return problems


def _same_files(first: Path, second: Path) -> list[str]:
    names = sorted(p.name for p in first.iterdir())
    if names != sorted(p.name for p in second.iterdir()):
        return ["the two runs wrote different files"]
    _, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    return [f"{name} differs between two runs" for name in mismatch + errors]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m datagen.selfcheck")
    parser.add_argument("--lines", type=int, default=200_000,
                        help="order lines of the timed Parquet run")
    parser.add_argument("--verify", type=Path, help="only verify this generated directory")
    args = parser.parse_args(argv)
    if args.verify:
        problems = verify(args.verify)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            runs = [Path(scratch) / "a", Path(scratch) / "b"]
            for run in runs:
                generate(parse_args(_sample_args(run)))
            problems = _same_files(*runs) + verify(runs[0])
            print(f"sample: two runs byte-identical: {not problems}")

            big = Path(scratch) / "big"
            began = time.perf_counter()
            generate(parse_args(["--order-lines", str(args.lines), "--seed", "42",
                                 "--out", str(big), "--format", "parquet"]))
            print(f"{args.lines:,} order lines as Parquet: {time.perf_counter() - began:.1f} s")
            problems += verify(big)
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    print("verification:", "FAILED" if problems else "manifest matches the quarantine rules")
    sys.exit(1 if problems else 0)


def _sample_args(out: Path) -> list[str]:
    """The --sample arguments, written to another directory."""
    return ["--order-lines", str(SAMPLE["order_lines"]), "--seed", str(SAMPLE["seed"]),
            "--out", str(out), "--format", SAMPLE["format"],
            "--inventory-frequency", SAMPLE["inventory_frequency"],
            "--start", SAMPLE["start"].isoformat(), "--end", SAMPLE["end"].isoformat()]


if __name__ == "__main__":
    main()
