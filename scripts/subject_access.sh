#!/usr/bin/env bash
# Right of access (GDPR article 15): everything the warehouse holds about one customer,
# as one JSON file. Usage: ./scripts/subject_access.sh CUSTOMER_ID [--out FILE]
# (DuckDB by default; DBT_TARGET=postgres for PostgreSQL.) The file holds personal data:
# hand it to the data subject through the privacy office, and delete it afterwards.
source "$(dirname "$0")/_script.sh"
python -m subject_access "$@"
