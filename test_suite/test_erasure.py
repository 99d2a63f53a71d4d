"""Right to erasure (GDPR article 17): once a customer's request has landed, nothing that
identifies or singles them out remains in any model or snapshot, while the totals stay."""
import csv
import shutil

import duckdb
import pytest

from conftest import SEEDS_DIR, WITHOUT_UNIT_TESTS, Warehouse, pseudonym, query

LANDED_SCHEMAS = ("raw", "information_schema", "pg_catalog")


def _traces(connection, customer_ids):
    """Everything that would identify these customers: number, pseudonym, name, e-mail."""
    placeholders = ", ".join("?" for _ in customer_ids)
    people = connection.execute(
        f"select distinct trim(customer_id), trim(customer_name), lower(trim(customer_email)), "
        f"trim(customer_phone) from raw.sales_order_lines where trim(customer_id) in ({placeholders})",
        list(customer_ids),
    ).fetchall()
    exact = set(customer_ids) | {pseudonym(c) for c in customer_ids}
    contained = {value for _, name, email, _ in people for value in (name, email) if value}
    return people, exact, contained


def _landed_traces(customer_ids):
    """As _traces, from the sample's landed files: on the seed path the raw rows of erased
    customers are redacted as they land (docs/privacy.md), the files keep them."""
    with open(SEEDS_DIR / "sales_order_lines.csv", newline="", encoding="utf-8-sig") as handle:
        people = sorted({
            (row["customer_id"].strip(), row["customer_name"].strip(), row["customer_email"].strip().lower(),
             row["customer_phone"].strip())
            for row in csv.DictReader(handle) if row["customer_id"].strip() in set(customer_ids)
        })
    exact = set(customer_ids) | {pseudonym(c) for c in customer_ids}
    contained = {value for _, name, email, _ in people for value in (name, email) if value}
    return people, exact, contained


def _where_found(connection, exact, contained, people):
    """Where the traces are: an exact number or pseudonym anywhere; outside the restricted
    model a name or e-mail anywhere in a text; inside it (where other customers may share
    a common name) the same person's name with their e-mail and phone."""
    found = []
    for _, name, email, phone in people:
        hits = connection.execute(
            "select count(*) from restricted.pii_data_subjects "
            "where full_name = ? and coalesce(email, '') = ? and coalesce(phone, '') = ?",
            [name, email or "", phone or ""],
        ).fetchone()[0]
        if hits:
            found.append(("restricted", "pii_data_subjects", name, hits))
    columns = query(
        connection,
        "select table_schema, table_name, column_name from information_schema.columns "
        f"where data_type = 'VARCHAR' and table_schema not in {LANDED_SCHEMAS}",
    )
    assert len(columns) > 200
    for schema, table, column in columns:
        if schema == "restricted":
            hits = connection.execute(
                f'select count(*) from "{schema}"."{table}" where "{column}" in ({", ".join("?" for _ in exact)})',
                list(exact),
            ).fetchone()[0]
            if hits:
                found.append((schema, table, column, hits))
            continue
        conditions = [f'"{column}" in ({", ".join("?" for _ in exact)})']
        conditions += [f'contains(lower("{column}"), lower(?))' for _ in contained]
        hits = connection.execute(
            f'select count(*) from "{schema}"."{table}" where ' + " or ".join(conditions),
            [*exact, *contained],
        ).fetchone()[0]
        if hits:
            found.append((schema, table, column, hits))
    return found


def _requested_customer_ids():
    with open(SEEDS_DIR / "erasure_requests.csv", newline="") as handle:
        return sorted({row["customer_id"].strip() for row in csv.DictReader(handle) if row["customer_id"].strip()})


def test_erased_customers_appear_nowhere_by_number_name_email_orpseudonym(db):
    customer_ids = _requested_customer_ids()
    people, exact, contained = _landed_traces(customer_ids)
    assert len(people) >= 3, "the sample must erase customers who placed orders"
    assert not _where_found(db, exact, contained, people)


def test_erased_customers_sales_stay_in_the_totals_on_the_erased_member(db):
    erased_lines = query(
        db,
        "select count(*) from core.fct_sales as sales "
        "inner join core.dim_customer as customers on sales.customer_key = customers.customer_key "
        "where customers.customer_pseudonym = 'erased'",
    )[0][0]
    assert erased_lines > 0


@pytest.fixture(scope="module")
def erased_later(warehouse, tmp_path_factory):
    """A copy of the built warehouse, with its customer snapshot history, in which one more
    customer asks to be erased; the whole project is then rebuilt from the landed data."""
    assert warehouse.build_result.returncode == 0
    copy = Warehouse(root=tmp_path_factory.mktemp("erased_later"))
    shutil.copy(warehouse.path, copy.path)
    connection = duckdb.connect(str(copy.path))
    customer_id = connection.execute(
        "select customer_id from restricted.pii_data_subjects "
        "where data_subject_type = 'customer' and customer_id is not null order by customer_id limit 1"
    ).fetchone()[0]
    copy.customer_id = customer_id
    copy.traces = _traces(connection, [customer_id])
    copy.snapshot_rows_before = connection.execute(
        "select count(*) from snapshots.snap_customers where customer_pseudonym = ?", [pseudonym(customer_id)]
    ).fetchone()[0]
    copy.revenue_before = connection.execute("select sum(sales_amount) from core.fct_sales").fetchone()[0]
    connection.execute(
        "insert into raw.erasure_requests (customer_id, requested_at) values (?, '2026-11-20 09:00:00')",
        [customer_id],
    )
    connection.close()
    copy.rebuild = copy.dbt("build", "--exclude", "resource_type:seed", *WITHOUT_UNIT_TESTS)
    return copy


def test_the_rebuild_after_a_new_request_passes(erased_later):
    assert erased_later.rebuild.returncode == 0, erased_later.rebuild.stdout[-4000:]


def test_a_new_request_purges_the_snapshot_history_and_every_model(erased_later):
    assert erased_later.snapshot_rows_before >= 1
    people, exact, contained = erased_later.traces
    assert people
    connection = erased_later.connect()
    try:
        assert not _where_found(connection, exact, contained, people)
        revenue_after = connection.execute("select sum(sales_amount) from core.fct_sales").fetchone()[0]
    finally:
        connection.close()
    assert revenue_after == erased_later.revenue_before
