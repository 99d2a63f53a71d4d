"""The simulated company: its catalogue, customers, suppliers and locations.

Built once, in memory (a few thousand objects at most), before any table is written.
The order-line and inventory streams sample from it; the master-data tables render it.
"""

import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from . import reference as ref
from .timeline import days_between, demand_weights, random_timestamp

CUSTOMER_COUNT = 1500
VERSIONED_PRODUCTS = (("price", 6), ("rename", 2), ("reclass", 2))
DISCONTINUED_PRODUCTS = 6
SUPERSEDED_SUPPLIERS = 3


@dataclass(frozen=True)
class ProductVersion:
    """The attributes of a product that the source system changes over time."""

    name: str
    category: str
    sub_category: str
    list_cents: int
    updated_at: str
    valid_from: date | None  # None for a product's first version


@dataclass
class Product:
    product_id: str
    brand: str
    supplier_id: str
    cost_cents: int  # unit standard cost
    launched_on: date
    discontinued_on: date | None
    popularity: float  # relative share of order lines (Zipf-like)
    versions: list[ProductVersion]  # oldest first

    @property
    def current(self) -> ProductVersion:
        return self.versions[-1]

    def is_active(self, day: date) -> bool:
        return self.launched_on <= day and (
            self.discontinued_on is None or day < self.discontinued_on)


@dataclass(frozen=True)
class SupplierVersion:
    contact_name: str
    contact_email: str
    lead_time_days: int
    updated_at: str


@dataclass
class Supplier:
    supplier_id: str
    name: str
    country: str
    versions: list[SupplierVersion]  # oldest first


@dataclass(frozen=True)
class Customer:
    """A customer with the attributes the sales export repeats on each line.

    Optional attributes that a customer lacks are empty on all of their lines, so that
    customer attributes stay stable across the export."""

    customer_id: str
    name: str
    email: str
    phone: str
    birth_date: str
    segment: str  # as exported: empty for a few customers
    behaviour_segment: str  # the true segment, which drives discounts and channel use
    channel: str
    country: str
    region: str
    state_province: str
    city: str
    postal_code: str
    popularity: float  # relative ordering frequency (Pareto-like)
    joined_on: date
    home_store_id: str | None


@dataclass
class World:
    start: date
    end: date
    days: list[date]
    day_weights: list[float]  # relative sales volume per day
    products: list[Product]
    customers: list[Customer]
    suppliers: list[Supplier]
    stores: list[ref.Location]
    distribution_centers: list[ref.Location]
    location_opened_on: dict[str, date]  # opening day of every location


