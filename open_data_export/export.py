"""Export every open_data table of the warehouse as a validated, documented package.

    python -m open_data_export --manifest target/manifest.json --out build/open_data

Reads the tables from the target the warehouse was built on, the one `--target` (or
DBT_TARGET) names: the DuckDB file (default, DBT_DUCKDB_PATH), PostgreSQL (postgres, the
DBT_POSTGRES_* variables), MySQL/MariaDB (mysql, the DBT_MYSQL_* variables) or the local
Spark warehouse (spark: the parquet files of its tables under DBT_SPARK_DIR, read by
DuckDB). Every value is brought to the type the model's contract declares, so each
target exports the same files. Every description, unit, primary key and schema name
comes from dbt's manifest, so the package says what the dbt docs say.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MISSING_VALUE = "c"  # "confidential": the declared label of a suppressed cell
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
PUBLISHER = "Sales Insights"
ACCESS_URL = os.environ.get("SALES_INSIGHTS_OPEN_DATA_URL", "https://open-data.sales-insights.invalid/")
CONTACT_EMAIL = os.environ.get("SALES_INSIGHTS_OPEN_DATA_CONTACT", "open-data@sales-insights.invalid")
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
# The EU country vocabulary's codes (ISO 3166-1 alpha-3) of the countries the warehouse
# knows by name; a country missing here is still covered, by its name (dcat_spatial).
COUNTRY_CODES = {
    "Austria": "AUT", "Belgium": "BEL", "Bulgaria": "BGR", "Croatia": "HRV", "Cyprus": "CYP",
    "Czechia": "CZE", "Denmark": "DNK", "Estonia": "EST", "Finland": "FIN", "France": "FRA",
    "Germany": "DEU", "Greece": "GRC", "Hungary": "HUN", "Ireland": "IRL", "Italy": "ITA",
    "Latvia": "LVA", "Lithuania": "LTU", "Luxembourg": "LUX", "Malta": "MLT", "Netherlands": "NLD",
    "Norway": "NOR", "Poland": "POL", "Portugal": "PRT", "Romania": "ROU", "Slovakia": "SVK",
    "Slovenia": "SVN", "Spain": "ESP", "Sweden": "SWE", "Switzerland": "CHE", "United Kingdom": "GBR",
}
# Every prefix the DCAT-AP metadata uses (D129).
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def frictionless_type(data_type: str) -> str:
    data_type = data_type.lower()
    if data_type.startswith(("decimal", "numeric")):
        return "number"
    if data_type in {"integer", "bigint", "int", "smallint"}:
        return "integer"
    if data_type == "date":
        return "date"
    if data_type == "boolean":
        return "boolean"
    return "string"


def open_data_models(manifest: dict) -> list[dict]:
    models = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("meta", {}).get("open_data")
    ]
    return sorted(models, key=lambda node: node["name"])


def git_revision() -> str:
    try:
        revision = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT, capture_output=True, text=True
        ).stdout.strip()
        return revision + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


TARGETS = ("duckdb", "postgres", "mysql", "spark")


class Warehouse:
    """Reads a table from the target the warehouse was built on."""

    def __init__(self, target: str, duckdb_path: str, spark_dir: str):
        self.target = target
        self.spark_dir = Path(spark_dir)
        if target == "duckdb":
            self.connection = duckdb.connect(duckdb_path, read_only=True)
        elif target == "postgres":
            import psycopg2

            self.connection = psycopg2.connect(
                host=os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
                port=int(os.environ.get("DBT_POSTGRES_PORT", "5432")),
                user=os.environ.get("DBT_POSTGRES_USER", "postgres"),
                password=os.environ.get("DBT_POSTGRES_PASSWORD", ""),
                dbname=os.environ.get("DBT_POSTGRES_DBNAME", "test"),
            )
        elif target == "mysql":
            import mysql.connector

            # The profile's connection settings; on MySQL a schema is a database, which
            # the query names, so no default database is needed.
            self.connection = mysql.connector.connect(
                host=os.environ.get("DBT_MYSQL_HOST", "127.0.0.1"),
                port=int(os.environ.get("DBT_MYSQL_PORT", "3306")),
                user=os.environ.get("DBT_MYSQL_USER", "root"),
                password=os.environ.get("DBT_MYSQL_PASSWORD", ""),
                charset="utf8mb4",
                collation=os.environ.get("DBT_MYSQL_COLLATION", "utf8mb4_bin"),
            )
        elif target == "spark":
            # The session-mode warehouse: a managed table is the parquet files of
            # <warehouse dir>/<schema>.db/<table> (docs/decisions.md D82). No JVM, and no
            # lock on the embedded Derby metastore, which admits one Spark at a time.
            self.connection = duckdb.connect()
        else:
            raise SystemExit(f"unsupported target {target!r}: one of {', '.join(TARGETS)}")

    def spark_table_files(self, schema: str, table: str) -> list[str]:
        directory = self.spark_dir / "warehouse" / f"{schema}.db" / table
        files = sorted(str(path) for path in directory.glob("*.parquet") if not path.name.startswith(("_", ".")))
        if not files:
            raise SystemExit(
                f"no parquet file of {schema}.{table} in {directory}: the spark export reads the local "
                "session-mode warehouse that DBT_SPARK_DIR points to (build it first)"
            )
        return files

    def rows(self, schema: str, table: str, columns: list[str]) -> list[tuple]:
        if self.target == "mysql":
            quoted = ", ".join(f"`{c}`" for c in columns)
            sql = f"select {quoted} from `{schema}`.`{table}`"
        elif self.target == "spark":
            quoted = ", ".join(f'"{c}"' for c in columns)
            files = ", ".join("'" + f.replace("'", "''") + "'" for f in self.spark_table_files(schema, table))
            sql = f"select {quoted} from read_parquet([{files}])"
        else:
            quoted = ", ".join(f'"{c}"' for c in columns)
            sql = f'select {quoted} from "{schema}"."{table}"'
        if self.target in ("duckdb", "spark"):
            return self.connection.execute(sql).fetchall()
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql)
            return cursor.fetchall()
        finally:
            cursor.close()

    def close(self) -> None:
        self.connection.close()


def typed(value, data_type: str, column: str):
    """The value as the type the contract declares, whatever the engine handed back
    (MySQL's sum() of integers is a decimal, its boolean a 0/1 integer, a decimal
    column keeps its engine's scale). Never rounds: a value the declared type cannot
    hold exactly is an error, not a silent change."""
    if value is None:
        return None
    kind = data_type.lower().strip()
    if kind.startswith(("decimal", "numeric")):
        scale_match = re.search(r",\s*(\d+)\s*\)", kind)
        exponent = Decimal(1).scaleb(-int(scale_match.group(1))) if scale_match else Decimal(1)
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        result = number.quantize(exponent)
        if result != number:
            raise SystemExit(f"{column}: {value!r} does not fit its declared type {data_type}")
        return result
    if kind in {"integer", "bigint", "int", "smallint"}:
        result = int(value)
        if result != value:
            raise SystemExit(f"{column}: {value!r} is not an integer ({data_type})")
        return result
    if kind == "date":
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0):
                raise SystemExit(f"{column}: {value!r} is not a date")
            return value.date()
        return value
    if kind == "boolean":
        return bool(value)
    return value if isinstance(value, str) else str(value)


def sort_key(row: tuple, positions: list[int]) -> tuple:
    """Primary-key order, missing values last, as DuckDB orders: the same order from
    every engine (each sorts text by its own collation)."""
    return tuple((row[i] is None, row[i] if row[i] is not None else 0) for i in positions)


def csv_value(value) -> str:
    if value is None:
        return MISSING_VALUE
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_parquet(path: Path, columns: list[dict], rows: list[tuple]) -> None:
    """Parquet with the warehouse's types (decimals stay decimals), written by DuckDB."""
    connection = duckdb.connect()
    definition = ", ".join(f'"{c["name"]}" {c["data_type"]}' for c in columns)
    connection.execute(f"create table export ({definition})")
    if rows:
        placeholders = ", ".join("?" for _ in columns)
        connection.executemany(f"insert into export values ({placeholders})", [list(r) for r in rows])
    connection.execute(f"copy export to '{path}' (format parquet)")
    connection.close()


def field_for(column: dict) -> dict:
    meta = column.get("meta", {})
    field = {
        "name": column["name"],
        "type": frictionless_type(column["data_type"]),
        "description": " ".join(column["description"].split()),
    }
    if field["type"] == "date":
        field["format"] = "%Y-%m-%d"
    if meta.get("unit"):
        field["unit"] = meta["unit"]
    constraints = {}
    if any(c.get("type") == "not_null" for c in column.get("constraints", [])):
        constraints["required"] = True
    if meta.get("count"):
        constraints["minimum"] = 0
    if column["name"] == "suppression_status":
        constraints["enum"] = ["published", "primary", "secondary"]
    if constraints:
        field["constraints"] = constraints
    return field


def information_loss(warehouse: "Warehouse", manifest: dict, model: dict, rows: list[tuple],
                     column_names: list[str]) -> dict:
    """The share of the table's cells and of its value that disclosure control suppressed
    (D128). The value is the measure the model's meta `information_loss` names, summed
    per cell from the owner-only contributions model it names, before suppression: the
    warehouse knows what each suppressed cell holds, the package only how much of the
    whole is hidden. Exact decimal sums, shares rounded to 4 places: the same on every
    engine."""
    spec = model["config"]["meta"].get("information_loss")
    if not spec:
        raise SystemExit(f"{model['name']}: meta.information_loss (contributions, measure) is not declared")
    contributions = [
        node for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"] == spec["contributions"]
    ]
    if len(contributions) != 1:
        raise SystemExit(f"{model['name']}: no contributions model {spec['contributions']!r} in the manifest")
    columns = model["columns"]
    key = model["config"]["meta"]["primary_key"]
    values: dict[tuple, Decimal] = {}
    for *cell, amount in warehouse.rows(contributions[0]["schema"], contributions[0]["alias"], [*key, spec["measure"]]):
        cell = tuple(typed(value, columns[name]["data_type"], name) for value, name in zip(cell, key))
        values[cell] = values.get(cell, Decimal(0)) + (Decimal(str(amount)) if amount is not None else Decimal(0))
    positions = [column_names.index(name) for name in key]
    status = column_names.index("suppression_status")
    total = suppressed = Decimal(0)
    suppressed_cells = 0
    for row in rows:
        cell = tuple(row[i] for i in positions)
        if cell not in values:
            raise SystemExit(f"{model['name']}: cell {cell} has no contribution in {spec['contributions']}")
        total += values[cell]
        if row[status] != "published":
            suppressed_cells += 1
            suppressed += values[cell]
    return {
        "measure": spec["measure"],
        "cells": len(rows),
        "suppressed_cells": suppressed_cells,
        "suppressed_cell_share": share(Decimal(suppressed_cells), Decimal(len(rows))),
        "suppressed_value_share": share(suppressed, total),
    }


def share(part: Decimal, whole: Decimal) -> float | None:
    """part / whole rounded half-even to 4 places, from exact decimals."""
    if not whole:
        return None
    return float((part / whole).quantize(Decimal("0.0001")))


def add_coverage(coverage: dict, model: dict, rows: list[tuple], column_names: list[str]) -> None:
    """The dates (every date column: month starts) and the countries (a `country` column,
    totals left out) the table's rows cover; a group of countries (global recoding, the
    model's meta `global_recoding.country`: country -> group) covers its members."""
    groups = model["config"]["meta"].get("global_recoding", {}).get("country", {})
    members = defaultdict(set)
    for country, group in groups.items():
        members[group].add(country)
    for i, name in enumerate(column_names):
        if model["columns"][name]["data_type"].lower() == "date":
            coverage["dates"].update(row[i] for row in rows if row[i] is not None)
        if name == "country":
            for row in rows:
                if row[i] is not None and row[i] not in ("All countries", "Unknown"):
                    coverage["countries"].update(members.get(row[i], {row[i]}))


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def literal(value, datatype: str | None = None, language: str | None = None) -> dict:
    node = {"@value": value}
    if datatype:
        node["@type"] = datatype
    if language:
        node["@language"] = language
    return node


def iri(value: str) -> dict:
    return {"@id": value}


def dcat_distribution(name: str, description: str, path: Path, media_type: str, file_format: str,
                      checksum: str) -> dict:
    """One file of the package as a DCAT-AP 3 distribution: everything in it is a function
    of the file's bytes and of the dbt docs, so it is the same from every engine."""
    return {
        "@id": f"{ACCESS_URL}#distribution-{path.name}",
        "@type": "dcat:Distribution",
        "dct:title": literal(f"{name} ({file_format})", language="en"),
        "dct:description": literal(description, language="en"),
        "dcat:accessURL": iri(ACCESS_URL),
        "dcat:downloadURL": iri(f"{ACCESS_URL}data/{path.name}"),
        "dct:license": iri(LICENSE["path"]),
        "dct:format": iri(f"{EU_AUTHORITY}file-type/{file_format}"),
        "dcat:mediaType": iri(f"https://www.iana.org/assignments/media-types/{media_type}"),
        "dcat:byteSize": literal(str(path.stat().st_size), "xsd:nonNegativeInteger"),
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": iri("spdx:checksumAlgorithm_sha256"),
            "spdx:checksumValue": literal(checksum, "xsd:hexBinary"),
        },
        # the file's columns, types, units, key and missing value: its resource in the package
        "dct:conformsTo": iri(f"{ACCESS_URL}datapackage.json"),
    }


