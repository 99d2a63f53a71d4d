"""Personal data stays in one restricted place; customers are known by keyed pseudonyms."""
import re
import shutil

import duckdb
import pytest
import yaml

from conftest import (DEVELOPMENT_KEY, PROFILES_DIR, PROJECT_ROOT, Warehouse, pseudonym, pseudonymization_key,
                      query)
from test_engines import _unavailable

PERSONAL_COLUMNS = {
    "customer_name", "customer_email", "customer_phone", "customer_birth_date",
    "email", "phone", "birth_date", "postal_code", "contact_name", "contact_email", "full_name",
}
ALLOWED_SCHEMAS = {"raw", "restricted"}


def test_no_personal_column_outside_the_restricted_schema(db):
    leaks = [
        (schema, table, column)
        for schema, table, column in query(
            db, "select table_schema, table_name, column_name from information_schema.columns"
        )
        if column.lower() in PERSONAL_COLUMNS and schema not in ALLOWED_SCHEMAS
    ]
    assert not leaks, leaks


def test_no_email_address_value_outside_the_restricted_schema(db):
    text_columns = query(
        db,
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' and table_schema not in ('raw', 'restricted', 'information_schema', 'pg_catalog')",
    )
    assert text_columns
    leaks = []
    for schema, table, column in text_columns:
        hits = query(db, f'select count(*) from "{schema}"."{table}" where "{column}" like \'%_@_%._%\'')[0][0]
        if hits:
            leaks.append((schema, table, column, hits))
    assert not leaks, leaks


def test_the_restricted_model_holds_the_personal_data(db):
    customers, with_email = query(
        db,
        "select count(*), count(email) from restricted.pii_data_subjects where data_subject_type = 'customer'",
    )[0]
    assert customers > 1000 and with_email > 0


def test_pii_tags_are_only_on_sources_and_the_restricted_model(warehouse):
    manifest = warehouse.manifest
    for node in manifest["nodes"].values():
        tagged = [c for c, column in node.get("columns", {}).items() if column.get("meta", {}).get("pii")]
        if tagged and node["resource_type"] == "model":
            assert node["config"]["schema"] == "restricted", (node["name"], tagged)
    restricted = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["config"]["schema"] == "restricted"]
    assert [n["name"] for n in restricted] == ["pii_data_subjects"]
    assert restricted[0]["config"]["meta"]["pii"] is True


def test_nothing_downstream_reads_the_restricted_model(warehouse):
    readers = [
        node["name"]
        for node in warehouse.manifest["nodes"].values()
        if "model.sales_insights.pii_data_subjects" in node.get("depends_on", {}).get("nodes", [])
        and node["resource_type"] == "model"
    ]
    assert not readers, readers


# --- Keyed pseudonyms -------------------------------------------------------------------

def test_pseudonyms_are_hmac_sha256_of_the_customer_number_under_the_key(db):
    """Checked with Python's own hmac module, independently of the SQL implementation."""
    pairs = query(
        db,
        "select customer_id, customer_pseudonym from restricted.pii_data_subjects "
        "where data_subject_type = 'customer'",
    )
    assert len(pairs) > 1000
    wrong = [
        (customer_id, value)
        for customer_id, value in pairs
        if value != pseudonym(customer_id)
    ]
    assert not wrong, wrong[:5]


def test_the_warehouse_knows_customers_only_by_their_pseudonym(db):
    known = {p for (p,) in query(db, "select customer_pseudonym from restricted.pii_data_subjects")}
    in_dimension = {p for (p,) in query(db, "select customer_pseudonym from core.dim_customer where customer_key not in ('-1', '-2')")}
    assert in_dimension and in_dimension <= known
    assert all(re.fullmatch(r"[0-9a-f]{64}", p) for p in in_dimension)


def test_no_customer_number_outside_the_raw_and_restricted_schemas(db):
    customer_numbers = {c for (c,) in query(db, "select customer_id from restricted.pii_data_subjects where customer_id is not null")}
    text_columns = query(
        db,
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' and table_schema not in ('raw', 'restricted')",
    )
    leaks = []
    for schema, table, column in text_columns:
        values = {v for (v,) in query(db, f'select distinct "{column}" from "{schema}"."{table}"')}
        found = values & customer_numbers
        if found:
            leaks.append((schema, table, column, sorted(found)[:3]))
    assert not leaks, leaks


def test_the_key_never_appears_in_what_dbt_keeps(warehouse):
    key = pseudonymization_key().decode()
    for folder in (warehouse.target_dir, warehouse.root / "logs"):
        for path in folder.rglob("*"):
            if path.is_file():
                assert key not in path.read_text(errors="ignore"), path


