"""Column layout of the raw tables, exactly as the source contract lists them.

The contract is the data team's raw_sources.md (shared/contracts/ beside the
repository); the project's reading of it is the sources' YAML. Every landed file has these columns, in this order, as its
header; the writers and the row builders both index rows through this module.
"""

TABLES: dict[str, tuple[str, ...]] = {
    "sales_order_lines": (
        "order_id",
        "order_line_number",
        "order_date",
        "ship_date",
        "ship_mode",
        "carrier_id",
        "customer_id",
        "customer_name",
        "customer_email",
        "customer_phone",
        "customer_birth_date",
        "segment",
        "channel",
        "platform",
        "country",
        "region",
        "state_province",
        "city",
        "postal_code",
        "store_id",
        "product_id",
        "product_name",
        "category",
        "sub_category",
        "quantity",
        "unit_price",
        "discount",
        "sales_amount",
        "profit_amount",
        "currency",
        "updated_at",
    ),
    "inventory_snapshots": (
        "snapshot_date",
        "environment",
        "warehouse_id",
        "product_id",
        "quantity_on_hand",
        "quantity_reserved",
        "reorder_point",
        "unit_cost",
        "currency",
    ),
    "products": (
        "product_id",
        "product_name",
        "category",
        "sub_category",
        "brand",
        "supplier_id",
        "unit_list_price",
        "unit_standard_cost",
        "launched_on",
        "discontinued_on",
        "updated_at",
    ),
    "suppliers": (
        "supplier_id",
        "supplier_name",
        "country",
        "contact_name",
        "contact_email",
        "lead_time_days",
        "updated_at",
    ),
    "carriers": ("carrier_id", "carrier_name", "service_level", "updated_at"),
    "locations": (
        "location_id",
        "location_name",
        "location_type",
        "city",
        "region",
        "country",
        "opened_on",
    ),
    "manufacturing_costs": ("product_id", "fiscal_year", "unit_manufacturing_cost"),
    "post_invoice_deductions": ("customer_id", "fiscal_year", "deduction_pct"),
    "freight_costs": ("country", "fiscal_year", "freight_pct", "other_cost_pct"),
    "erasure_requests": ("customer_id", "requested_at"),
}


def column_index(table: str) -> dict[str, int]:
    """Position of each column of `table` in a row list."""
    return {name: position for position, name in enumerate(TABLES[table])}
