"""Prints a fingerprint of everything `dbt parse` reads in this project, so that a script
can skip the parse when none of it changed since the artifact it needs was written
(scripts/metricflow.sh, docs/decisions.md D125).

It covers: dbt_project.yml and the other project files in its directory that dbt reads,
the profile (profiles.yml in DBT_PROFILES_DIR), every file under the paths that
dbt_project.yml declares (models, macros, seeds, snapshots, tests, analyses, docs,
functions, installed packages; dbt's defaults where a path is not declared), the
environment variables the project reads (ENVIRONMENT_PREFIXES, secrets left out) and
the versions of dbt's packages installed beside this Python. Files count by relative
path and content, so a checkout that only touches times changes nothing.

Usage: python scripts/dbt_parse_inputs.py [project directory]  (default: the current one)
"""
import hashlib
import os
import sys
from importlib import metadata
from pathlib import Path

import yaml

# Every env_var() of the project's YAML and SQL is named with one of these
# (test_suite/test_semantic_layer.py checks it); secrets never reach a parse's result.
ENVIRONMENT_PREFIXES = ("DBT_", "SALES_INSIGHTS_")
SECRET_NAME_PARTS = ("PASSWORD", "KEY", "SECRET", "TOKEN")
PROJECT_FILES = ("dbt_project.yml", "packages.yml", "dependencies.yml", "package-lock.yml", "selectors.yml")
# dbt_project.yml key -> dbt's default (dbt-core's config/project.py)
PATH_DEFAULTS = {
    "model-paths": ["models"], "macro-paths": ["macros"], "seed-paths": ["seeds"],
    "test-paths": ["tests"], "analysis-paths": ["analyses"], "snapshot-paths": ["snapshots"],
    "function-paths": ["functions"], "asset-paths": [],
}


def project_paths(project: Path) -> list[Path]:
    """The directories of the project that dbt parses, as dbt_project.yml declares them."""
    config = yaml.safe_load((project / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    paths = [path for key, default in PATH_DEFAULTS.items() for path in config.get(key) or default]
    paths += config.get("docs-paths") or []  # dbt's default: the paths above
    paths.append(config.get("packages-install-path") or "dbt_packages")
    return sorted({project / path.rstrip("/") for path in paths})


def environment() -> list[str]:
    return sorted(
        f"{name}={value}" for name, value in os.environ.items()
        if name.startswith(ENVIRONMENT_PREFIXES) and not any(part in name for part in SECRET_NAME_PARTS)
    )


def fingerprint(project: Path) -> str:
    digest = hashlib.sha256()

    def add_file(label: str, path: Path) -> None:
        digest.update(f"{label}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())

    for name in PROJECT_FILES:
        if (project / name).is_file():
            add_file(name, project / name)
    profiles = Path(os.environ.get("DBT_PROFILES_DIR") or project) / "profiles.yml"
    if profiles.is_file():
        add_file("profiles.yml", profiles)
    for directory in project_paths(project):
        for path in sorted(directory.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                add_file(path.relative_to(project).as_posix(), path)
    for line in environment():
        digest.update(f"env\0{line}\n".encode())
    for distribution in sorted(metadata.distributions(), key=lambda d: d.metadata["Name"].lower()):
        if distribution.metadata["Name"].lower().startswith("dbt"):
            digest.update(f"package\0{distribution.metadata['Name']}=={distribution.version}\n".encode())
    return digest.hexdigest()


if __name__ == "__main__":
    print(fingerprint(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
