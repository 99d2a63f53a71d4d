"""The scale benchmark: scripts/benchmark.sh (see docs/scale.md)."""
