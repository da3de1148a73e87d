"""Benchmarks: run with ``make bench``; they print figures and ratios, they assert nothing."""
