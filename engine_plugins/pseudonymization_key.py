"""dbt-duckdb plugin: hands the pseudonymization key to every DuckDB cursor dbt opens.

The key is set as a session variable by Python, so it never appears in SQL text that
dbt compiles, logs or keeps in target/. Models read it with
`getvariable('sales_insights_pseudonymization_key')` (macros/privacy/pseudonymize.sql).

Profile (profiles.yml.example):
    module_paths: [engine_plugins]
    plugins:
      - module: pseudonymization_key
        config:
          key: "{{ env_var('SALES_INSIGHTS_PSEUDONYMIZATION_KEY', '') }}"
"""
from __future__ import annotations

import os
from typing import Any, Dict

from dbt.adapters.duckdb.plugins import BasePlugin

from development_key import KEY_VARIABLE, UNSAFE_DEVELOPMENT_KEY  # module_paths: engine_plugins


class Plugin(BasePlugin):
    def initialize(self, plugin_config: Dict[str, Any]) -> None:
        self.key = plugin_config.get("key") or os.environ.get(KEY_VARIABLE) or UNSAFE_DEVELOPMENT_KEY

    def configure_connection(self, conn) -> None:
        self._set_key(conn)

    def configure_cursor(self, cursor) -> None:
        self._set_key(cursor)

    def _set_key(self, connection) -> None:
        escaped = self.key.replace("'", "''")
        connection.execute(f"set variable sales_insights_pseudonymization_key = '{escaped}'")
