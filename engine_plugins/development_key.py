"""The pseudonymization key's environment variable and its development default.

The one Python home of the default: the DuckDB plugin, the MySQL connection hook, the
benchmark's floor and the test suite import it from here. Two places cannot import
Python and repeat it: `scripts/_env.sh` (PostgreSQL's PGOPTIONS) and the Spark profile
in `profiles.yml.example`; a test (test_privacy.py) checks that they carry this value.

Deliberately marked unsafe: a production target refuses to build with it
(macros/privacy/assert_pseudonymization_key_is_safe.sql). No imports, so any
virtualenv (dbt 1.11, dbt-mysql 1.7) can load it.
"""
KEY_VARIABLE = "SALES_INSIGHTS_PSEUDONYMIZATION_KEY"
UNSAFE_DEVELOPMENT_KEY = "UNSAFE-development-pseudonymization-key-never-use-in-production"
