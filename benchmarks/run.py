"""Measure the warehouse against its physical floor, per engine and scale.

    scripts/benchmark.sh [--engines duckdb postgres mysql spark] [--scales 1000000 10000000]
                         [--seed-scale 50000] [--out benchmarks/results] [--machine NAME]

For each engine and scale (order lines; inventory and master data generated to match):
generate the landing once (cached), bulk-load it, build everything with dbt (models and
snapshots, then tests, timed apart), execute the same compiled SQL of every model
directly on the engine in dependency order (the floor), append one more day of data and
build incrementally (testing the rows it rebuilt: data_tests_scope 'changed'); and, at the seed scale, time `dbt seed` against the loader on the
same files. Peak memory is the peak resident set of each measured process (dbt runs
DuckDB in-process, so for DuckDB it is the engine's too). Writes report.json and
report.md under <out>/<date>-<machine>/.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DBT = str(Path(sys.executable).parent / "dbt")
# Spark at a million lines needs more than the profile's defaults (sized for the sample);
# an environment variable of the same name wins.
SPARK_BENCHMARK_SETTINGS = {"DBT_SPARK_DRIVER_MEMORY": "6g", "DBT_SPARK_SHUFFLE_PARTITIONS": "8"}
GIB = 1024 ** 3
GOALS = {
    "models_vs_floor": 1.3, "tests_vs_models": 0.5, "incremental_vs_full": 0.05,
    "peak_memory_gib": 4.0, "load_speedup_vs_seed": 50.0,
}


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


class LoadSampler:
    """Samples the 1-minute load average while the benchmark runs (the machine may be shared)."""

    def __init__(self, every: float = 5.0):
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        values = self.samples or [os.getloadavg()[0]]
        return {"min": round(min(values), 2), "mean": round(sum(values) / len(values), 2),
                "max": round(max(values), 2), "samples": len(values)}


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    return {"hostname": socket.gethostname(), "cores": os.cpu_count(), "cpu_model": cpu,
            "ram_gib": round(mem_kib / 1024 / 1024, 1), "os": platform.platform(),
            "python": platform.python_version()}


def measured(command: list[str], env: dict, cwd: Path = PROJECT_ROOT, log: Path | None = None,
             check: bool = True) -> dict:
    """Run a command under GNU time: wall seconds and peak RSS of the process."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        started = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", timing.name, *command],
                                cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        seconds = time.perf_counter() - started
        lines = [line for line in Path(timing.name).read_text().splitlines() if line.strip().isdigit()]
    if log:
        log.write_text(result.stdout)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed ({result.returncode}):\n{result.stdout[-4000:]}")
    return {"seconds": round(seconds, 2), "peak_rss_gib": round(int(lines[-1]) * 1024 / GIB, 3) if lines else None,
            "returncode": result.returncode, "output": result.stdout}


def generate(scale: int, cache: Path, inventory_frequency: str = "daily") -> Path:
    """The landing of `scale` order lines (cached). Daily stock snapshots make the
    inventory grow with the history (monthly ones stay at ~40k positions)."""
    directory = cache / (f"ol{scale}" if inventory_frequency == "monthly" else f"ol{scale}-{inventory_frequency}")
    if not (directory / "_manifest.json").is_file():
        say(f"generating {scale:,} order lines into {directory}")
        subprocess.run([PYTHON, "-m", "datagen", "--order-lines", str(scale), "--out", str(directory),
                        "--format", "both", "--inventory-frequency", inventory_frequency],
                       cwd=PROJECT_ROOT, check=True)
    next_day = directory / "next_day"
    summary = next_day / "_increment.json"
    # the day of issue 18: new and corrected lines, a stock snapshot, one erasure request
    # and one late product version (a day generated before they were part of it is redone)
    if not summary.is_file() or "product_versions" not in json.loads(summary.read_text()):
        shutil.rmtree(next_day, ignore_errors=True)
        subprocess.run([PYTHON, "-m", "datagen.increment", "--from", str(directory), "--out", str(next_day),
                        "--erasures", "1", "--product-versions", "1"],
                       cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL)
    return directory


# ------------------------------------------------------------------ engines

@functools.cache
def mysql_dbt() -> str:
    """The dbt of .venv-mysql (dbt-mysql needs dbt-core 1.7), created or brought up to
    date by scripts/_env.sh, which also installs the hook that hands the
    pseudonymization key to dbt-mysql's connections."""
    setup = subprocess.run(["bash", "-c", "source scripts/_env.sh >&2 && command -v dbt"], cwd=PROJECT_ROOT,
                           env=dict(os.environ, DBT_TARGET="mysql"), stdout=subprocess.PIPE, text=True)
    if setup.returncode != 0 or not setup.stdout.strip():
        raise RuntimeError("could not set up .venv-mysql (scripts/_env.sh with DBT_TARGET=mysql)")
    return setup.stdout.strip().splitlines()[-1]