def _production_build(tmp_path, key: str | None, engine: str = "duckdb"):
    """Build the sales order lines on a copy of the shipped profile whose target is 'prod'."""
    profiles = yaml.safe_load((PROFILES_DIR / "profiles.yml").read_text())
    outputs = profiles["sales_insights"]["outputs"]
    outputs["prod"] = dict(outputs[engine])
    profiles_dir = tmp_path / "profiles"
    profiles_dir.mkdir()
    (profiles_dir / "profiles.yml").write_text(yaml.safe_dump(profiles))
    warehouse = Warehouse(root=tmp_path)
    env = warehouse.env()
    env["DBT_PROFILES_DIR"] = str(profiles_dir)
    env["DBT_SPARK_DIR"] = str(tmp_path / "spark")
    env.pop("SALES_INSIGHTS_PSEUDONYMIZATION_KEY", None)
    if key is not None:
        env["SALES_INSIGHTS_PSEUDONYMIZATION_KEY"] = key
    return warehouse.dbt(
        "build", "--target", "prod", "--select", "+base_sales_system__sales_order_lines",
        "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test", env=env,
    )


def test_a_production_build_refuses_the_unsafe_development_key(tmp_path):
    result = _production_build(tmp_path, key=None)
    assert result.returncode != 0
    assert "production target and SALES_INSIGHTS_PSEUDONYMIZATION_KEY is the unsafe development default" in result.stdout
    assert "1 of 1 OK created sql table model" not in result.stdout


def test_a_production_build_runs_with_a_proper_key(tmp_path):
    result = _production_build(tmp_path, key="0123456789abcdef0123456789abcdef-a-test-only-key")
    assert result.returncode == 0, result.stdout[-3000:]


def test_a_key_shorter_than_32_bytes_never_builds(tmp_path):
    result = _production_build(tmp_path, key="too-short-a-key")
    assert result.returncode != 0
    assert "shorter than 32 bytes" in result.stdout


# Keys a production target must refuse (probe 6 of issue 24): the development default
# however spaced or cased, keys that are not random, and short ones.
WEAK_PRODUCTION_KEYS = {
    "default_with_a_leading_space": " " + DEVELOPMENT_KEY,
    "default_in_lower_case": DEVELOPMENT_KEY.lower(),
    "default_with_a_trailing_newline": DEVELOPMENT_KEY + "\n",
    "32_zeros": "0" * 32,
    "a_run_of_one_letter": "a" * 48,
    "a_short_pattern_repeated": "abc123" * 8,
    "shorter_than_32_bytes": "too-short-a-key",
}
# A 32-digit hex key (`secrets.token_hex(16)`), the shortest key a production target takes.
SAFE_PRODUCTION_KEY = "3f9c2a7be14d08c65a91f3e7b2d4c0a8"


def _relations(tmp_path) -> list[tuple]:
    """Every table and view of the production build's DuckDB file (none if no file)."""
    path = Warehouse(root=tmp_path).path
    if not path.exists():
        return []
    with duckdb.connect(str(path), read_only=True) as connection:
        return query(connection, "select table_schema, table_name from information_schema.tables")


@pytest.mark.parametrize("key", WEAK_PRODUCTION_KEYS.values(), ids=WEAK_PRODUCTION_KEYS.keys())
def test_a_production_build_refuses_a_weak_key_before_creating_any_relation(tmp_path, key):
    result = _production_build(tmp_path, key=key)
    assert result.returncode != 0
    assert "No seed, model or snapshot was run" in result.stdout, result.stdout[-3000:]
    assert _relations(tmp_path) == []
    assert key.strip() not in result.stdout


def test_a_production_build_takes_a_random_hex_key_of_32_bytes(tmp_path):
    result = _production_build(tmp_path, key=SAFE_PRODUCTION_KEY)
    assert result.returncode == 0, result.stdout[-3000:]
    assert _relations(tmp_path)


@pytest.mark.spark
@pytest.mark.parametrize("key, refusal", [
    (None, "production target and SALES_INSIGHTS_PSEUDONYMIZATION_KEY is the unsafe development default"),
    ("too-short-a-key", "shorter than 32 bytes"),
], ids=["development_default", "short_key_from_the_environment"])
def test_a_production_build_on_spark_judges_the_key_of_its_environment(tmp_path, key, refusal):
    """On Spark the key is read in the JVM from the environment (D110), the development
    default coming from the profile's Spark conf when it is unset: the guard still sees
    both, and refuses them before any node runs."""
    if shutil.which("java") is None:
        _unavailable("Spark", "no java on PATH")
    result = _production_build(tmp_path, key=key, engine="spark")
    assert result.returncode != 0
    assert refusal in result.stdout, result.stdout[-3000:]
    assert "No seed, model or snapshot was run" in result.stdout, result.stdout[-3000:]
    if key is not None:
        assert key not in result.stdout


def test_every_place_that_cannot_import_the_development_key_repeats_it_exactly():
    """The development default lives in engine_plugins/development_key.py; _env.sh (for
    PostgreSQL) and the Spark profile cannot import it and repeat it. A drift would give
    pseudonyms that differ between engines on a development build."""
    for path in (PROJECT_ROOT / "scripts" / "_env.sh", PROJECT_ROOT / "profiles.yml.example"):
        defaults = set(re.findall(r"UNSAFE-[A-Za-z-]+", path.read_text()))
        assert defaults == {DEVELOPMENT_KEY}, (path.name, defaults)