def dcat_spatial(countries: set[str]) -> list[dict]:
    """The EU country vocabulary's resource of every country covered; a country it has no
    code for here stays covered by name."""
    spatial = []
    for country in sorted(countries):
        if country in COUNTRY_CODES:
            spatial.append(iri(f"{EU_AUTHORITY}country/{COUNTRY_CODES[country]}"))
        else:
            spatial.append({"@type": "dct:Location", "locn:geographicName": literal(country, language="en")})
    return spatial


def dcat_dataset(package: dict, version: str, revision: str, coverage: dict, distributions: list[dict]) -> dict:
    """The package as a DCAT-AP 3 dataset (D129). Issued and modified are the last day the
    data covers, never the clock, so that every engine writes the same bytes."""
    if not coverage["dates"]:
        raise SystemExit("no date column in the open-data tables: the temporal coverage is unknown")
    start, end = min(coverage["dates"]), month_end(max(coverage["dates"]))
    reference_date = literal(end.isoformat(), "xsd:date")
    for distribution in distributions:
        distribution["dct:issued"] = reference_date
        distribution["dct:modified"] = reference_date
    return {
        "@context": DCAT_CONTEXT,
        "@id": f"{ACCESS_URL}#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": package["name"],
        "dct:title": literal(package["title"], language="en"),
        "dct:description": literal(package["description"], language="en"),
        "dct:publisher": {
            "@id": f"{ACCESS_URL}#publisher",
            "@type": "foaf:Agent",
            "foaf:name": literal(PUBLISHER, language="en"),
            "dct:type": iri("http://purl.org/adms/publishertype/Company"),
        },
        "dcat:contactPoint": {
            "@id": f"{ACCESS_URL}#contact-point",
            "@type": "vcard:Kind",
            "vcard:fn": literal(f"{PUBLISHER} open data", language="en"),
            "vcard:hasEmail": iri(f"mailto:{CONTACT_EMAIL}"),
        },
        "dcat:keyword": [literal(keyword, language="en") for keyword in package["keywords"]],
        "dcat:theme": iri(f"{EU_AUTHORITY}data-theme/ECON"),
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": literal(start.isoformat(), "xsd:date"),
            "dcat:endDate": literal(end.isoformat(), "xsd:date"),
        },
        "dct:spatial": dcat_spatial(coverage["countries"]),
        "dct:license": {
            "@id": LICENSE["path"],
            "@type": "dct:LicenseDocument",
            "dct:title": literal(LICENSE["title"], language="en"),
        },
        "dct:accessRights": iri(f"{EU_AUTHORITY}access-right/PUBLIC"),
        "dct:issued": reference_date,
        "dct:modified": reference_date,
        "dcat:version": version,
        "dcat:landingPage": iri(ACCESS_URL),
        "dct:conformsTo": {
            "@id": f"{ACCESS_URL}datapackage.json",
            "@type": "dct:Standard",
            "dct:title": literal("The package's Frictionless Data Package descriptor (datapackage.json): "
                                 "every table's fields, types, units, primary key and missing value", language="en"),
        },
        "dct:provenance": {
            "@type": "dct:ProvenanceStatement",
            "rdfs:label": literal(f"Built by dbt (project sales_insights, git revision {revision}) from the "
                                  "company's sales and inventory exports, under statistical disclosure control; "
                                  "see METHODOLOGY.md.", language="en"),
        },
        "dcat:distribution": distributions,
    }


