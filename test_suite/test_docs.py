"""Analysts browse the lineage in dbt docs: everything is documented."""


def test_docs_generate_succeeds(warehouse):
    assert warehouse.docs_result is not None and warehouse.docs_result.returncode == 0, (
        warehouse.docs_result.stdout[-3000:] if warehouse.docs_result else "the build failed")
    assert (warehouse.target_dir / "catalog.json").exists()
    assert (warehouse.target_dir / "index.html").exists()


def test_every_node_and_source_is_described(warehouse):
    manifest = warehouse.manifest
    undocumented = [
        node["unique_id"]
        for node in list(manifest["nodes"].values()) + list(manifest["sources"].values())
        if node["resource_type"] in {"model", "seed", "snapshot", "source", "analysis"}
        and not (node.get("description") or "").strip()
    ]
    undocumented += [e["unique_id"] for e in manifest["exposures"].values() if not e.get("description")]
    assert not undocumented, undocumented


def test_every_column_of_every_model_is_described(warehouse):
    manifest = warehouse.manifest
    catalog = warehouse.artifact("catalog.json")
    missing = []
    for unique_id, table in catalog["nodes"].items():
        node = manifest["nodes"].get(unique_id)
        if not node or node["resource_type"] != "model":
            continue
        documented = {name.lower(): column for name, column in node["columns"].items()}
        for column in table["columns"]:
            if not (documented.get(column.lower(), {}).get("description") or "").strip():
                missing.append(f"{node['name']}.{column}")
    assert not missing, missing


def test_every_source_column_is_described(warehouse):
    missing = [
        f"{source['source_name']}.{source['name']}.{name}"
        for source in warehouse.manifest["sources"].values()
        for name, column in source["columns"].items()
        if not (column.get("description") or "").strip()
    ]
    assert not missing, missing
