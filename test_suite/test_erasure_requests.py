"""Erasure requests as the privacy office really sends them, and the landing itself
(docs/privacy.md, D100-D105):

- a request is matched after the same normalisation as the customer numbers it targets:
  ` c-00335 ` erases customer `C-00335` everywhere;
- a request that names no customer is kept, reported by a warn-level test and a row of
  staging.stg_privacy_office__erasure_requests_unmatched, and never counted as applied;
- after a build on the seed path, after a re-seed, and after the erasure command
  (`scripts/erase.sh`) and a build over bulk-loaded data, no erased person's name,
  e-mail or phone is in any schema, raw included, and their customer number is only in
  the documented landed columns.

One copy of the project with its own seeds, built three ways (about 4 min on 2 cores).
"""
from __future__ import annotations

import csv
import shutil

import duckdb
import pytest

from conftest import PROJECT_ROOT, VENV_BIN, WITHOUT_UNIT_TESTS, Warehouse, pseudonym, query, run
from test_erasure import _landed_traces, _where_found

UNKNOWN_CUSTOMER = "C-99999"
UNKNOWN_REQUESTED_AT = "2026-11-03 10:15:00"
LATE_REQUESTED_AT = "2026-11-21 08:00:00"
LOADED = ["--vars", "{raw_data_from_seeds: false}"]
# Where an erased customer's number stays, and why (docs/privacy.md): the request itself,
# and the landed rows that every later build must recognise as erased.
NUMBER_STAYS_IN = {("erasure_requests", "customer_id"), ("sales_order_lines", "customer_id"),
                   ("post_invoice_deductions", "customer_id")}


def _read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _people(customer_ids):
    """Each erased person's number, name, e-mail and phone, as the sample's files land them."""
    return _landed_traces(customer_ids)[0]


def _traces_anywhere(connection, people):
    """Every trace of these people in every schema, raw included: their number or pseudonym
    outside the documented landed columns, their name, e-mail or phone anywhere in raw, and
    (test_erasure._where_found) in every model and snapshot."""
    numbers = {number for number, *_ in people}
    exact = numbers | {pseudonym(number) for number in numbers}
    contained = {value for _, name, email, _ in people for value in (name, email) if value}
    found = _where_found(connection, exact, contained, people)
    phones = {phone for *_, phone in people if phone}
    for table, column in query(connection, "select table_name, column_name from information_schema.columns "
                                           "where table_schema = 'raw' and data_type = 'VARCHAR'"):
        if (table, column) not in NUMBER_STAYS_IN:
            hits = connection.execute(
                f'select count(*) from raw."{table}" where upper(trim("{column}")) in '
                f'({", ".join("?" for _ in exact)})', [n.upper() for n in exact]).fetchone()[0]
            if hits:
                found.append(("raw", table, column, hits))
        # an e-mail or a phone is one person's; a name may be another customer's too
        values = [email for _, _, email, _ in people if email] + sorted(phones)
        conditions = " or ".join(f'contains(lower("{column}"), lower(?))' for _ in values)
        hits = connection.execute(f'select count(*) from raw."{table}" where {conditions}', values).fetchone()[0]
        if hits:
            found.append(("raw", table, column, "e-mail or phone", hits))
    named = connection.execute(
        "select count(*) from raw.sales_order_lines where upper(trim(customer_id)) in "
        f"({', '.join('?' for _ in numbers)}) and coalesce(customer_name, '') <> 'erased'",
        [n.upper() for n in numbers]).fetchone()[0]
    if named:
        found.append(("raw", "sales_order_lines", "customer_name", named))
    return found


