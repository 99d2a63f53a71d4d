"""The source contract as the dbt project declares it: the raw tables and their columns.

The sources' YAML files (models/staging/*/_*__sources.yml) are the single place that
lists every landed table and column; the loader validates files against them, so a
column added to a source is checked at load time without touching the loader.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class RawTable:
    source: str
    name: str
    columns: tuple[str, ...]


def raw_tables(project_root: Path = PROJECT_ROOT) -> dict[str, RawTable]:
    """Every raw table the sources declare, by table name, columns in declared order."""
    tables: dict[str, RawTable] = {}
    for path in sorted((project_root / "models" / "staging").glob("*/_*__sources.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for source in document.get("sources", []):
            for table in source.get("tables", []):
                columns = tuple(column["name"].lower() for column in table.get("columns", []))
                if table["name"] in tables:
                    raise ValueError(f"raw table {table['name']} is declared twice ({path})")
                tables[table["name"]] = RawTable(source["name"], table["name"], columns)
    if not tables:
        raise ValueError(f"no sources found under {project_root / 'models' / 'staging'}")
    return tables
