"""One day of business on the OLTP database, after the latest order date in it.

Everything the day changes carries a time of that day in `updated_at` (the simulated
business clock), in one transaction:

- new orders: as many lines as the average day of the last four weeks, each order
  from the customer (not one who asked to be erased), address, ship mode, platform and
  store of a recent order, with 1-3 distinct active products at their current list
  price, a recent line's quantity and discount, amounts computed as datagen computes
  them; Same Day orders ship today;
- updates to open orders: about a third of the last week's unshipped orders ship today
  (a shipment with a carrier that served the same ship mode);
- corrections: quantity corrections on 1 % of the last two weeks' lines, and one late
  correction of a line two to four months old (its month must be rebuilt);
- deletions: one line of a multi-line open order (the order is updated too) and one
  whole open order; the trigger logs every deleted line in deleted_order_lines;
- a price change: one active product gets a new list price from today;
- erasure requests from customers with orders (--erasures, default 1);
- the day's stock counts: the last count's positions with the day's movements.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .connection import OltpSettings, connect

CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class BusinessClock:
    """Times of the simulated day, strictly increasing (one change, one second)."""

    def __init__(self, day: date, rng: random.Random):
        self._next = datetime.combine(day, time(7, 0, 0)) + timedelta(seconds=rng.randrange(600))
        self._rng = rng

    def tick(self) -> datetime:
        self._next += timedelta(seconds=self._rng.randint(1, 20))
        return self._next


def _fetch(cursor, sql: str, params: tuple = ()) -> list[tuple]:
    cursor.execute(sql, params)
    return list(cursor.fetchall())


def _new_orders(cursor, rng: random.Random, clock: BusinessClock, day: date) -> tuple[int, int]:
    four_weeks = day - timedelta(days=28)
    daily_lines = max(1, round(_fetch(cursor, "select count(*) from order_lines join orders using (order_id) "
                                              "where order_date >= %s", (four_weeks,))[0][0] / 28))
    # customers who asked to be erased have left: they order no more
    templates = _fetch(cursor, "select customer_id, ship_to_address_id, ship_mode, platform, store_id, "
                               "currency from orders where order_date >= %s and customer_id not in "
                               "(select customer_id from erasure_requests) order by order_id", (four_weeks,))
    line_templates = _fetch(cursor, "select quantity, discount from order_lines join orders using (order_id) "
                                    "where order_date >= %s order by order_id, order_line_number", (four_weeks,))
    products = _fetch(cursor, """
        select products.product_id, prices.unit_list_price, prices.unit_standard_cost
        from products
        join product_prices as prices on products.product_id = prices.product_id
        where prices.valid_from = (select max(valid_from) from product_prices as later
                                   where later.product_id = products.product_id and later.valid_from <= %s)
          and (products.discontinued_on is null or products.discontinued_on > %s)
          and (products.launched_on is null or products.launched_on <= %s)
        order by products.product_id""", (day, day, day))
    carriers = _carriers_by_ship_mode(cursor)
    orders = lines = 0
    while lines < daily_lines:
        orders += 1
        order_id = f"SO-{day:%Y%m%d}-{orders:05d}"
        customer_id, address_id, ship_mode, platform, store_id, currency = rng.choice(templates)
        at = clock.tick()
        cursor.execute("insert into orders (order_id, customer_id, ship_to_address_id, order_date, ship_mode, "
                       "platform, store_id, currency, updated_at) values (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                       (order_id, customer_id, address_id, day, ship_mode, platform, store_id, currency, at))
        count = min(rng.randint(1, 3), daily_lines - lines)
        for number, (product_id, price, cost) in enumerate(rng.sample(products, count), start=1):
            quantity, discount = rng.choice(line_templates)
            sales = _money(quantity * price * (1 - discount))
            profit = None if cost is None else sales - _money(quantity * cost)
            cursor.execute("insert into order_lines (order_id, order_line_number, product_id, quantity, "
                           "unit_price, discount, sales_amount, profit_amount, updated_at) "
                           "values (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                           (order_id, number, product_id, quantity, price, discount, sales, profit, at))
        lines += count
        if ship_mode == "Same Day" and carriers.get(ship_mode):
            cursor.execute("insert into shipments (order_id, ship_date, carrier_id, updated_at) "
                           "values (%s, %s, %s, %s)", (order_id, day, rng.choice(carriers[ship_mode]), at))
    return orders, lines


def _carriers_by_ship_mode(cursor) -> dict[str, list[str]]:
    carriers: dict[str, list[str]] = {}
    for ship_mode, carrier_id in _fetch(cursor, "select distinct orders.ship_mode, shipments.carrier_id "
                                                "from orders join shipments using (order_id) "
                                                "where shipments.carrier_id is not null order by 1, 2"):
        carriers.setdefault(ship_mode, []).append(carrier_id)
    return carriers


def _ship_open_orders(cursor, rng: random.Random, clock: BusinessClock, day: date) -> int:
    carriers = _carriers_by_ship_mode(cursor)
    open_orders = _fetch(cursor, "select order_id, ship_mode from orders where order_date >= %s "
                                 "and order_date < %s and order_id not in (select order_id from shipments) "
                                 "order by order_id", (day - timedelta(days=7), day))
    shipped = 0
    for order_id, ship_mode in open_orders:
        if rng.random() < 0.35:
            carrier = rng.choice(carriers[ship_mode]) if carriers.get(ship_mode) else None
            cursor.execute("insert into shipments (order_id, ship_date, carrier_id, updated_at) "
                           "values (%s, %s, %s, %s)", (order_id, day, carrier, clock.tick()))
            shipped += 1
    return shipped


def _correct(cursor, line: tuple, quantity: int, at: datetime) -> None:
    order_id, line_number, old_quantity, price, discount, profit = line
    sales = _money(quantity * price * (1 - discount))
    new_profit = None if profit is None else _money(profit * quantity / old_quantity)
    cursor.execute("update order_lines set quantity = %s, sales_amount = %s, profit_amount = %s, "
                   "updated_at = %s where order_id = %s and order_line_number = %s",
                   (quantity, sales, new_profit, at, order_id, line_number))


def _corrections(cursor, rng: random.Random, clock: BusinessClock, day: date) -> tuple[int, int]:
    columns = ("select order_id, order_line_number, quantity, unit_price, discount, profit_amount "
               "from order_lines join orders using (order_id) ")
    recent = _fetch(cursor, columns + "where order_date >= %s and order_date < %s "
                                      "order by order_id, order_line_number", (day - timedelta(days=14), day))
    corrected = rng.sample(recent, k=max(1, len(recent) // 100)) if recent else []
    for line in corrected:
        _correct(cursor, line, max(1, line[2] + rng.choice((-1, 1))), clock.tick())
    old = _fetch(cursor, columns + "where order_date between %s and %s order by order_id, order_line_number",
                 (day - timedelta(days=120), day - timedelta(days=60)))
    late = 0
    if old:
        line = rng.choice(old)
        _correct(cursor, line, line[2] + 1, clock.tick())
        late = 1
    return len(corrected), late


def _deletions(cursor, rng: random.Random, clock: BusinessClock, day: date) -> tuple[int, int]:
    """A line removed from an open order, and an open order cancelled as a whole."""
    open_orders = _fetch(cursor, """
        select orders.order_id, count(*) from orders join order_lines using (order_id)
        where order_date >= %s and order_date < %s and orders.order_id not in (select order_id from shipments)
        group by orders.order_id order by orders.order_id""", (day - timedelta(days=14), day))
    lines_deleted = orders_deleted = 0
    multi_line = [order_id for order_id, lines in open_orders if lines > 1]
    shortened = rng.choice(multi_line) if multi_line else None
    if shortened:
        order_id = shortened
        at = clock.tick()
        cursor.execute("set @business_time = %s", (at,))
        cursor.execute("delete from order_lines where order_id = %s order by order_line_number desc limit 1",
                       (order_id,))
        cursor.execute("update orders set updated_at = %s where order_id = %s", (at, order_id))
        lines_deleted += 1
    remaining = [order_id for order_id, _ in open_orders if order_id != shortened]
    if remaining:
        order_id = rng.choice(remaining)
        cursor.execute("set @business_time = %s", (clock.tick(),))
        # lines first: a cascaded delete would not fire the trigger that logs them
        lines_deleted += cursor.execute("delete from order_lines where order_id = %s", (order_id,))
        cursor.execute("delete from orders where order_id = %s", (order_id,))
        orders_deleted = 1
    cursor.execute("set @business_time = null")
    return lines_deleted, orders_deleted


def _price_change(cursor, rng: random.Random, clock: BusinessClock, day: date) -> int:
    current = _fetch(cursor, """
        select prices.product_id, prices.unit_list_price, prices.unit_standard_cost
        from product_prices as prices
        join products on prices.product_id = products.product_id
        where prices.valid_from = (select max(valid_from) from product_prices as later
                                   where later.product_id = prices.product_id)
          and prices.valid_from < %s and products.discontinued_on is null
        order by prices.product_id""", (day,))
    if not current:
        return 0
    product_id, price, cost = rng.choice(current)
    cursor.execute("insert into product_prices (product_id, valid_from, unit_list_price, unit_standard_cost, "
                   "updated_at) values (%s, %s, %s, %s, %s)",
                   (product_id, day, _money(price * Decimal("1.03")), cost, clock.tick()))
    return 1


def _erasure_requests(cursor, rng: random.Random, clock: BusinessClock, count: int) -> int:
    candidates = [row[0] for row in _fetch(cursor, """
        select distinct customer_id from orders
        where customer_id not in (select customer_id from erasure_requests) order by 1""")]
    chosen = sorted(rng.sample(candidates, k=min(count, len(candidates))))
    for customer_id in chosen:
        cursor.execute("insert into erasure_requests (customer_id, requested_at) values (%s, %s)",
                       (customer_id, clock.tick()))
    return len(chosen)


def _stock_counts(cursor, rng: random.Random, day: date) -> int:
    last = _fetch(cursor, "select max(count_date) from stock_counts where count_date < %s", (day,))[0][0]
    if last is None:
        return 0
    positions = _fetch(cursor, "select environment, warehouse_id, product_id, quantity_on_hand, "
                               "quantity_reserved, reorder_point, unit_cost, currency from stock_counts "
                               "where count_date = %s order by 1, 2, 3", (last,))
    counted_at = datetime.combine(day, time(23, 0, 0))
    rows = []
    for environment, warehouse, product, on_hand, reserved, reorder, cost, currency in positions:
        on_hand = max(0, on_hand + rng.randint(-2, 2))
        reserved = None if reserved is None else min(on_hand, reserved)
        rows.append((day, environment, warehouse, product, on_hand, reserved, reorder, cost, currency, counted_at))
    cursor.executemany("insert into stock_counts (count_date, environment, warehouse_id, product_id, "
                       "quantity_on_hand, quantity_reserved, reorder_point, unit_cost, currency, updated_at) "
                       "values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
    return len(rows)


def apply_day(settings: OltpSettings, seed: int, erasures: int = 1) -> dict:
    connection = connect(settings)
    try:
        with connection.cursor() as cursor:
            latest = _fetch(cursor, "select max(order_date) from orders")[0][0]
            if latest is None:
                raise RuntimeError("the database has no orders: run `scripts/oltp.sh create` first")
            day = latest + timedelta(days=1)
            rng = random.Random(f"{seed}:oltp-day:{day.isoformat()}")
            clock = BusinessClock(day, rng)
            shipped = _ship_open_orders(cursor, rng, clock, day)
            corrected, late = _corrections(cursor, rng, clock, day)
            lines_deleted, orders_deleted = _deletions(cursor, rng, clock, day)
            new_orders, new_lines = _new_orders(cursor, rng, clock, day)
            price_changes = _price_change(cursor, rng, clock, day)
            requests = _erasure_requests(cursor, rng, clock, erasures)
            positions = _stock_counts(cursor, rng, day)
        connection.commit()
    except Exception:
        connection.rollback()
        raise
    finally:
        connection.close()
    return {"day": day.isoformat(), "new_orders": new_orders, "new_order_lines": new_lines,
            "orders_shipped": shipped, "quantity_corrections": corrected, "late_corrections": late,
            "order_lines_deleted": lines_deleted, "orders_deleted": orders_deleted,
            "price_changes": price_changes, "erasure_requests": requests, "stock_counts": positions}
