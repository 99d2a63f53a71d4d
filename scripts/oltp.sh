#!/usr/bin/env bash
# The operational (OLTP) database of the Sales Management System, on MySQL/MariaDB
# (datagen/oltp/; docs/pipeline.md):
#   scripts/oltp.sh create [--order-lines N] [--seed S]   (re)create and fill it
#   scripts/oltp.sh day [--seed S] [--erasures N]         one day of business after the latest
# Connection: SALES_INSIGHTS_OLTP_HOST (127.0.0.1), _PORT (3306), _USER (root),
# _PASSWORD (empty), _DATABASE (sales_oltp). Runs in the main virtualenv, with its pipeline
# layer (PyMySQL).
source "$(dirname "$0")/_pipeline_script.sh"
exec python -m datagen.oltp "$@"
