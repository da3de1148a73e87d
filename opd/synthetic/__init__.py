"""Synthetic regions for load tests and benchmarks (``manage.py generate_synthetic``).

``vocabulary`` holds the names, ``draw`` what a region is (pure, from a seeded generator),
``region`` writes one region in bulk and ``run`` checks, writes the province and its regions
and reports progress.
"""
