"""Data-subject rights besides erasure (see test_erasure.py): access (article 15) gives one
file with everything held about a customer; rectification (article 16) flows through and
the customer's history keeps the earlier version."""
import csv
import json
import os
import shutil
import sys

import duckdb
import pytest

from conftest import PROJECT_ROOT, SEEDS_DIR, WITHOUT_UNIT_TESTS, Warehouse, pseudonym, query, run

def _access(warehouse, customer_id, tmp_path):
    out = tmp_path / f"{customer_id}.json"
    result = run(
        [sys.executable, "-m", "subject_access", customer_id, "--out", str(out),
         "--target", "duckdb", "--duckdb-path", str(warehouse.path)],
        cwd=PROJECT_ROOT, env=dict(os.environ),
    )
    assert result.returncode == 0, result.stdout
    return json.loads(out.read_text())


def _landed_lines(customer_id):
    with open(SEEDS_DIR / "sales_order_lines.csv", newline="", encoding="utf-8-sig") as handle:
        return sum(1 for row in csv.DictReader(handle) if (row["customer_id"] or "").strip() == customer_id)


def test_access_gives_everything_held_about_a_customer(warehouse, db, tmp_path):
    customer_id = query(
        db,
        "select customer_id from restricted.pii_data_subjects where data_subject_type = 'customer' "
        "order by customer_id limit 1 offset 10",
    )[0][0]
    report = _access(warehouse, customer_id, tmp_path)
    assert report["status"] == "found"
    assert report["customer_pseudonym"] == pseudonym(customer_id)
    assert report["records"]["restricted.pii_data_subjects"][0]["customer_id"] == customer_id
    assert report["record_counts"]["raw.sales_order_lines"] == _landed_lines(customer_id)
    facts = query(
        db,
        "select count(*) from core.fct_sales as sales inner join core.dim_customer as customers "
        f"on sales.customer_key = customers.customer_key where customers.customer_pseudonym = '{pseudonym(customer_id)}'",
    )[0][0]
    assert facts > 0 and report["record_counts"]["core.fct_sales"] == facts
    assert report["record_counts"]["snapshots.snap_customers"] >= 1
    assert {"purposes", "recipients", "retention", "source"} <= set(report["processing"])


def test_access_for_an_erased_customer_finds_only_the_landed_exports(warehouse, tmp_path):
    with open(SEEDS_DIR / "erasure_requests.csv", newline="") as handle:
        customer_id = next(row["customer_id"].strip() for row in csv.DictReader(handle) if _landed_lines(row["customer_id"].strip()))
    report = _access(warehouse, customer_id, tmp_path)
    assert report["status"] == "landed_only"
    assert report["records"] and all(name.startswith("raw.") for name in report["records"])


def test_access_for_an_unknown_customer_number_finds_nothing(warehouse, tmp_path):
    report = _access(warehouse, "C-99999999", tmp_path)
    assert report["status"] == "not_found" and report["records"] == {}


@pytest.fixture(scope="module")
def rectified(warehouse, tmp_path_factory):
    """A copy of the built warehouse in which the sales system corrects a customer's segment
    and e-mail on their latest order line; what depends on the customer is rebuilt."""
    assert warehouse.build_result.returncode == 0
    copy = Warehouse(root=tmp_path_factory.mktemp("rectified"))
    shutil.copy(warehouse.path, copy.path)
    connection = duckdb.connect(str(copy.path))
    customer_id, segment = connection.execute(
        "select subjects.customer_id, customers.customer_segment "
        "from restricted.pii_data_subjects as subjects "
        "inner join core.dim_customer as customers on subjects.customer_pseudonym = customers.customer_pseudonym "
        "where customers.is_current and customers.customer_segment = 'Consumer' "
        "and not exists (select 1 from core.dim_customer as others "
        "where others.customer_pseudonym = customers.customer_pseudonym and not others.is_current) "
        "order by subjects.customer_id limit 1"
    ).fetchone()
    latest = connection.execute(
        "select order_id, order_line_number from raw.sales_order_lines where trim(customer_id) = ? "
        "order by try_cast(order_date as date) desc, order_id desc limit 1",
        [customer_id],
    ).fetchone()
    connection.execute(
        "update raw.sales_order_lines set segment = 'Corporate', customer_email = 'corrected@mail.example.org', "
        "updated_at = '2026-11-20 10:00:00' where order_id = ? and order_line_number = ?",
        list(latest),
    )
    connection.close()
    copy.customer_id, copy.old_segment = customer_id, segment
    copy.rebuild = copy.dbt("build", "--select", "+snap_customers+", "pii_data_subjects", "--exclude", "resource_type:seed",
                         *WITHOUT_UNIT_TESTS)
    return copy


def test_the_rebuild_after_a_rectification_passes(rectified):
    assert rectified.rebuild.returncode == 0, rectified.rebuild.stdout[-4000:]


def test_a_rectification_flows_through_and_the_history_keeps_the_earlier_version(rectified):
    connection = rectified.connect()
    try:
        versions = query(
            connection,
            "select customer_segment, is_current from core.dim_customer "
            f"where customer_pseudonym = '{pseudonym(rectified.customer_id)}' order by valid_from",
        )
        email = query(
            connection,
            f"select email from restricted.pii_data_subjects where customer_id = '{rectified.customer_id}'",
        )[0][0]
    finally:
        connection.close()
    assert versions == [(rectified.old_segment, False), ("Corporate", True)], versions
    assert email == "corrected@mail.example.org"