class Target:
    """Where one engine × scale run builds: its own database, file or directory."""

    def __init__(self, engine: str, scale: int, workdir: Path):
        self.engine, self.scale, self.workdir = engine, scale, workdir
        self.target_path, self.log_path = workdir / "target", workdir / "logs"
        self.database = f"sales_insights_bench_{scale}"
        # on MySQL a schema is a database: every layer's database carries the run's prefix
        self.prefix = self.database + "_" if engine == "mysql" else ""
        self.raw_schema = self.prefix + "raw"

    def vars(self, **extra) -> str:
        values = {"raw_data_from_seeds": False, **extra}
        if self.prefix:
            values["schema_prefix"] = self.prefix
        return json.dumps(values)

    def exclude_unit_tests(self) -> tuple[str, ...]:
        # dbt 1.7 (.venv-mysql) has no unit tests, nor their resource type to select
        return () if self.engine == "mysql" else ("resource_type:unit_test",)

    def env(self) -> dict:
        env = dict(os.environ, DBT_TARGET=self.engine, DBT_SEND_ANONYMOUS_USAGE_STATS="false",
                   DBT_USE_COLORS="false")
        if self.engine == "duckdb":
            env["DBT_DUCKDB_PATH"] = str(self.workdir / "warehouse.duckdb")
        elif self.engine == "postgres":
            env["DBT_POSTGRES_DBNAME"] = self.database
        elif self.engine == "mysql":
            env["DBT_MYSQL_SCHEMA"] = self.database
        elif self.engine == "spark":
            env["DBT_SPARK_DIR"] = str(self.workdir / "spark")
            env.update({name: os.environ.get(name, value) for name, value in SPARK_BENCHMARK_SETTINGS.items()})
        return env

    def reset(self) -> None:
        if self.workdir.exists():
            shutil.rmtree(self.workdir)
        self.workdir.mkdir(parents=True)
        if self.engine == "postgres":
            self._postgres_admin(f"drop database if exists {self.database} with (force)",
                                 f"create database {self.database}")
        elif self.engine == "mysql":
            names = self._mysql("select schema_name from information_schema.schemata "
                                f"where schema_name = '{self.database}' or schema_name like '{self.prefix}%'")
            if names.split():
                self._mysql("".join(f"drop database `{name}`;" for name in names.split()))

    def _mysql(self, sql: str) -> str:
        env = dict(os.environ)
        if os.environ.get("DBT_MYSQL_PASSWORD"):
            env["MYSQL_PWD"] = os.environ["DBT_MYSQL_PASSWORD"]
        result = subprocess.run(
            [shutil.which("mariadb") or "mysql", "--batch", "--skip-column-names",
             f"--host={os.environ.get('DBT_MYSQL_HOST', '127.0.0.1')}",
             f"--port={os.environ.get('DBT_MYSQL_PORT', '3306')}",
             f"--user={os.environ.get('DBT_MYSQL_USER', 'root')}"],
            input=sql, text=True, capture_output=True, env=env, check=True)
        return result.stdout

    def server_settings(self) -> dict:
        """The server settings that decide how much of the warehouse a query reads from
        memory (recorded in the report; DuckDB's and Spark's are the report's own fields)."""
        if self.engine == "mysql":
            names = ("version", "innodb_buffer_pool_size", "innodb_flush_method", "tmp_table_size",
                     "max_heap_table_size", "join_buffer_size", "join_cache_level")
            values = self._mysql("select " + ", ".join(f"@@{name}" for name in names)).rstrip("\n").split("\t")
            return dict(zip(names, values))
        if self.engine == "postgres":
            names = ("server_version", "shared_buffers", "work_mem", "effective_cache_size", "max_parallel_workers")
            return dict(zip(names, self._postgres_admin(*(f"show {name}" for name in names))))
        return {}

    @contextlib.contextmanager
    def mysql_buffer_pool(self, size: int | None):
        """InnoDB's buffer pool resized to `size` bytes for the run, then given back its size.
        MariaDB reads InnoDB with O_DIRECT, so its buffer pool is all the cache it has (the
        1M warehouse takes 4.6 GiB in InnoDB, 37 times the default 128 MiB), unlike
        PostgreSQL, which the operating system's page cache backs (D89)."""
        if self.engine != "mysql" or not size:
            yield
            return
        before = int(self._mysql("select @@innodb_buffer_pool_size"))
        self._resize_buffer_pool(size)
        try:
            yield
        finally:
            self._resize_buffer_pool(before)

    def _resize_buffer_pool(self, size: int) -> None:
        self._mysql(f"set global innodb_buffer_pool_size = {size}")
        deadline = time.monotonic() + 300
        # the resize runs in the background; the variable shows the new size once it is done
        while int(self._mysql("select @@innodb_buffer_pool_size")) < size - 128 * 1024 ** 2:
            if time.monotonic() > deadline:
                raise RuntimeError(f"InnoDB's buffer pool did not reach {size} bytes within 5 minutes")
            time.sleep(1)

    def _postgres_admin(self, *statements: str) -> list:
        import psycopg2

        connection = psycopg2.connect(host=os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
                                      port=int(os.environ.get("DBT_POSTGRES_PORT", "5432")),
                                      user=os.environ.get("DBT_POSTGRES_USER", "postgres"),
                                      password=os.environ.get("DBT_POSTGRES_PASSWORD", ""), dbname="postgres")
        connection.autocommit = True
        values = []
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                values.append(cursor.fetchone()[0] if cursor.description else None)
        connection.close()
        return values

    def dbt(self, *args: str, name: str, check: bool = True, **extra_vars) -> dict:
        dbt = mysql_dbt() if self.engine == "mysql" else DBT
        command = [dbt, *args, "--target", self.engine, "--vars", self.vars(**extra_vars), "--target-path", str(self.target_path),
                   "--log-path", str(self.log_path), "--project-dir", str(PROJECT_ROOT)]
        result = measured(command, self.env(), log=self.workdir / f"{name}.log", check=check)
        results_file = self.target_path / "run_results.json"
        result["run_results"] = json.loads(results_file.read_text()) if results_file.is_file() else None
        return result

    def load(self, directory: Path, *args: str, name: str) -> dict:
        timings = self.workdir / f"{name}.json"
        result = measured([PYTHON, "-m", "raw_loader", "--target", self.engine, "--from", str(directory),
                           "--schema", self.raw_schema, "--timings", str(timings), *args], self.env(), log=self.workdir / f"{name}.log")
        result["tables"] = json.loads(timings.read_text())["tables"]
        return result


