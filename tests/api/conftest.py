from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _generous_throttles(settings):
    """Generous rates; each test starts with no throttle count (tests/conftest.py empties it)."""
    settings.API_THROTTLE_RATES = {"anon": "10000/min", "token": "10000/min", "user": "10000/min"}
