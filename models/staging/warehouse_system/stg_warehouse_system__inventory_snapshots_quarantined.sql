{{ quarantine_rows('base_warehouse_system__inventory_snapshots', 'warehouse_system', 'inventory_snapshots') }}