def node_times(run_results: dict | None) -> dict:
    """Seconds per resource type (sum of node execution times) and the slowest nodes."""
    if not run_results:
        return {}
    by_type: dict[str, float] = {}
    nodes = []
    for result in run_results["results"]:
        kind = result["unique_id"].split(".")[0]
        by_type[kind] = by_type.get(kind, 0.0) + result["execution_time"]
        nodes.append((result["execution_time"], result["unique_id"]))
    nodes.sort(reverse=True)
    return {"seconds_by_type": {k: round(v, 2) for k, v in by_type.items()},
            "slowest": [{"node": uid, "seconds": round(sec, 2)} for sec, uid in nodes[:12]]}


# ------------------------------------------------------------------ the floor

def topological_models(manifest: dict) -> list[dict]:
    models = {uid: node for uid, node in manifest["nodes"].items()
              if node["resource_type"] == "model" and node["config"].get("enabled", True)
              and node["config"]["materialized"] != "ephemeral"}
    ordered, seen = [], set()

    def visit(uid: str) -> None:
        if uid in seen or uid not in models:
            return
        seen.add(uid)
        for parent in models[uid]["depends_on"]["nodes"]:
            visit(parent)
        ordered.append(models[uid])

    for uid in sorted(models):
        visit(uid)
    return ordered


def floor_statements(engine: str, node: dict) -> list[str]:
    relation = node["relation_name"]
    sql = node["compiled_code"]
    if node["config"]["materialized"] == "view":
        if engine == "postgres":
            return [f"drop view if exists {relation} cascade", f"create view {relation} as (\n{sql}\n)"]
        if engine in ("mysql", "spark"):
            return [f"create or replace view {relation} as\n{sql}"]
        return [f"create or replace view {relation} as (\n{sql}\n)"]
    if engine == "postgres":
        return [f"drop table if exists {relation} cascade", f"create table {relation} as (\n{sql}\n)"]
    if engine == "mysql":
        # as dbt builds it: the contract's column types (MariaDB indexes no text without a
        # length), the rows, then the documented indexes (MariaDB joins large tables
        # through them), D86. The types come from the table dbt built, whose indexes (the
        # post-hook's, macros/cross_db/engine_indexes.sql) are dropped first.
        contract = node["config"].get("contract", {}).get("enforced") and list(node["columns"])
        columns = ", ".join(f"`{name}`" for name in contract) if contract else "*"
        into = f" ({columns})" if contract else ""
        identifier = node["floor_of"].rsplit(".", 1)[1].strip("`")
        indexes = [(f"ix_{identifier[:56]}_{number}", ", ".join(index["columns"]))
                   for number, index in enumerate(node["config"].get("indexes") or [], 1)]
        drops = [f"alter table {relation} " + ", ".join(f"drop index {name}" for name, _ in indexes)]
        adds = [f"alter table {relation} " + ", ".join(f"add index {name} ({cols})" for name, cols in indexes)]
        return [f"drop table if exists {relation}", f"create table {relation} like {node['floor_of']}",
                *(drops if indexes else []),
                f"insert into {relation}{into}\nselect {columns} from (\n{sql}\n) as floor_model",
                *(adds if indexes else [])]
    if engine == "spark":
        file_format = node["config"].get("file_format") or "parquet"
        return [f"drop table if exists {relation}", f"create table {relation} using {file_format} as\n{sql}"]
    return [f"create or replace table {relation} as (\n{sql}\n)"]