def build_world(seed: int, start: date, end: date) -> World:
    rng = random.Random(f"{seed}/world")
    days = days_between(start, end)
    stores = [loc for loc in ref.LOCATIONS if loc.location_type == "store"]
    suppliers = _build_suppliers(rng, start, end)
    return World(
        start=start,
        end=end,
        days=days,
        day_weights=demand_weights(days, random.Random(f"{seed}/calendar")),
        products=_build_products(rng, start, end),
        customers=_build_customers(rng, start, end, stores),
        suppliers=suppliers,
        stores=stores,
        distribution_centers=[loc for loc in ref.LOCATIONS
                              if loc.location_type == "distribution_center"],
        location_opened_on={loc.location_id: date.fromisoformat(loc.opened_on)
                          for loc in ref.LOCATIONS},
    )


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only, for e-mail addresses ('Łukasz Müller' -> 'lukaszmueller')."""
    text = text.lower()
    for special, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ł", "l")):
        text = text.replace(special, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text if ch.isalnum())


def _list_price(rng: random.Random, low: float, high: float) -> int:
    """A log-uniform list price in cents with a shop-like ending (.49, .90, .99)."""
    euros = math.exp(rng.uniform(math.log(low), math.log(high)))
    endings = (49, 99) if euros < 20 else (90, 99, 0)
    return max(99, int(euros) * 100 + rng.choice(endings))


def _build_products(rng: random.Random, start: date, end: date) -> list[Product]:
    brand_supplier = {brand: s.supplier_id for s in ref.SUPPLIERS for brand in s.brands}
    drafts, names = [], set()
    for sub in ref.SUB_CATEGORIES:
        for _ in range(sub.count):
            brand, item = rng.choice(sub.brands), rng.choice(sub.items)
            name = f"{brand} {item.noun}, {rng.choice(ref.VARIANTS[sub.category])}"
            while name in names:  # a model number tells look-alikes apart
                name = (f"{brand} {item.noun} {rng.choice('SMX')}{rng.randint(1, 9)}00, "
                        f"{rng.choice(ref.VARIANTS[sub.category])}")
            names.add(name)
            list_cents = _list_price(rng, *item.price_range)
            drafts.append((name, sub, brand, list_cents,
                           int(list_cents * rng.uniform(0.45, 0.78))))
    rng.shuffle(drafts)  # product numbers are not grouped by category

    ranks = list(range(len(drafts)))
    rng.shuffle(ranks)
    products = []
    for number, ((name, sub, brand, list_cents, cost_cents), rank) in enumerate(
            zip(drafts, ranks), start=1):
        launched_before = rng.random() < 0.85
        launched_on = (start - timedelta(days=rng.randint(1, 8 * 365)) if launched_before
                       else start + timedelta(days=rng.randint(30, (end - start).days - 120)))
        updated_at = (random_timestamp(rng, launched_on, start - timedelta(days=1))
                      if launched_before else
                      random_timestamp(rng, launched_on - timedelta(days=14),
                                       launched_on - timedelta(days=1)))
        products.append(Product(
            product_id=f"P-{number:04d}",
            brand=brand,
            supplier_id=brand_supplier[brand],
            cost_cents=cost_cents,
            launched_on=launched_on,
            discontinued_on=None,
            popularity=1.0 / (rank + 4) ** 1.05,
            versions=[ProductVersion(name, sub.category, sub.name, list_cents,
                                     updated_at, None)],
        ))

    established = [p for p in products if p.launched_on < start]
    chosen = rng.sample(established,
                        DISCONTINUED_PRODUCTS + sum(n for _, n in VERSIONED_PRODUCTS))
    for product in chosen[:DISCONTINUED_PRODUCTS]:
        product.discontinued_on = start + timedelta(days=rng.randint(120, (end - start).days - 30))
        product.versions[0] = _replace_updated_at(
            product.versions[0], f"{product.discontinued_on.isoformat()} 06:00:00")
    versioned = iter(chosen[DISCONTINUED_PRODUCTS:])
    for kind, count in VERSIONED_PRODUCTS:
        for _ in range(count):
            _add_version(rng, next(versioned), kind, start, end)
    return products


def _replace_updated_at(version: ProductVersion, updated_at: str) -> ProductVersion:
    return ProductVersion(version.name, version.category, version.sub_category,
                          version.list_cents, updated_at, version.valid_from)


def _add_version(rng: random.Random, product: Product, kind: str, start: date,
                 end: date) -> None:
    """Give `product` a newer version; the existing one becomes the superseded original.

    The change is a price increase, a rename or a move to another sub-category."""
    old = product.current
    changed_on = start + timedelta(days=rng.randint(90, (end - start).days - 90))
    name, sub_category, list_cents = old.name, old.sub_category, old.list_cents
    if kind == "price":
        list_cents = (int(old.list_cents * rng.uniform(1.05, 1.12)) // 100) * 100 + 99
    elif kind == "rename":
        name = old.name.replace(", ", " II, ", 1)
    else:
        sub_category = rng.choice([s.name for s in ref.SUB_CATEGORIES
                                   if s.category == old.category and s.name != old.sub_category])
    product.versions.append(ProductVersion(
        name, old.category, sub_category, list_cents,
        random_timestamp(rng, changed_on, changed_on), changed_on))


def _build_suppliers(rng: random.Random, start: date, end: date) -> list[Supplier]:
    contacts = list(ref.SUPPLIER_CONTACTS)
    rng.shuffle(contacts)
    suppliers = []
    for supplier in ref.SUPPLIERS:
        domain = ascii_slug(supplier.name.split()[0]) + ".example"
        contact = contacts.pop()
        suppliers.append(Supplier(supplier.supplier_id, supplier.name, supplier.country, [
            SupplierVersion(contact, _contact_email(contact, domain), rng.randint(5, 35),
                            random_timestamp(rng, start - timedelta(days=1000),
                                             start - timedelta(days=1)))
        ]))
    for supplier in rng.sample(suppliers, SUPERSEDED_SUPPLIERS):
        old = supplier.versions[0]
        contact = contacts.pop()
        changed_on = start + timedelta(days=rng.randint(60, (end - start).days - 60))
        supplier.versions.append(SupplierVersion(
            contact, _contact_email(contact, old.contact_email.split("@")[1]),
            max(3, old.lead_time_days + rng.choice((-4, -2, 3, 5, 7))),
            random_timestamp(rng, changed_on, changed_on)))
    return suppliers


def _contact_email(person: str, domain: str) -> str:
    first, last = person.split(" ", 1)
    return f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}"


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in weighted],
                       weights=[weight for _, weight in weighted])[0]


def _build_customers(rng: random.Random, start: date, end: date,
                     stores: list[ref.Location]) -> list[Customer]:
    countries = ref.COUNTRIES
    country_weights = [c.weight for c in countries]
    ranks = list(range(CUSTOMER_COUNT))
    rng.shuffle(ranks)
    emails: set[str] = set()
    customers = []
    for number, rank in enumerate(ranks, start=1):
        country = rng.choices(countries, weights=country_weights)[0]
        city = rng.choice(country.cities)
        first, last = rng.choice(country.first_names), rng.choice(country.last_names)
        segment = _pick(rng, ref.SEGMENTS)
        local_part = f"{ascii_slug(first)}.{ascii_slug(last)}"
        email = f"{local_part}@{country.email_domain}"
        while email in emails:
            email = f"{local_part}{rng.randint(1, 999)}@{country.email_domain}"
        emails.add(email)
        birth = date(1950, 1, 1) + timedelta(days=rng.randint(0, 19700))
        local_stores = [s for s in stores if s.country == country.name]
        same_city = [s for s in local_stores if s.city == city.city]
        if same_city:
            home_store = same_city[0]
        else:
            home_store = rng.choice(local_stores) if local_stores else None
        joined_on = start if rng.random() < 0.6 else start + timedelta(
            days=rng.randint(0, (end - start).days - 30))
        customers.append(Customer(
            customer_id=f"C-{number:05d}",
            name=f"{first} {last}",
            email="" if rng.random() < 0.08 else email,
            phone="" if rng.random() < 0.2 else _phone(rng, country.phone_prefix),
            birth_date="" if rng.random() < (0.45 if segment == "Corporate" else 0.2)
            else birth.isoformat(),
            segment="" if rng.random() < 0.02 else segment,
            behaviour_segment=segment,
            channel=_pick(rng, ref.CHANNELS_BY_SEGMENT[segment]),
            country=country.name,
            region="" if rng.random() < 0.02 else city.region,
            state_province="" if rng.random() < 0.01 else city.state_province,
            city=city.city,
            postal_code="" if rng.random() < 0.01 else rng.choice(city.postal_codes),
            popularity=1.0 / (rank + 6),
            joined_on=joined_on,
            home_store_id=home_store.location_id if home_store else None,
        ))
    return customers


def _phone(rng: random.Random, prefix: str) -> str:
    return f"{prefix} {rng.randint(20, 999)} {rng.randint(100000, 9999999)}"
