"""Benchmark workloads that run through the engine's real code path (benchmarks/org-year.md)."""
