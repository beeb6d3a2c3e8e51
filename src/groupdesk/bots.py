"""Simulated participants for demos, tests and benchmarks. No Qt."""