def in_floor_schemas(engine: str, models: list[dict]) -> tuple[list[dict], list[str], list[str]]:
    """The models rewritten to build into schemas of their own (`<schema>_floor`), reading
    sources, seeds and snapshots where dbt left them; with the statements that create and
    drop those schemas. For MySQL and Spark, which have no cheap copy of a warehouse."""
    renames, schemas = {}, set()
    for node in models:
        schema, identifier = node["relation_name"].rsplit(".", 1)
        floor_schema = schema[:-1] + "_floor`" if schema.endswith("`") else schema + "_floor"
        renames[node["relation_name"]] = f"{floor_schema}.{identifier}"
        schemas.add(floor_schema)
    # a relation name ends at a character that cannot continue an identifier (Spark's are unquoted)
    pattern = re.compile(r"(?<![\w`.])(" + "|".join(re.escape(name) for name in sorted(renames, key=len, reverse=True))
                         + r")(?![\w`])")
    rewritten = [dict(node, relation_name=renames[node["relation_name"]], floor_of=node["relation_name"],
                      compiled_code=pattern.sub(lambda match: renames[match.group(1)], node["compiled_code"]))
                 for node in models]
    cascade = " cascade" if engine == "spark" else ""
    return (rewritten, [f"create database if not exists {schema}" for schema in sorted(schemas)],
            [f"drop database if exists {schema}{cascade}" for schema in sorted(schemas)])


def run_floor(target: Target, copy_dir: Path) -> dict:
    """Execute every model's compiled SQL (full-refresh compilation) in dependency order,
    on a copy of the dbt-built warehouse (snapshots and raw tables as dbt left them)."""
    manifest = json.loads((target.workdir / "manifest_full_build.json").read_text())
    models = topological_models(manifest)
    setup, teardown = [], []
    if target.engine in ("mysql", "spark"):
        models, setup, teardown = in_floor_schemas(target.engine, models)
    statements = [statement for node in models for statement in floor_statements(target.engine, node)]
    if target.engine == "postgres":
        # the copy is another database: PostgreSQL refuses references qualified with the original's name
        statements = [statement.replace(f'"{target.database}".', "") for statement in statements]
    script = copy_dir / "floor.json"
    script.write_text(json.dumps({"engine": target.engine, "setup": setup, "statements": statements,
                                  "teardown": teardown}))
    env = target.env()
    if target.engine == "duckdb":
        copy = copy_dir / "warehouse.duckdb"  # same file name: the catalog keeps its name
        shutil.copy(target.workdir / "warehouse.duckdb", copy)
        env["DBT_DUCKDB_PATH"] = str(copy)
    elif target.engine == "postgres":
        copy_db = target.database + "_floor"
        target._postgres_admin(f"drop database if exists {copy_db} with (force)",
                               f"create database {copy_db} template {target.database}")
        env["DBT_POSTGRES_DBNAME"] = copy_db
    result = measured([PYTHON, "-m", "benchmarks.floor", str(script)], env, log=copy_dir / "floor.log")
    report = json.loads(result["output"].strip().splitlines()[-1])
    report.update(seconds=result["seconds"], peak_rss_gib=result["peak_rss_gib"], models=len(models))
    if target.engine == "postgres":
        target._postgres_admin(f"drop database if exists {target.database}_floor with (force)")
    return report


# ------------------------------------------------------------------ seed comparison

