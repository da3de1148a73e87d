from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttles(settings):
    """Throttle counters live in the cache: every test starts with none, at generous rates."""
    settings.API_THROTTLE_RATES = {"anon": "10000/min", "token": "10000/min", "user": "10000/min"}
    cache.clear()
    yield
    cache.clear()
