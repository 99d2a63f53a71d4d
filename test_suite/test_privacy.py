"""Personal data stays in one restricted place."""
from conftest import query

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
