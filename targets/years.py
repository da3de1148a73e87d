"""The years a figure may be about: one rule, used by every model that stores a year.

A module of its own, importing nothing of ``targets``, so that the models split out of
``targets/models.py`` (``targets/poverty.py``) can check their years without importing the
module that imports them.
"""

from __future__ import annotations

from django.db.models import Q

MIN_YEAR = 1945
MAX_YEAR = 2100


def year_in_range(field: str) -> Q:
    """The condition that ``field`` holds a plausible year (MIN_YEAR to MAX_YEAR)."""
    return Q(**{f"{field}__gte": MIN_YEAR, f"{field}__lte": MAX_YEAR})
