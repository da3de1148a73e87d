from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """The tests read the loaders' messages in English (the portal's default is Indonesian)."""
    with translation.override("en"):
        yield