# A node whose last run ended in one of these states may be published from.
PUBLISHABLE_STATUSES = {"success", "pass", "warn", "no-op"}


class RedBuildError(SystemExit):
    """The warehouse's last build did not end green: nothing is published."""


def run_log_schema(models: list[dict]) -> str:
    """The schema of the warehouse's run log (macros/audit/run_log.sql): `audit`, with the
    same schema prefix as the open-data schema the models live in."""
    schemas = {model["schema"] for model in models}
    if len(schemas) != 1 or not next(iter(schemas)).endswith("open_data"):
        raise SystemExit(f"the open_data models are expected in one <prefix>open_data schema, found {sorted(schemas)}")
    return next(iter(schemas))[: -len("open_data")] + "audit"


def assert_last_build_is_green(warehouse: "Warehouse", manifest: dict, schema: str) -> None:
    """Refuse to publish unless the last dbt invocation on this warehouse ended, and every
    node of the project whose last recorded run it knows ended without an error, a failure
    or a skip (D121). Reads the run log the project's hooks write into the warehouse."""
    columns = ["invocation_id", "command", "event", "unique_id", "status", "recorded_at"]
    try:
        log = [dict(zip(columns, row)) for row in warehouse.rows(schema, "dbt_run_log", columns)]
    except SystemExit:
        raise
    except Exception as error:  # the table is missing: a warehouse built before the run log, or never
        raise RedBuildError(
            f"refusing to publish: the warehouse has no run log ({schema}.dbt_run_log: "
            f"{type(error).__name__}); build it with ./scripts/build.sh first"
        ) from None
    starts = sorted((row for row in log if row["event"] == "start"), key=lambda row: row["recorded_at"])
    if not starts:
        raise RedBuildError("refusing to publish: no dbt build is recorded in this warehouse; run ./scripts/build.sh")
    last = starts[-1]
    if not any(row["event"] == "end" and row["invocation_id"] == last["invocation_id"] for row in log):
        raise RedBuildError(
            f"refusing to publish: the last dbt invocation on this warehouse (`dbt {last['command']}`, "
            f"started {last['recorded_at']} UTC, invocation {last['invocation_id']}) did not finish; "
            "run ./scripts/build.sh again"
        )
    project_nodes = set(manifest.get("nodes", {})) | set(manifest.get("unit_tests", {}))
    latest: dict[str, dict] = {}
    for row in log:
        if row["event"] == "node" and row["unique_id"] in project_nodes:
            if row["unique_id"] not in latest or row["recorded_at"] >= latest[row["unique_id"]]["recorded_at"]:
                latest[row["unique_id"]] = row
    bad = sorted(
        (row for row in latest.values() if row["status"] not in PUBLISHABLE_STATUSES),
        key=lambda row: (row["status"], row["unique_id"]),
    )
    if bad:
        shown = [f"{row['unique_id']}: {row['status']} (dbt {row['command']}, {row['recorded_at'][:19]} UTC)" for row in bad[:20]]
        more = f"\n  ... and {len(bad) - 20} more" if len(bad) > 20 else ""
        raise RedBuildError(
            f"refusing to publish: {len(bad)} node(s) of the warehouse's last build did not end green "
            "(fix them and build again; there is no override):\n  " + "\n  ".join(shown) + more
        )


