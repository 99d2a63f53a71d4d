"""SCD2: a change in the product master becomes a new version; facts keep the version
that was valid when they happened."""
import shutil

import duckdb
import pytest

from conftest import WITHOUT_UNIT_TESTS, Warehouse, query


@pytest.fixture(scope="module")
def changed_warehouse(warehouse, tmp_path_factory):
    """A copy of the built warehouse in which one product's price changes on 2026-03-01
    and the snapshot, the dimension and the fact are rebuilt."""
    assert warehouse.build_result.returncode == 0
    copy = Warehouse(root=tmp_path_factory.mktemp("changed"))
    shutil.copy(warehouse.path, copy.path)
    connection = duckdb.connect(str(copy.path))
    product_id = connection.execute(
        """
        select products.product_id
        from staging.stg_sales_system__products as products
        inner join staging.stg_sales_system__order_lines as lines on lines.product_id = products.product_id
        group by products.product_id
        having count(*) > 20
        order by products.product_id
        limit 1
        """
    ).fetchone()[0]
    connection.execute(
        "update raw.products set unit_list_price = '999.99', updated_at = '2026-03-01 00:00:00' "
        "where trim(product_id) = ?",
        [product_id],
    )
    connection.close()
    copy.changed_product_id = product_id
    # seeds excluded: the change was made in the landed table, as a new export would
    copy.rebuild = copy.dbt("build", "--select", "snap_products+", "--exclude", "resource_type:seed", *WITHOUT_UNIT_TESTS)
    return copy


def test_the_rebuild_passes(changed_warehouse):
    assert changed_warehouse.rebuild.returncode == 0, changed_warehouse.rebuild.stdout[-4000:]


def test_the_change_becomes_a_new_current_version(changed_warehouse):
    connection = changed_warehouse.connect()
    versions = query(
        connection,
        f"""
        select unit_list_price, valid_from, valid_to, is_current
        from core.dim_product
        where product_id = '{changed_warehouse.changed_product_id}'
        order by valid_from
        """,
    )
    connection.close()
    assert len(versions) == 2, versions
    (old_price, old_from, old_to, old_current), (new_price, new_from, new_to, new_current) = versions
    assert old_price != new_price and float(new_price) == 999.99
    assert (old_current, new_current) == (False, True)
    assert str(old_to) == str(new_from) == "2026-03-01 00:00:00"
    assert str(old_from).startswith("1900-01-01") and str(new_to).startswith("9999-12-31")


def test_facts_keep_the_version_valid_at_the_order_date(changed_warehouse):
    connection = changed_warehouse.connect()
    mismatched = query(
        connection,
        f"""
        select sales.order_date, products.valid_from, products.valid_to
        from core.fct_sales as sales
        inner join core.dim_product as products on sales.product_key = products.product_key
        where products.product_id = '{changed_warehouse.changed_product_id}'
            and not (
                cast(sales.order_date as timestamp) >= products.valid_from
                and cast(sales.order_date as timestamp) < products.valid_to
            )
        """,
    )
    versions_used = query(
        connection,
        f"""
        select count(distinct sales.product_key)
        from core.fct_sales as sales
        inner join core.dim_product as products on sales.product_key = products.product_key
        where products.product_id = '{changed_warehouse.changed_product_id}'
        """,
    )[0][0]
    connection.close()
    assert not mismatched, mismatched
    assert versions_used == 2
