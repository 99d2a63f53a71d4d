"""Pre-commit hook: every YAML file given parses (dbt's Jinja strings are plain text to YAML)."""
import sys

import yaml

failed = False
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as handle:
            yaml.safe_load(handle)
    except yaml.YAMLError as error:
        print(f"{path}: {error}")
        failed = True
sys.exit(1 if failed else 0)