def export(manifest_path: Path, out: Path, target: str, duckdb_path: str, spark_dir: str) -> dict:
    manifest = json.loads(manifest_path.read_text())
    models = open_data_models(manifest)
    if not models:
        raise SystemExit("no open_data model in the manifest")
    warehouse = Warehouse(target, duckdb_path, spark_dir)
    try:
        assert_last_build_is_green(warehouse, manifest, run_log_schema(models))
    except SystemExit:
        warehouse.close()
        raise
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "data").mkdir()

    created = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    revision = git_revision()
    resources, distributions, quality = [], [], {}
    coverage = {"dates": set(), "countries": set()}
    try:
        for model in models:
            name = model["name"]
            columns = list(model["columns"].values())
            column_names = [c["name"] for c in columns]
            primary_key = model["config"]["meta"]["primary_key"]
            rows = [
                tuple(typed(value, column["data_type"], column["name"]) for value, column in zip(row, columns))
                for row in warehouse.rows(model["schema"], model["alias"], column_names)
            ]
            rows.sort(key=lambda row: sort_key(row, [column_names.index(key) for key in primary_key]))

            csv_path = out / "data" / f"{name}.csv"
            with csv_path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(column_names)
                writer.writerows([csv_value(v) for v in row] for row in rows)
            parquet_path = out / "data" / f"{name}.parquet"
            write_parquet(parquet_path, columns, rows)

            description = " ".join(model["description"].split())
            csv_hash, parquet_hash = sha256(csv_path), sha256(parquet_path)
            resources.append({
                "name": name,
                "title": name.replace("_", " ").capitalize(),
                "description": description,
                "path": f"data/{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": csv_path.stat().st_size,
                "hash": f"sha256:{csv_hash}",
                "licenses": [LICENSE],
                "schema": {
                    "fields": [field_for(c) for c in columns],
                    "primaryKey": primary_key,
                    "missingValues": [MISSING_VALUE],
                },
            })
            for path, media_type, file_format, checksum in [
                (csv_path, "text/csv", "CSV", csv_hash),
                (parquet_path, "application/vnd.apache.parquet", "PARQUET", parquet_hash),
            ]:
                distributions.append(dcat_distribution(name, description, path, media_type, file_format, checksum))
            status_index = column_names.index("suppression_status")
            statuses = [row[status_index] for row in rows]
            quality[name] = {
                "rows": len(rows),
                "published_cells": statuses.count("published"),
                "primary_suppressed_cells": statuses.count("primary"),
                "secondary_suppressed_cells": statuses.count("secondary"),
                "suppressed_share": round((len(rows) - statuses.count("published")) / len(rows), 4) if rows else None,
                "suppressed_cells_with_a_value": sum(
                    1 for row in rows
                    if row[status_index] != "published"
                    and any(v is not None for i, v in enumerate(row) if i != status_index and column_names[i] not in primary_key
                            and column_names[i] != "aggregation_level")
                ),
                "information_loss": information_loss(warehouse, manifest, model, rows, column_names),
            }
            add_coverage(coverage, model, rows, column_names)
    finally:
        warehouse.close()

    version = manifest.get("metadata", {}).get("project_version") or "0.1.0"
    package = {
        "name": "sales-insights-open-data",
        "title": "Sales Insights open data: sales, stock availability and delivery lead times",
        "description": (
            "Aggregated, anonymous statistics of a company's sales, stock availability and delivery "
            "lead times, under statistical disclosure control (threshold, dominance and p % rules, "
            f"secondary suppression). Suppressed cells are the missing value '{MISSING_VALUE}' with a "
            "suppression_status column saying why. See METHODOLOGY.md."
        ),
        "version": version,
        "created": created,
        "licenses": [LICENSE],
        "keywords": ["sales", "inventory", "delivery", "open data", "statistical disclosure control"],
        "contributors": [{"title": PUBLISHER, "role": "publisher"}],
        "sources": [{
            "title": "Sales Insights warehouse (dbt project sales_insights)",
            "path": ACCESS_URL,
            "description": f"Built by dbt from the company's sales and inventory exports; git revision {revision}; "
                           f"exported from the {target} target on {created}.",
        }],
        "resources": resources,
    }
    (out / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")

    catalog = dcat_dataset(package, version, revision, coverage, distributions)
    (out / "dcat.jsonld").write_text(json.dumps(catalog, indent=2, ensure_ascii=False) + "\n")
    shutil.copy(Path(__file__).with_name("METHODOLOGY.md"), out / "METHODOLOGY.md")

    report = {"created": created, "git_revision": revision, "target": target, "tables": quality}
    report["frictionless"] = validate(out / "datapackage.json")
    (out / "quality_report.json").write_text(json.dumps(report, indent=2) + "\n")

    checksum_lines = [
        f"{sha256(path)}  {path.relative_to(out)}"
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != "SHA256SUMS"
    ]
    (out / "SHA256SUMS").write_text("\n".join(checksum_lines) + "\n")
    return report


def validate(package_path: Path) -> dict:
    from frictionless import Package

    report = Package(str(package_path)).validate()
    return {
        "valid": report.valid,
        "errors": [error.message for task in report.tasks for error in task.errors][:50],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest", type=Path, default=PROJECT_ROOT / "target" / "manifest.json")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "build" / "open_data")
    parser.add_argument("--target", default=os.environ.get("DBT_TARGET", "duckdb"))
    parser.add_argument("--duckdb-path", default=os.environ.get("DBT_DUCKDB_PATH", str(PROJECT_ROOT / "sales_insights.duckdb")))
    parser.add_argument("--spark-dir", default=os.environ.get("DBT_SPARK_DIR", str(PROJECT_ROOT / "target" / "spark")),
                        help="the local Spark warehouse (its warehouse/ directory holds the tables)")
    args = parser.parse_args(argv)
    report = export(args.manifest, args.out, args.target, args.duckdb_path, args.spark_dir)
    for name, table in report["tables"].items():
        print(f"{name}: {table['rows']} rows, {table['published_cells']} published, "
              f"{table['primary_suppressed_cells']} primary, {table['secondary_suppressed_cells']} secondary")
    print(f"datapackage valid: {report['frictionless']['valid']} -> {args.out}")
    return 0 if report["frictionless"]["valid"] else 1
