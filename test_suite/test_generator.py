"""The data generator is deterministic, writes CSV and Parquet, and the committed sample
is exactly what it produces."""
import csv
import json
import subprocess
import sys

import duckdb

from conftest import PROJECT_ROOT, SEEDS_DIR

TABLES = [
    "sales_order_lines", "inventory_snapshots", "products", "suppliers", "carriers", "locations",
    "manufacturing_costs", "post_invoice_deductions", "freight_costs", "erasure_requests",
]
SAMPLE_ARGS = [
    "--order-lines", "12000", "--seed", "42", "--format", "csv",
    "--inventory-frequency", "monthly", "--start", "2023-09-01", "--end", "2026-08-31",
]


def generate(out, *args):
    result = subprocess.run(
        [sys.executable, "-m", "datagen", *args, "--out", str(out)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    return out


def header(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_same_arguments_give_the_same_bytes(tmp_path):
    args = ["--order-lines", "3000", "--seed", "7", "--inventory-frequency", "weekly"]
    first = generate(tmp_path / "first", *args)
    second = generate(tmp_path / "second", *args)
    for table in TABLES:
        assert (first / f"{table}.csv").read_bytes() == (second / f"{table}.csv").read_bytes(), table
    assert (first / "_manifest.json").read_bytes() == (second / "_manifest.json").read_bytes()


def test_a_different_seed_gives_different_data(tmp_path):
    first = generate(tmp_path / "first", "--order-lines", "2000", "--seed", "1")
    second = generate(tmp_path / "second", "--order-lines", "2000", "--seed", "2")
    assert (first / "sales_order_lines.csv").read_bytes() != (second / "sales_order_lines.csv").read_bytes()


def test_parquet_has_the_contract_columns_as_text(tmp_path):
    out = generate(tmp_path / "parquet", "--order-lines", "2000", "--format", "parquet")
    manifest = json.loads((out / "_manifest.json").read_text())
    connection = duckdb.connect()
    for table in TABLES:
        path = out / f"{table}.parquet"
        assert path.exists(), table
        assert not (out / f"{table}.csv").exists(), table
        columns = connection.execute(f"describe select * from read_parquet('{path}')").fetchall()
        assert [c[0] for c in columns] == header(SEEDS_DIR / f"{table}.csv"), table
        assert {c[1] for c in columns} == {"VARCHAR"}, table
        rows = connection.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
        assert rows == manifest["row_counts"][table], table
    assert manifest["row_counts"]["sales_order_lines"] == 2000


def test_the_committed_sample_is_the_generators_output(tmp_path):
    out = generate(tmp_path / "sample", *SAMPLE_ARGS)
    for table in TABLES:
        assert (out / f"{table}.csv").read_bytes() == (SEEDS_DIR / f"{table}.csv").read_bytes(), table
    assert json.loads((out / "_manifest.json").read_text()) == json.loads((SEEDS_DIR / "_manifest.json").read_text())


def test_the_sample_has_exactly_the_columns_the_sources_declare(warehouse):
    declared = {
        source["name"]: list(source["columns"])
        for source in warehouse.manifest["sources"].values()
    }
    assert sorted(declared) == sorted(TABLES)
    for table in TABLES:
        assert header(SEEDS_DIR / f"{table}.csv") == declared[table], table
