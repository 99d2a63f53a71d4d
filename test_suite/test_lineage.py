"""The project's structure: who may read what. The layer rules (only base models read the
raw sources, staging reads only its base models, marts read no staging but reference data)
are dbt-bouncer's (dbt-bouncer.yml, test_project_rules.py); here what it cannot express."""


def _models(manifest):
    return [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]


def test_staging_reading_a_raw_table_waits_for_its_seed(warehouse):
    """With the committed sample, a threaded build must never read a raw table before
    `dbt seed` has written it: every model reading a source depends on that seed."""
    readers = [node for node in _models(warehouse.manifest) if node["sources"]]
    assert readers, "no model reads a source"
    for node in readers:
        for source_name, table in node["sources"]:
            assert f"seed.sales_insights.{table}" in node["depends_on"]["nodes"], (node["name"], table)


def _selected(warehouse, selector):
    result = warehouse.dbt("ls", "--selector", selector, "--resource-type", "model", "snapshot",
                           "--output", "name", "--quiet")
    assert result.returncode == 0, result.stdout[-3000:]
    return set(result.stdout.split())


def test_the_selectors_name_the_layers_the_personal_data_and_the_daily_set(warehouse):
    """selectors.yml: the three layers cover every model outside restricted and open data,
    without overlap; `pii` is the restricted models and the customer snapshot; the daily
    set starts at the incremental models; `open_data` reaches back to the raw tables."""
    models = {node["name"]: node for node in _models(warehouse.manifest)}
    layers = {name: _selected(warehouse, name) for name in ("staging", "intermediate", "marts")}
    assert not (layers["staging"] & layers["intermediate"]) and not (layers["intermediate"] & layers["marts"])
    outside = {name for name, node in models.items()
               if not node["original_file_path"].startswith(("models/restricted/", "models/open_data/"))}
    assert set().union(*layers.values()) == outside
    restricted = {name for name, node in models.items() if node["original_file_path"].startswith("models/restricted/")}
    assert _selected(warehouse, "pii") == restricted | {"snap_customers"}
    daily = _selected(warehouse, "daily_incremental")
    assert {"fct_sales", "fct_inventory", "int_order_lines_costed", "sales_order_lines_costed"} <= daily
    assert not daily & layers["staging"]
    publishing = _selected(warehouse, "open_data")
    assert {"open_sales_by_month_country_category", "fct_sales", "base_sales_system__sales_order_lines"} <= publishing
