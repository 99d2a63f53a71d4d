"""Analysts browse the lineage in dbt docs: everything is documented. Models, their built
columns, seeds, snapshots, sources and exposures are described by dbt-bouncer's rules
(dbt-bouncer.yml, test_project_rules.py); here what it has no rule for."""


def test_docs_generate_succeeds(warehouse):
    assert warehouse.docs_result is not None and warehouse.docs_result.returncode == 0, (
        warehouse.docs_result.stdout[-3000:] if warehouse.docs_result else "the build failed")
    assert (warehouse.target_dir / "catalog.json").exists()
    assert (warehouse.target_dir / "index.html").exists()


def test_every_analysis_is_described(warehouse):
    analyses = [node for node in warehouse.manifest["nodes"].values() if node["resource_type"] == "analysis"]
    assert analyses
    undocumented = [node["unique_id"] for node in analyses if not (node.get("description") or "").strip()]
    assert not undocumented, undocumented


def test_every_source_column_is_described(warehouse):
    missing = [
        f"{source['source_name']}.{source['name']}.{name}"
        for source in warehouse.manifest["sources"].values()
        for name, column in source["columns"].items()
        if not (column.get("description") or "").strip()
    ]
    assert not missing, missing


def test_the_static_site_carries_the_lineage_from_raw_to_marts(warehouse):
    result = warehouse.dbt("docs", "generate", "--static", "--no-compile")
    assert result.returncode == 0, result.stdout[-3000:]
    site = (warehouse.target_dir / "static_index.html").read_text(encoding="utf-8")
    for node in (
        "source.sales_insights.sales_system.sales_order_lines",
        "model.sales_insights.fct_sales",
        "model.sales_insights.sales_profit_and_loss",
        "model.sales_insights.inventory_environment_comparison",
        "exposure.sales_insights.sales_insights_dashboard",
    ):
        assert node in site, node
    # the lineage itself: fct_sales reaches the raw order export through staging
    manifest = warehouse.manifest
    parents = manifest["parent_map"]
    frontier, seen = ["model.sales_insights.fct_sales"], set()
    while frontier:
        node = frontier.pop()
        for parent in parents.get(node, []):
            if parent not in seen:
                seen.add(parent)
                frontier.append(parent)
    assert "source.sales_insights.sales_system.sales_order_lines" in seen
    assert "source.sales_insights.warehouse_system.inventory_snapshots" in seen