def seed_comparison(engine: str, directory: Path, workdir: Path) -> dict:
    """`dbt seed` and the loader on the same files, in a copy of the project whose seeds
    are the generated landing (CSV)."""
    project = workdir / "project"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(PROJECT_ROOT, project, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "target", "logs", "build", "*.duckdb", "__pycache__", "benchmarks"))
    for csv_file in (project / "seeds" / "raw").glob("*.csv"):
        shutil.copy(directory / csv_file.name, csv_file)
    target = Target(engine, 0, workdir / "seed_target")
    target.database = "sales_insights_bench_seed"
    target.reset()
    env = target.env()
    seed = measured([DBT, "seed", "--target", engine, "--project-dir", str(project),
                     "--target-path", str(target.target_path), "--log-path", str(target.log_path),
                     "--profiles-dir", str(PROJECT_ROOT), "--threads", "1"],
                    env, cwd=project, log=workdir / "seed.log", check=False)
    seed_results = json.loads((target.target_path / "run_results.json").read_text())
    failed = [r["unique_id"] for r in seed_results["results"]
              if r["unique_id"].startswith("seed.") and r["status"] != "success"]
    if failed:
        raise RuntimeError(f"dbt seed failed for {failed}; see {workdir / 'seed.log'}")
    per_table = {r["unique_id"].split(".")[-1]: round(r["execution_time"], 2) for r in seed_results["results"]}
    target.reset()
    load = target.load(directory, "--format", "csv", name="load_for_seed")
    loaded = {table: values["seconds"] for table, values in load["tables"].items()}
    table = "sales_order_lines"
    return {"dbt_seed_seconds": seed["seconds"], "loader_seconds": load["seconds"],
            "dbt_seed_seconds_by_table": per_table, "loader_seconds_by_table": loaded,
            "speedup_whole_landing": round(seed["seconds"] / max(load["seconds"], 1e-9), 1),
            "speedup_sales_order_lines": round(per_table.get(table, 0) / max(loaded.get(table, 0), 1e-3), 1),
            "seed_peak_rss_gib": seed["peak_rss_gib"]}


# ------------------------------------------------------------------ one engine × scale

def run_one(engine: str, scale: int, cache: Path, workroot: Path, floor: bool,
            inventory_frequency: str, model_threads: int | None = None,
            mysql_buffer_pool: int | None = None) -> dict:
    directory = generate(scale, cache, inventory_frequency)
    target = Target(engine, scale, workroot / f"{engine}-{scale}")
    target.reset()
    with target.mysql_buffer_pool(mysql_buffer_pool):
        return measure(target, directory, floor, model_threads)


def measure(target: Target, directory: Path, floor: bool, model_threads: int | None) -> dict:
    engine, scale = target.engine, target.scale
    result: dict = {"engine": engine, "scale": scale, "server": target.server_settings(),
                    "landing": json.loads((directory / "_manifest.json").read_text())["row_counts"]}
    say(f"{engine} {scale:,}: bulk load")
    load = target.load(directory, name="load")
    result["load"] = {"seconds": load["seconds"], "peak_rss_gib": load["peak_rss_gib"], "tables": load["tables"]}

    say(f"{engine} {scale:,}: dbt build, models and snapshots")
    threads = ("--threads", str(model_threads)) if model_threads else ()
    models = target.dbt("build", "--exclude", "resource_type:test", *target.exclude_unit_tests(), *threads,
                        name="build_models")
    # the models' compiled SQL (as a full build compiles it), before `dbt test` rewrites the manifest
    shutil.copy(target.target_path / "manifest.json", target.workdir / "manifest_full_build.json")
    say(f"{engine} {scale:,}: dbt test")
    no_unit_tests = ("--exclude", *target.exclude_unit_tests()) if target.exclude_unit_tests() else ()
    tests = target.dbt("test", *no_unit_tests, name="build_tests")
    result["full_build"] = {
        "models_and_snapshots_seconds": models["seconds"], "tests_seconds": tests["seconds"],
        "total_seconds": round(models["seconds"] + tests["seconds"], 2),
        "peak_rss_gib": max(models["peak_rss_gib"] or 0, tests["peak_rss_gib"] or 0),
        "models": node_times(models["run_results"]), "tests": node_times(tests["run_results"])}
    by_type = result["full_build"]["models"].get("seconds_by_type", {})
    result["full_build"]["snapshot_node_seconds"] = by_type.get("snapshot", 0.0)
    result["full_build"]["model_node_seconds"] = by_type.get("model", 0.0)

    if floor:
        say(f"{engine} {scale:,}: the direct-SQL floor")
        floor_dir = target.workdir / "floor"
        floor_dir.mkdir()
        try:
            result["floor"] = run_floor(target, floor_dir)
        except Exception as error:  # the build's and the incremental day's numbers still count
            say(f"{engine} {scale:,}: the floor failed: {error}")
            result["floor"] = {"skipped": "failed (see report.json)", "error": str(error)[-3000:]}
        shutil.rmtree(floor_dir, ignore_errors=True)

    say(f"{engine} {scale:,}: one more day, landed and built incrementally")
    appended = target.load(directory / "next_day", "--mode", "append", "--tables", "sales_order_lines",
                           "inventory_snapshots", "erasure_requests", name="append")
    replaced = target.load(directory / "next_day", "--tables", "products", name="replace")
    # The daily run's vars: its data tests of the incremental models check the rows it
    # rebuilt (D137). Production parses the day with yesterday's vars; the one full parse
    # that new vars cost here (dbt reparses when vars change) is done untimed beforehand.
    daily_vars = {"data_tests_scope": "changed"}
    target.dbt("parse", name="incremental_parse", **daily_vars)
    inc_models = target.dbt("build", "--exclude", "resource_type:test", *target.exclude_unit_tests(), *threads,
                            name="incremental_models", **daily_vars)
    inc_tests = target.dbt("test", *no_unit_tests, name="incremental_tests", **daily_vars)
    result["incremental"] = {
        "day": json.loads((directory / "next_day" / "_increment.json").read_text()),
        "vars": daily_vars,
        "append_seconds": round(appended["seconds"] + replaced["seconds"], 2),
        "models_and_snapshots_seconds": inc_models["seconds"], "tests_seconds": inc_tests["seconds"],
        "peak_rss_gib": max(inc_models["peak_rss_gib"] or 0, inc_tests["peak_rss_gib"] or 0),
        "models": node_times(inc_models["run_results"])}
    return result


