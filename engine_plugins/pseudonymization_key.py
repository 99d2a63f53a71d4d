"""dbt-duckdb plugin: hands the pseudonymization key to every DuckDB cursor dbt opens.

The key is read from the environment here, in Python, never from the profile: dbt-duckdb
prints a plugin's `config` with the connection details (`dbt debug`, logs/dbt.log), so a
key passed as `config.key` would be printed (docs/decisions.md, D106). A profile that
still passes one is refused, without echoing it.

The key is set as a session variable by Python, so it never appears in SQL text that
dbt compiles, logs or keeps in target/. Models read it with
`getvariable('sales_insights_pseudonymization_key')` (macros/privacy/pseudonymize.sql).

Profile (profiles.yml.example):
    module_paths: [engine_plugins]
    plugins:
      - module: pseudonymization_key
"""
from __future__ import annotations

import os
from typing import Any, Dict

from dbt.adapters.duckdb.plugins import BasePlugin

from development_key import KEY_VARIABLE, UNSAFE_DEVELOPMENT_KEY  # module_paths: engine_plugins


class Plugin(BasePlugin):
    def initialize(self, plugin_config: Dict[str, Any]) -> None:
        if "key" in (plugin_config or {}):
            raise ValueError(
                "The pseudonymization_key plugin takes no `config.key` (dbt prints plugin settings): "
                f"remove it from profiles.yml and set {KEY_VARIABLE} in the environment instead"
            )
        self.key = os.environ.get(KEY_VARIABLE) or UNSAFE_DEVELOPMENT_KEY

    def configure_connection(self, conn) -> None:
        self._set_key(conn)

    def configure_cursor(self, cursor) -> None:
        self._set_key(cursor)

    def _set_key(self, connection) -> None:
        # a prepared statement's parameter: the key is no part of the SQL text
        connection.execute("set variable sales_insights_pseudonymization_key = ?", [self.key])
