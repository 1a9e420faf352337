"""Benchmarks (issue 6): `python -m bench [--quick]` prints a table and, as its last line, a JSON summary."""
