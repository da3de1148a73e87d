"""The product's settings with the benchmark's URLconf (``benchmarks.bench_urls``): the
product's URLs plus the two baselines, used only by the benchmark's gunicorn and client."""

from magelang.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
