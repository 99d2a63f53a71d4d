"""A raw file that breaks the contract stops the build with a message that names the
source and the problem, instead of crashing deep inside a model."""
import shutil

import pytest

from conftest import PROJECT_ROOT, Warehouse

IGNORED = shutil.ignore_patterns(".git", ".venv*", "target", "logs", "*.duckdb", "__pycache__", ".pytest_cache")


@pytest.fixture
def project_copy(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT, copy, ignore=IGNORED)
    return copy


def _rewrite_csv(path, transform):
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text(transform(lines), encoding="utf-8")


def _drop_column(lines, column):
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    index = rows[0].index(column)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(row[:index] + row[index + 1:])
    return buffer.getvalue()


def _build(project_copy, tmp_path, selector):
    warehouse = Warehouse(root=tmp_path / "warehouse", project_dir=project_copy)
    warehouse.root.mkdir()
    # Unit tests are left out: their fixtures are checked against the landed columns too
    # and would stop the build first, with dbt's own (less specific) message.
    return warehouse.dbt(
        "build", "--select", selector, "--indirect-selection", "cautious",
        "--exclude-resource-type", "unit_test",
    )


@pytest.mark.parametrize(
    "table, selector, transform, expected",
    [
        pytest.param(
            "sales_order_lines", "+stg_sales_system__order_lines",
            lambda lines: _drop_column(lines, "quantity"),
            ["seeds/raw/sales_order_lines.csv: column quantity: missing from the header; "
             "the contract of sales_system.sales_order_lines requires"],
            id="missing-column",
        ),
        pytest.param(
            "products", "+stg_sales_system__products",
            lambda lines: "\n".join([lines[0].replace("product_id", "productid", 1)] + lines[1:]),
            ["seeds/raw/products.csv: column product_id: missing from the header; "
             "the contract of sales_system.products requires"],
            id="wrong-header",
        ),
        # A header-only file is a valid landing (docs/landing.md, D97): test_landing_edges.py
    ],
)
def test_a_broken_landing_stops_the_build_with_a_clear_message(project_copy, tmp_path, table, selector, transform, expected):
    _rewrite_csv(project_copy / "seeds" / "raw" / f"{table}.csv", transform)
    result = _build(project_copy, tmp_path, selector)
    assert result.returncode != 0, result.stdout[-3000:]
    for fragment in expected:
        assert fragment in result.stdout, result.stdout[-3000:]
    # the seed is refused as dbt reads it (D94), before any model reads the raw table
    assert "Landing contract violated" in result.stdout


def test_an_empty_file_stops_the_build_naming_the_file(project_copy, tmp_path):
    (project_copy / "seeds" / "raw" / "carriers.csv").write_text("", encoding="utf-8")
    result = _build(project_copy, tmp_path, "+stg_sales_system__carriers")
    assert result.returncode != 0, result.stdout[-3000:]
    assert "carriers" in result.stdout
    assert "seeds/raw/carriers.csv: is empty" in result.stdout, result.stdout[-3000:]


def test_the_intact_landing_builds(project_copy, tmp_path):
    """The same selection on the unbroken copy passes: the failures above are the breakage's."""
    result = _build(project_copy, tmp_path, "+stg_sales_system__carriers")
    assert result.returncode == 0, result.stdout[-3000:]
