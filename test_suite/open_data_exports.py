"""The open-data export of a warehouse on any target, made by scripts/export_open_data.sh
as the daily pipeline makes it, and its comparison with the DuckDB export of the sample
(test_engine_mysql.py and test_engine_spark.py)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

from conftest import PROJECT_ROOT, run

EXPORT_TIMEOUT_SECONDS = 1800


def export_with_the_script(warehouse, target: str, out: Path, env: dict[str, str], vars_: dict | None = None):
    """Run scripts/export_open_data.sh with DBT_TARGET=target into `out`; the parse for the
    descriptions goes under the warehouse's own root, never the project's target/."""
    env = dict(env, DBT_TARGET=target, DBT_TARGET_PATH=str(warehouse.root / "export_target"))
    command = ["bash", str(PROJECT_ROOT / "scripts" / "export_open_data.sh"), "--out", str(out)]
    if vars_:
        command += ["--vars", json.dumps(vars_)]
    return run(command, cwd=PROJECT_ROOT, env=env, timeout=EXPORT_TIMEOUT_SECONDS)


def duckdb_export(warehouse, out: Path):
    """The export of the DuckDB sample warehouse (the `warehouse` fixture)."""
    assert warehouse.build_result.returncode == 0, warehouse.build_result.stdout[-3000:]
    return export_with_the_script(warehouse, "duckdb", out, warehouse.env())


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _parquet(path: Path) -> tuple[list[tuple], list[tuple]]:
    connection = duckdb.connect()
    try:
        relation = connection.sql(f"select * from read_parquet('{path}')")
        return list(zip(relation.columns, map(str, relation.types))), relation.fetchall()
    finally:
        connection.close()


def _data_checksums(out: Path) -> list[str]:
    return [line for line in (out / "SHA256SUMS").read_text().splitlines() if line.split("  ", 1)[1].startswith("data/")]


def assert_same_export(engine_out: Path, duckdb_out: Path, target: str) -> dict:
    """The engine's package has the same data files (same rows, values and types), the
    same resources (descriptions, schemas, hashes) and a passing frictionless validation."""
    report = json.loads((engine_out / "quality_report.json").read_text())
    assert report["target"] == target
    assert report["frictionless"] == {"valid": True, "errors": []}, report["frictionless"]
    expected = json.loads((duckdb_out / "datapackage.json").read_text())
    package = json.loads((engine_out / "datapackage.json").read_text())
    assert len(expected["resources"]) == 4
    # hash and bytes included: the CSV files are byte-identical
    assert package["resources"] == expected["resources"]
    data_files = sorted(path.name for path in (duckdb_out / "data").iterdir())
    assert data_files == sorted(path.name for path in (engine_out / "data").iterdir())
    assert len(data_files) == 8
    for name in data_files:
        if name.endswith(".csv"):
            rows = _csv_rows(engine_out / "data" / name)
            assert len(rows) > 1, name
            assert rows == _csv_rows(duckdb_out / "data" / name), name
        else:
            assert _parquet(engine_out / "data" / name) == _parquet(duckdb_out / "data" / name), name
    assert report["tables"] == json.loads((duckdb_out / "quality_report.json").read_text())["tables"]
    # the Parquet files too are byte-identical (DuckDB writes them from the same typed rows)
    assert _data_checksums(engine_out) == _data_checksums(duckdb_out)
    return report