# ------------------------------------------------------------------ report

def ratio(numerator, denominator):
    return round(numerator / denominator, 3) if numerator is not None and denominator else None


def evaluate(runs: list[dict], seed: dict | None) -> list[dict]:
    goals = []
    duckdb_runs = sorted((r for r in runs if r["engine"] == "duckdb" and "full_build" in r),
                         key=lambda r: r["scale"])
    if duckdb_runs:
        top = duckdb_runs[-1]
        scale_note = f"DuckDB, {top['scale']:,} order lines"
        full, floor = top["full_build"], top.get("floor", {})
        models_seconds = full["models_and_snapshots_seconds"]
        floor_seconds = floor.get("statements_seconds")
        value = ratio(models_seconds, floor_seconds)
        goals.append({"goal": "models within 1.3x of the direct-SQL floor", "where": scale_note,
                      "value": value, "met": value is not None and value <= GOALS["models_vs_floor"]})
        value = ratio(full["tests_seconds"], models_seconds)
        goals.append({"goal": "tests add at most half as much again (tests / models <= 0.5)",
                      "where": scale_note, "value": value, "met": value is not None and value <= 0.5})
        inc = top["incremental"]
        value = ratio(inc["models_and_snapshots_seconds"] + inc["tests_seconds"], full["total_seconds"])
        goals.append({"goal": "daily incremental run under 5% of the full build (with tests)",
                      "where": scale_note, "value": value, "met": value is not None and value < 0.05})
        value = ratio(inc["models_and_snapshots_seconds"], models_seconds)
        goals.append({"goal": "daily incremental run under 5% of the full build (models and snapshots only)",
                      "where": scale_note, "value": value, "met": value is not None and value < 0.05})
        peak = max(full["peak_rss_gib"], inc["peak_rss_gib"], floor.get("peak_rss_gib") or 0)
        goals.append({"goal": "peak memory under 4 GiB", "where": scale_note, "value": peak,
                      "met": peak < GOALS["peak_memory_gib"]})
        if len(duckdb_runs) >= 2:
            small, large = duckdb_runs[0], duckdb_runs[-1]
            data_ratio = large["scale"] / small["scale"]
            time_ratio = ratio(large["full_build"]["total_seconds"], small["full_build"]["total_seconds"])
            goals.append({"goal": f"time grows no faster than the data ({small['scale']:,} -> {large['scale']:,}: "
                                  f"data x{data_ratio:g})", "where": "DuckDB", "value": time_ratio,
                          "met": time_ratio is not None and time_ratio <= data_ratio})
        else:
            goals.append({"goal": "time grows no faster than the data", "where": "DuckDB",
                          "value": None, "met": None, "note": "only one scale was run"})
    if seed:
        value = seed["speedup_sales_order_lines"]
        goals.append({"goal": "bulk load at least 50x faster than dbt seed on the same file (sales_order_lines)",
                      "where": f"{seed['engine']}, {seed['scale']:,} order lines", "value": value,
                      "met": value >= GOALS["load_speedup_vs_seed"]})
    return goals


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [f"# Benchmark {report['started_at'][:10]} on {m['hostname']}", "",
             f"- machine: {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['cpu_model']}, {m['os']}",
             f"- load average (1 min) during the run: min {report['load_average']['min']}, "
             f"mean {report['load_average']['mean']}, max {report['load_average']['max']} "
             f"(the benchmark's own processes count in it; other work on the machine: see notes)",
             f"- dbt threads: {report['dbt_threads']} (models and snapshots: "
             f"{report.get('model_threads') or report['dbt_threads']}); DuckDB memory_limit: {report.get('duckdb_memory_limit')}, "
             f"preserve_insertion_order: {report.get('duckdb_preserve_insertion_order')}; "
             f"stock snapshots: {report.get('inventory_frequency')}; "
             f"command: `{report['command']}`",
             f"- wall time of the whole benchmark: {report['seconds']:.0f} s", "", "## Goals", "",
             "| goal | where | value | met |", "|---|---|---|---|"]
    for goal in report["goals"]:
        met = {True: "yes", False: "**no**", None: "not measured"}[goal["met"]]
        lines.append(f"| {goal['goal']} | {goal['where']} | {goal['value']} | {met} |")
    lines += ["", "## Runs", "",
              "| engine | order lines | load s | models+snapshots s | tests s | floor s | models/floor | "
              "incremental s (models+snap / tests) | incremental/full | peak GiB |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for run in report["runs"]:
        full, floor, inc = run.get("full_build"), run.get("floor", {}), run.get("incremental")
        if not full:
            lines.append(f"| {run['engine']} | {run['scale']:,} | {run['load']['seconds']} | "
                         f"{run.get('build', {}).get('skipped', '')} | | | | | | |")
            continue
        inc_total = inc["models_and_snapshots_seconds"] + inc["tests_seconds"]
        lines.append(
            f"| {run['engine']} | {run['scale']:,} | {run['load']['seconds']} | "
            f"{full['models_and_snapshots_seconds']} | {full['tests_seconds']} | "
            f"{floor.get('statements_seconds', floor.get('skipped', ''))} | "
            f"{ratio(full['models_and_snapshots_seconds'], floor.get('statements_seconds'))} | "
            f"{inc['models_and_snapshots_seconds']} / {inc['tests_seconds']} | "
            f"{ratio(inc_total, full['total_seconds'])} | "
            f"{max(full['peak_rss_gib'], inc['peak_rss_gib'])} |")
    for run in report["runs"]:
        if run.get("server"):
            lines.append(f"\n{run['engine']} {run['scale']:,} server: "
                         + ", ".join(f"{name} {value}" for name, value in run["server"].items()))
    if report.get("seed_comparison"):
        seed = report["seed_comparison"]
        lines += ["", f"## dbt seed vs the loader ({seed['engine']}, {seed['scale']:,} order lines, CSV)", "",
                  f"- whole landing: dbt seed {seed['dbt_seed_seconds']} s, loader {seed['loader_seconds']} s "
                  f"(x{seed['speedup_whole_landing']}, both including process start)",
                  f"- sales_order_lines alone: dbt seed {seed['dbt_seed_seconds_by_table'].get('sales_order_lines')} s, "
                  f"loader {seed['loader_seconds_by_table'].get('sales_order_lines')} s "
                  f"(x{seed['speedup_sales_order_lines']})"]
    for run in report["runs"]:
        if not run.get("full_build"):
            continue
        lines += ["", f"## Where the time goes: {run['engine']}, {run['scale']:,} order lines", "",
                  "Slowest models and snapshots (full build):", ""]
        lines += [f"- {n['node']}: {n['seconds']} s" for n in run["full_build"]["models"].get("slowest", [])[:8]]
        lines += ["", "Slowest tests:", ""]
        lines += [f"- {n['node']}: {n['seconds']} s" for n in run["full_build"]["tests"].get("slowest", [])[:6]]
        day = run["incremental"].get("day", {})
        lines += ["", "The incremental day (datagen/increment.py): "
                  f"{day.get('new_order_lines', 0):,} new order lines, {day.get('corrected_order_lines', 0):,} "
                  f"corrected ones, {day.get('inventory_positions', 0):,} stock positions, "
                  f"{day.get('erasure_requests', 0)} erasure request(s), "
                  f"{day.get('product_versions', 0)} late product version(s).", ""]
        scope = run["incremental"].get("vars", {}).get("data_tests_scope", "all")
        lines += [f"Its data tests of the incremental models ran with data_tests_scope `{scope}` (D137).", ""]
        lines += ["Slowest nodes of the incremental run:", ""]
        lines += [f"- {n['node']}: {n['seconds']} s" for n in run["incremental"]["models"].get("slowest", [])[:6]]
    lines += ["", "Landed rows per run: " + "; ".join(
        f"{run['engine']} {run['scale']:,}: " + ", ".join(f"{t} {n:,}" for t, n in run.get("landing", {}).items()
                                                          if t in ("sales_order_lines", "inventory_snapshots"))
        for run in report["runs"] if run.get("landing"))]
    if report.get("notes"):
        lines += ["", "## Notes", "", *report["notes"]]
    return "\n".join(lines) + "\n"


def byte_size(text: str) -> int:
    """`4G`, `512M`, `65536K` or a number of bytes."""
    match = re.fullmatch(r"(\d+)([KMG]?)", text.strip().upper())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (write 4G, 512M or bytes)")
    return int(match.group(1)) * 1024 ** "_KMG".index(match.group(2) or "_")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/benchmark.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", nargs="+", default=["duckdb"],
                        choices=("duckdb", "postgres", "mysql", "spark"))
    parser.add_argument("--scales", nargs="+", type=int, default=[1_000_000, 10_000_000])
    parser.add_argument("--seed-scale", type=int, default=50_000,
                        help="order lines at which dbt seed is timed against the loader (0: skip)")
    parser.add_argument("--seed-engine", default="duckdb", choices=("duckdb", "postgres"))
    parser.add_argument("--no-floor", action="store_true", help="skip the direct-SQL floor")
    parser.add_argument("--model-threads", type=int,
                        help="dbt threads for models and snapshots (default the profile's); tests keep the "
                             "profile's. 1 builds one model at a time, as the floor does, and keeps the big "
                             "models from sharing DuckDB's memory limit")
    parser.add_argument("--mysql-buffer-pool", type=byte_size, metavar="SIZE",
                        help="InnoDB buffer pool size for the MySQL/MariaDB runs (e.g. 4G), set on the "
                             "server for the run and restored after it (default: the server's own)")
    parser.add_argument("--inventory-frequency", default="daily", choices=("monthly", "weekly", "daily"),
                        help="stock snapshot dates of the generated landing (default daily: inventory "
                             "grows with the history)")
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT / "build" / "benchmark_data",
                        help="cache of generated landings (default build/benchmark_data)")
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / "build" / "benchmark")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "benchmarks" / "results")
    parser.add_argument("--machine", default=socket.gethostname(), help="name of the results folder's machine part")
    parser.add_argument("--note", action="append", default=[], help="a line for the report's notes")
    args = parser.parse_args(argv)

    started_at = datetime.now(timezone.utc)
    started = time.perf_counter()
    report = {"started_at": started_at.isoformat(timespec="seconds"), "machine": machine(),
              "command": "scripts/benchmark.sh " + " ".join(argv if argv is not None else sys.argv[1:]),
              "dbt_threads": int(os.environ.get("DBT_THREADS", "4")), "goals_asked": GOALS,
              "model_threads": args.model_threads,
              "duckdb_memory_limit": os.environ.get("DBT_DUCKDB_MEMORY_LIMIT", "80%"),
              "duckdb_preserve_insertion_order": os.environ.get("DBT_DUCKDB_PRESERVE_INSERTION_ORDER", "true"),
              "inventory_frequency": args.inventory_frequency, "runs": []}
    with LoadSampler() as load_average:
        if args.seed_scale:
            say(f"dbt seed vs loader at {args.seed_scale:,} order lines ({args.seed_engine})")
            directory = generate(args.seed_scale, args.data, "monthly")
            try:
                report["seed_comparison"] = dict(seed_comparison(args.seed_engine, directory,
                                                                 args.work / f"seed-{args.seed_scale}"),
                                                 engine=args.seed_engine, scale=args.seed_scale)
            except Exception as error:  # keep the other measurements
                say(f"seed comparison failed: {error}")
                report["seed_comparison_error"] = str(error)[-3000:]
        for engine in args.engines:
            for scale in args.scales:
                try:
                    report["runs"].append(run_one(engine, scale, args.data, args.work, not args.no_floor,
                                                  args.inventory_frequency, args.model_threads,
                                                  args.mysql_buffer_pool))
                except Exception as error:  # one failed leg must not lose the others' numbers
                    say(f"{engine} {scale:,} failed: {error}")
                    report["runs"].append({"engine": engine, "scale": scale, "error": str(error)[-3000:],
                                           "load": {"seconds": None}})
    report["load_average"] = load_average.summary()
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["goals"] = evaluate([r for r in report["runs"] if "error" not in r], report.get("seed_comparison"))
    report["notes"] = args.note
    out = args.out / f"{started_at:%Y-%m-%d}-{args.machine}"
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "report.md").write_text(markdown(report))
    say(f"report: {out / 'report.md'}")
    return 0
