"""A real export's edges (issue 17): amounts with 4 decimals, history starting in 2015,
an order whose lines carry different customers and ship-to cities, a line in another
currency, online orders. The committed sample is rewritten into a copy of the project
(as conftest's generated_warehouse does with datagen output), built once with no extra
vars, and its totals are compared with an independent computation from the rewritten
raw CSV in plain Python, exactly (to the cent and below) at every grain. Every test runs
twice: with the sample's other tables, and as a company's first real export lands, with
only the order lines filled and the nine other tables header-only."""
from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from conftest import WITHOUT_UNIT_TESTS, Warehouse, copy_project, pseudonym, query
from test_independent_answers import DECIMAL, INTEGER, fiscal_year, parse_date, usable_order_line

# the rewritten landing's edges
SHIFT_BEFORE = date(2024, 1, 1)    # orders before this date move 8 years back: 2015-09 ..
SHIFT_YEARS = 8
NEW_CUSTOMER_ID = "C-99001"        # a customer who appears only on one line of another's order
NEW_CITY = "Edgeville"
FOREIGN_CURRENCY = "USD"


def _four_decimals(value: str, salt: str) -> str:
    """A 2-decimal amount with two more (non-zero) decimals, the same for the same row."""
    if not DECIMAL.match(value.strip()) or "." not in value:
        return value
    whole, fraction = value.strip().split(".")
    if len(fraction) != 2:
        return value
    extra = int(hashlib.sha256(salt.encode()).hexdigest()[:4], 16) % 99 + 1
    return f"{whole}.{fraction}{extra:02d}"


def _shifted(value: str) -> str:
    day = parse_date(value.strip())
    return day.replace(year=day.year - SHIFT_YEARS).isoformat() if day else value


def rewrite_order_lines(path: Path) -> dict:
    """Rewrite the landed order lines in place; returns what was changed where."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fieldnames = reader.fieldnames
        rows = list(reader)
    copies = defaultdict(int)
    for row in rows:
        copies[(row["order_id"], row["order_line_number"])] += 1
    erased = {r["customer_id"] for r in csv.DictReader(open(path.parent / "erasure_requests.csv", encoding="utf-8-sig"))}

    for row in rows:
        salt = "|".join(row[name] or "" for name in fieldnames)   # identical copies stay identical
        # a list price with 4 decimals, and the line amount that price gives (the same
        # discount, rounded to 4 decimals as the source system would)
        price, amount, discount = row["unit_price"].strip(), row["sales_amount"].strip(), row["discount"].strip() or "0"
        new_price = _four_decimals(price, salt + "unit_price")
        if new_price != price and DECIMAL.match(amount) and DECIMAL.match(discount) and INTEGER.match(row["quantity"].strip()):
            extra = int(row["quantity"]) * (Decimal(new_price) - Decimal(price)) * (1 - Decimal(discount))
            row["unit_price"] = new_price
            row["sales_amount"] = str((Decimal(amount) + extra).quantize(Decimal("0.0001"), ROUND_HALF_UP))
        row["profit_amount"] = _four_decimals(row["profit_amount"], salt + "profit_amount")
        order_day = parse_date(row["order_date"].strip())
        if order_day and order_day < SHIFT_BEFORE:
            row["order_date"] = _shifted(row["order_date"])
            row["ship_date"] = _shifted(row["ship_date"])

    # orders whose every line landed once and is usable, by a customer not erased
    by_order = defaultdict(list)
    for row in rows:
        by_order[row["order_id"]].append(row)
    clean = [
        order_id for order_id, lines in by_order.items()
        if all(copies[(r["order_id"], r["order_line_number"])] == 1 for r in lines)
        and all(usable_order_line(tuple(r.items())) for r in lines)
        and not {r["customer_id"] for r in lines} & erased
        and len({r["updated_at"] for r in lines}) == 1
    ]
    multi_line = [order_id for order_id in clean if len(by_order[order_id]) >= 3]
    mixed_order = multi_line[0]
    moved = sorted(by_order[mixed_order], key=lambda r: int(r["order_line_number"]))[1]
    moved.update(customer_id=NEW_CUSTOMER_ID, customer_name="Edge Customer", customer_email="",
                 customer_phone="", customer_birth_date="", city=NEW_CITY, postal_code="")
    foreign_order = next(order_id for order_id in clean if order_id != mixed_order)
    foreign = by_order[foreign_order][0]
    foreign["currency"] = FOREIGN_CURRENCY

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    return {
        "mixed_order": mixed_order,
        "mixed_order_customers": {r["customer_id"] for r in by_order[mixed_order]},
        "moved_line": (moved["order_id"], int(moved["order_line_number"])),
        "foreign_line": f"{foreign['order_id']}|{foreign['order_line_number']}",
    }


def keep_only_the_header(path: Path) -> None:
    """A header-only landing of a table: its header line, no record."""
    with open(path, encoding="utf-8-sig") as handle:
        header = handle.readline()
    path.write_text(header if header.endswith("\n") else header + "\n", encoding="utf-8")


@pytest.fixture(scope="module", params=["all_tables", "order_lines_only"])
def edge_warehouse(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("edges")
    project = copy_project(root / "project")
    raw = project / "seeds" / "raw"
    edges = rewrite_order_lines(raw / "sales_order_lines.csv")
    if request.param == "order_lines_only":
        others = sorted(path for path in raw.glob("*.csv") if path.name != "sales_order_lines.csv")
        assert len(others) == 9
        for path in others:
            keep_only_the_header(path)
    wh = Warehouse(root=root, project_dir=project)
    wh.build_result = wh.dbt("build", *WITHOUT_UNIT_TESTS)   # the README's command: no extra vars
    wh.edges = edges
    return wh


@pytest.fixture(scope="module")
def edge_db(edge_warehouse):
    assert edge_warehouse.build_result.returncode == 0, edge_warehouse.build_result.stdout[-6000:]
    connection = edge_warehouse.connect()
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def landed_lines(edge_warehouse):
    """The usable order lines of the rewritten CSV (latest version of each), with the
    line's own attributes, computed in Python only."""
    with open(edge_warehouse.seeds_dir / "sales_order_lines.csv", newline="", encoding="utf-8-sig") as handle:
        raws = {tuple(row.items()) for row in csv.DictReader(handle)}
    latest = {}
    for raw in raws:
        line = usable_order_line(raw)
        if line is None:
            continue
        row = {key: (value or "").strip() for key, value in raw}
        line.update(customer_id=row["customer_id"], country=row["country"], region=row["region"] or "Unknown",
                    city=row["city"] or "Unknown", product_id=row["product_id"], category=row["category"])
        current = latest.get(line["key"])
        if current is None or line["updated_at"] > current["updated_at"]:
            latest[line["key"]] = line
    return latest


