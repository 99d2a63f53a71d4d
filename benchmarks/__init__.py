"""The scale benchmark: scripts/benchmark.sh (see README)."""
