"""Pre-commit hook: every non-empty text file given ends with exactly one newline."""
import sys

failed = False
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        content = handle.read()
    if content and (not content.endswith(b"\n") or content.endswith(b"\n\n")):
        print(f"{path}: must end with exactly one newline")
        failed = True
sys.exit(1 if failed else 0)
