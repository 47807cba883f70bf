"""Office-scale measurements of Kantor Cases, each beside the raw engine doing the same work.

`python -m benchmarks --clients N --json FILE` (and `make bench`) builds or reuses a demo office of
N clients and measures search, the clients list, start-up, letters, CSV import, memory and demo
generation in one run. Benchmarks measure; they do not pass or fail (see docs/benchmarks.md).
"""
