"""Hands the pseudonymization key to every MySQL/MariaDB connection dbt-mysql opens.

dbt-mysql 1.7 has no plugin mechanism like dbt-duckdb's, and MySQL has no startup
parameter like PostgreSQL's PGOPTIONS, so the key goes through the driver: when
dbt-mysql's connection module is imported, `mysql.connector.connect` is wrapped to add
an `init_command` that sets the session's user variable
`@sales_insights_pseudonymization_key`. The driver runs it right after connecting (and
after any reconnect), outside dbt, so the key never appears in SQL that dbt compiles,
logs or keeps in target/. Models read the variable through
`mysql__session_pseudonymization_key()` (macros/privacy/pseudonymize.sql).

The key is written as a hex literal converted to utf8mb4: any character is safe in it
(no quoting), and it is not readable at a glance in the server's process list.

Loaded in the MySQL virtualenv only (.venv-mysql), by the `.pth` file scripts/_env.sh
writes into it: `register()` installs an import hook and imports nothing itself, so
other programs of that virtualenv (pip) start as fast as before.
"""
from __future__ import annotations

import importlib.abc
import os
import sys

from development_key import KEY_VARIABLE, UNSAFE_DEVELOPMENT_KEY  # the .pth puts engine_plugins on the path

SESSION_VARIABLE = "@sales_insights_pseudonymization_key"
CONNECTIONS_MODULE = "dbt.adapters.mysql.connections"


def init_command(key: str) -> str:
    """The statement that sets the session variable to the key."""
    return f"set {SESSION_VARIABLE} = convert(x'{key.encode('utf-8').hex()}' using utf8mb4) collate utf8mb4_bin"


def install(connections_module) -> None:
    """Wrap the driver's connect() as dbt-mysql's connection module sees it."""
    connector = connections_module.mysql.connector
    if getattr(connector.connect, "sales_insights_key_hook", False):
        return
    connect = connector.connect

    def connect_with_key(*args, **kwargs):
        key = os.environ.get(KEY_VARIABLE) or UNSAFE_DEVELOPMENT_KEY
        kwargs.setdefault("init_command", init_command(key))
        return connect(*args, **kwargs)

    connect_with_key.sales_insights_key_hook = True
    connector.connect = connect_with_key


class _InstallAfterImport(importlib.abc.MetaPathFinder):
    """Runs install() right after dbt-mysql's connection module is executed."""

    def find_spec(self, fullname, path, target=None):
        if fullname != CONNECTIONS_MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                break
        else:
            return None
        exec_module = spec.loader.exec_module

        def exec_and_install(module):
            exec_module(module)
            install(module)

        spec.loader.exec_module = exec_and_install
        return spec


def register() -> None:
    if not any(isinstance(finder, _InstallAfterImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _InstallAfterImport())
