#!/usr/bin/env bash
# Right to erasure (GDPR article 17), the one erasure command (docs/privacy.md): redacts
# the landed personal data (name, e-mail, phone, birth date, postal code) of every customer
# with a landed erasure request in raw.sales_order_lines; idempotent. The build applies the
# requests to every model and snapshot; this purges the landing. The daily pipeline runs
# it after each green build. Extra arguments go to `dbt run-operation`, e.g.
# ./scripts/erase.sh --vars '{raw_data_from_seeds: false}' --target postgres
source "$(dirname "$0")/_script.sh"
exec dbt run-operation purge_erased_landed_personal_data "$@"
