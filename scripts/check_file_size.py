"""Pre-commit hook: no file over 1 MB (generated data and warehouses stay out of git)."""
import os
import sys

LIMIT = 1024 * 1024
large = [path for path in sys.argv[1:] if os.path.getsize(path) > LIMIT]
for path in large:
    print(f"{path}: {os.path.getsize(path)} bytes, over the 1 MB limit")
sys.exit(1 if large else 0)
