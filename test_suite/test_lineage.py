"""The project's structure: who may read what."""


def _models(manifest):
    return [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]


def test_staging_reading_a_raw_table_waits_for_its_seed(warehouse):
    """With the committed sample, a threaded build must never read a raw table before
    `dbt seed` has written it: every model reading a source depends on that seed."""
    for node in _models(warehouse.manifest):
        for source_name, table in node["sources"]:
            assert f"seed.sales_insights.{table}" in node["depends_on"]["nodes"], (node["name"], table)


def test_only_base_models_and_the_restricted_model_read_raw_sources(warehouse):
    readers = sorted(node["name"] for node in _models(warehouse.manifest) if node["sources"])
    assert readers, "no model reads a source"
    assert all(name.startswith("base_") or name == "pii_data_subjects" for name in readers), readers


def test_marts_read_no_staging_or_source_directly_except_reference_data(warehouse):
    manifest = warehouse.manifest
    for node in _models(manifest):
        if not node["original_file_path"].startswith("models/marts/"):
            continue
        assert not node["sources"], node["name"]
        for parent in node["depends_on"]["nodes"]:
            parent_path = manifest["nodes"].get(parent, {}).get("original_file_path", "")
            assert not parent_path.startswith("models/staging/") or node["name"].startswith(("dim_", "fct_")), (
                node["name"], parent)


def test_no_staging_model_depends_on_another_staging_model_except_its_base(warehouse):
    manifest = warehouse.manifest
    for node in _models(manifest):
        if not node["name"].startswith("stg_"):
            continue
        for parent in node["depends_on"]["nodes"]:
            parent_node = manifest["nodes"].get(parent)
            if parent_node and parent_node["resource_type"] == "model":
                assert parent_node["name"].startswith("base_"), (node["name"], parent_node["name"])


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