@pytest.fixture(scope="module")
def requested(tmp_path_factory):
    """A copy of the project whose landed requests add a case- and space-variant request for
    a customer who ordered and an unknown number; built on the seed path."""
    root = tmp_path_factory.mktemp("erasure_requests")
    project = root / "project"
    shutil.copytree(PROJECT_ROOT, project, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "target", "logs", "*.duckdb", "*.duckdb.wal", "profiles.yml", "__pycache__",
        ".pytest_cache", "build"))
    seeds = project / "seeds" / "raw"
    order_lines = _read_csv(seeds / "sales_order_lines.csv")
    deductions = _read_csv(seeds / "post_invoice_deductions.csv")
    sample_requests = [row["customer_id"] for row in _read_csv(seeds / "erasure_requests.csv")]
    known = {row["customer_id"].strip().upper() for row in order_lines + deductions}
    assert UNKNOWN_CUSTOMER not in known
    candidates = sorted(
        {row["customer_id"].strip() for row in order_lines
         if row["customer_id"].strip() and row["customer_email"] and row["customer_phone"]}
        - {c.strip() for c in sample_requests})
    variant_of, late = candidates[0], candidates[1]
    with open(seeds / "erasure_requests.csv", "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([f"  {variant_of.lower()} ", "2026-11-02 09:00:00"])
        writer.writerow([UNKNOWN_CUSTOMER, UNKNOWN_REQUESTED_AT])
    wh = Warehouse(root=root, project_dir=project)
    wh.order_lines = order_lines
    wh.variant_of, wh.late = variant_of, late
    wh.erased = sorted({c.strip().upper() for c in sample_requests} | {variant_of})
    wh.build_result = wh.dbt("build", *WITHOUT_UNIT_TESTS)
    wh.build_run_results = wh.artifact("run_results.json")
    return wh


@pytest.fixture
def requested_db(requested):
    assert requested.build_result.returncode == 0, requested.build_result.stdout[-5000:]
    connection = requested.connect()
    yield connection
    connection.close()


def test_a_case_and_space_variant_request_erases_the_customer_everywhere(requested, requested_db):
    people = _people([requested.variant_of])
    assert people and {number for number, *_ in people} == {requested.variant_of}
    assert not _traces_anywhere(requested_db, people)
    assert query(requested_db, "select count(*) from restricted.pii_data_subjects where customer_id = "
                               f"'{requested.variant_of}'")[0][0] == 0


def test_the_seed_path_build_leaves_no_erased_personal_data_anywhere_raw_included(requested, requested_db):
    people = _people(requested.erased)
    assert len({number for number, *_ in people}) == len(requested.erased) >= 6
    assert not _traces_anywhere(requested_db, people)


def test_an_unmatched_request_is_reported_by_a_warn_test(requested):
    results = {r["unique_id"].split(".")[2]: r for r in requested.build_run_results["results"]}
    test = results["erasure_requests_all_match_a_customer"]
    assert (test["status"], test["failures"]) == ("warn", 1)
    assert "erasure_requests_all_match_a_customer" in requested.build_result.stdout


def test_an_unmatched_request_is_a_row_of_the_data_quality_model_without_its_number(requested_db):
    rows = query(requested_db, "select landed_requested_at, quarantine_reason "
                               "from staging.stg_privacy_office__erasure_requests_unmatched")
    assert rows == [(UNKNOWN_REQUESTED_AT, "unmatched_customer_id")]
    columns = {c for (c,) in query(requested_db, "select column_name from information_schema.columns "
                                                 "where table_name = 'stg_privacy_office__erasure_requests_unmatched'")}
    assert columns == {"erasure_request_id", "landed_requested_at", "requested_at", "quarantine_reason"}


def test_an_unmatched_request_is_never_counted_as_applied(requested, requested_db):
    landed = query(requested_db, "select count(*) from raw.erasure_requests")[0][0]
    applied = query(requested_db, "select count(*) from staging.stg_privacy_office__erasure_requests")[0][0]
    reasons = dict(query(requested_db, "select quarantine_reason, count(*) from "
                                       "staging.stg_privacy_office__erasure_requests_quarantined group by all"))
    assert applied == len(requested.erased)
    assert reasons.get("unmatched_customer_id") == 1
    assert landed == applied + sum(reasons.values())


@pytest.fixture(scope="module")
def reseeded(requested):
    """The next build on the seed path lands the committed files again: seeds only (the
    landing), after the warehouse was built."""
    assert requested.build_result.returncode == 0, requested.build_result.stdout[-5000:]
    requested.reseed_result = requested.dbt("seed")
    return requested


def test_reseeding_brings_no_erased_personal_data_back_into_raw(reseeded):
    assert reseeded.reseed_result.returncode == 0, reseeded.reseed_result.stdout[-5000:]
    people = _people(reseeded.erased)
    connection = reseeded.connect()
    try:
        assert not _traces_anywhere(connection, people)
    finally:
        connection.close()


@pytest.fixture(scope="module")
def erased_and_built(reseeded):
    """Over bulk-loaded data: a new request lands in raw (as an extract-load lands it), the
    erasure command runs, and the warehouse is built again from raw."""
    connection = duckdb.connect(str(reseeded.path))
    connection.execute("insert into raw.erasure_requests values (?, ?)", [reseeded.late, LATE_REQUESTED_AT])
    connection.close()
    env = reseeded.env()
    env["SALES_INSIGHTS_VENV"] = str(VENV_BIN.parent)
    reseeded.erase_result = run([str(reseeded.project_dir / "scripts" / "erase.sh"), *LOADED],
                                cwd=reseeded.project_dir, env=env)
    # as the daily pipeline builds over loaded data (unit tests need the seeds)
    reseeded.loaded_build = reseeded.dbt("build", *LOADED, "--exclude", "resource_type:unit_test")
    return reseeded


def test_the_erasure_command_and_a_build_leave_no_erased_person_anywhere(erased_and_built):
    wh = erased_and_built
    assert wh.erase_result.returncode == 0, wh.erase_result.stdout[-3000:]
    assert "erasure purge: redacted the personal data of" in wh.erase_result.stdout
    assert wh.loaded_build.returncode == 0, wh.loaded_build.stdout[-5000:]
    people = _people([*wh.erased, wh.late])
    assert wh.late in {number for number, *_ in people}
    connection = wh.connect()
    try:
        assert not _traces_anywhere(connection, people)
    finally:
        connection.close()


def test_the_daily_pipeline_runs_the_erasure_command():
    dag = (PROJECT_ROOT / "orchestration" / "dags" / "sales_insights_daily.py").read_text()
    assert "./scripts/erase.sh" in dag and "run-operation purge_erased_landed_personal_data" not in dag
    assert "./scripts/erase.sh" in (PROJECT_ROOT / "README.md").read_text()