@pytest.fixture(scope="module")
def product_categories(edge_warehouse, landed_lines):
    """A product's category: the product master's, else (a product the master does not
    know) the category its most recent order line gave it (order date, then update time,
    order id and line number break ties), as stg_sales_system__ordered_products does."""
    categories = {}
    with open(edge_warehouse.seeds_dir / "products.csv", newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["product_id"].strip() and row["product_name"].strip():
                categories[row["product_id"].strip()] = row["category"].strip() or "Unknown"
    most_recent = {}
    for line in landed_lines.values():
        recency = (line["order_date"], line["updated_at"], line["key"])
        if line["product_id"] not in most_recent or recency > most_recent[line["product_id"]][0]:
            most_recent[line["product_id"]] = (recency, line["category"] or "Unknown")
    for product_id, (_, category) in most_recent.items():
        categories.setdefault(product_id, category)
    return categories


def totals(lines, key):
    result = defaultdict(Decimal)
    for line in lines:
        result[key(line)] += line["sales_amount"]
    return dict(result)


def as_dict(rows):
    return {tuple(row[:-1]) if len(row) > 2 else row[0]: row[-1] for row in rows}


def test_the_landing_has_four_decimal_amounts_and_history_from_2015(landed_lines):
    amounts = [line["sales_amount"] for line in landed_lines.values()]
    assert sum(1 for amount in amounts if amount.as_tuple().exponent == -4) > len(amounts) / 2
    assert min(line["order_date"] for line in landed_lines.values()).year == 2015


def test_a_2015_history_builds_green_with_no_extra_vars(edge_warehouse, edge_db):
    # the calendar spans whole fiscal years around the landed dates (September start)
    first_day, = query(edge_db, "select min(date_day) from core.dim_date where not is_unknown_member")[0]
    assert first_day == date(2015, 9, 1)
    assert query(edge_db, "select count(*) from core.fct_sales where order_date_key = -1") == [(0,)]
    assert "orders_agree_on_their_header_attributes" in edge_warehouse.build_result.stdout


def test_revenue_reconciles_to_the_raw_csv_at_every_grain(edge_db, landed_lines, product_categories):
    lines = list(landed_lines.values())
    # line
    actual = {(order_id, number): amount for order_id, number, amount in query(
        edge_db, "select order_id, order_line_number, sales_amount from core.fct_sales")}
    assert actual == {line["key"]: line["sales_amount"] for line in lines}
    # day
    assert as_dict(query(edge_db, "select order_date, sum(sales_amount) from sales.sales_performance_daily group by 1")
                   ) == totals(lines, lambda line: line["order_date"])
    # month
    assert as_dict(query(edge_db, "select month_start_date, sum(revenue) from sales.sales_performance_monthly group by 1")
                   ) == totals(lines, lambda line: line["order_date"].replace(day=1))
    # fiscal year, in the performance mart and in the P&L
    expected_years = totals(lines, lambda line: fiscal_year(line["order_date"]))
    assert as_dict(query(edge_db, "select fiscal_year, sum(revenue) from sales.sales_performance_fiscal_year group by 1")
                   ) == expected_years
    assert as_dict(query(edge_db, "select fiscal_year, sum(gross_sales_amount) from sales.sales_profit_and_loss group by 1")
                   ) == expected_years
    # region (within the ship-to country)
    assert as_dict(query(edge_db, "select country, region, sum(revenue) from sales.sales_performance_monthly group by 1, 2")
                   ) == totals(lines, lambda line: (line["country"], line["region"]))
    # category
    assert as_dict(query(edge_db, "select category, sum(revenue) from sales.sales_performance_fiscal_year group by 1")
                   ) == totals(lines, lambda line: product_categories[line["product_id"]])


def test_list_price_less_discount_is_the_line_amount(edge_db):
    assert query(edge_db, """
        select count(*) from core.fct_sales
        where list_price_amount - discount_amount <> sales_amount
    """) == [(0,)]
    assert query(edge_db, """
        select count(*) from sales.sales_performance_daily
        where list_price_amount - discount_amount <> sales_amount
    """) == [(0,)]


def test_each_line_keeps_its_own_customer_and_ship_to_city(edge_warehouse, edge_db, landed_lines):
    edges = edge_warehouse.edges
    moved = landed_lines[edges["moved_line"]]
    # the line's revenue stays with its own customer and city
    assert query(edge_db, f"""
        select customers.customer_pseudonym, areas.city
        from core.fct_sales as sales
        inner join core.dim_customer as customers on sales.customer_key = customers.customer_key
        inner join core.dim_location as areas on sales.ship_to_location_key = areas.location_key
        where sales.order_id = '{moved["key"][0]}' and sales.order_line_number = {moved["key"][1]}
    """) == [(pseudonym(NEW_CUSTOMER_ID), NEW_CITY)]
    # every customer of the order has exactly the revenue of their own lines
    for customer_id in edges["mixed_order_customers"] | {NEW_CUSTOMER_ID}:
        expected = sum((line["sales_amount"] for line in landed_lines.values()
                        if line["customer_id"] == customer_id), Decimal(0))
        actual, = query(edge_db, f"""
            select sum(sales.sales_amount)
            from core.fct_sales as sales
            inner join core.dim_customer as customers on sales.customer_key = customers.customer_key
            where customers.customer_pseudonym = '{pseudonym(customer_id)}'
        """)[0]
        assert actual == expected, customer_id
    assert as_dict(query(edge_db, f"""
        select city, sum(sales_amount) from sales.sales_performance_daily where city = '{NEW_CITY}' group by 1
    """)) == {NEW_CITY: moved["sales_amount"]}
    # the order is listed by the data-quality model and reported by the warn-level test
    assert query(edge_db, f"""
        select conflicting_attributes from intermediate.int_order_header_conflicts_listed
        where order_id = '{edges["mixed_order"]}'
    """) == [("customer city",)]
    assert "WARN 1 orders_agree_on_their_header_attributes" in edge_warehouse.build_result.stdout


def test_a_line_in_another_currency_is_quarantined_with_the_currency_named(edge_warehouse, edge_db):
    assert query(edge_db, f"""
        select quarantine_reason, quarantine_detail
        from staging.stg_sales_system__sales_order_lines_quarantined
        where record_key = '{edge_warehouse.edges["foreign_line"]}'
    """) == [("unsupported_currency", "currency USD is not the reporting currency EUR")]


def test_profit_and_loss_cells_add_up_to_the_line_totals(edge_db):
    measures = ["gross_sales_amount", "post_invoice_deduction_amount", "net_sales_amount", "freight_cost_amount",
                "other_cost_amount", "manufacturing_cost_amount", "gross_margin_amount"]
    cells = query(edge_db, f"""
        select fiscal_year, {', '.join(f'sum({m})' for m in measures)}, sum(order_lines),
               sum(gross_sales_amount_with_deduction_rate), sum(order_lines_fully_costed)
        from sales.sales_profit_and_loss group by 1 order by 1
    """)
    lines = query(edge_db, f"""
        select fiscal_year, {', '.join(f'coalesce(sum({m}), 0)' for m in measures)}, count(*),
               coalesce(sum(case when has_deduction_rate then gross_sales_amount end), 0),
               count(gross_margin_amount)
        from intermediate.int_order_lines_costed group by 1 order by 1
    """)
    assert cells == lines
    # the 2015 history has no finance rates: coverage says so, the amounts stay additive
    assert query(edge_db, """
        select count(*) from sales.sales_profit_and_loss
        where gross_margin_amount is null or post_invoice_deduction_amount is null
    """) == [(0,)]
    assert query(edge_db, """
        select sum(order_lines_fully_costed) < sum(order_lines)
        from sales.sales_profit_and_loss where fiscal_year = 2016
    """) == [(True,)]


def test_online_orders_point_to_the_not_applicable_store(edge_db):
    rows = dict(query(edge_db, """
        select
            case
                when sales.platform = 'E-Commerce' then 'online'
                else 'store'
            end,
            count(*)
        from core.fct_sales as sales
        where sales.store_location_key = '-1'
        group by 1
    """))
    assert rows == {}
    online, = query(edge_db, """
        select count(*) from core.fct_sales as sales
        inner join core.dim_location as stores on sales.store_location_key = stores.location_key
        where sales.platform = 'E-Commerce' and stores.location_type = 'not_applicable'
    """)[0]
    assert online > 0
