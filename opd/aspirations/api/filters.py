"""Filters of the aspirations list."""

from __future__ import annotations

from django_filters import rest_framework as filters

from magelang.api.filters import StrictFilterSet, kelurahan_filter, year_filter
from opd.agencies.api.filters import opd_filter
from opd.models import (
    Aspiration,
    AspirationForum,
    AspirationStatus,
)


class AspirationFilter(StrictFilterSet):
    year = year_filter()
    status = filters.ChoiceFilter(choices=AspirationStatus.choices)
    forum = filters.ChoiceFilter(choices=AspirationForum.choices)
    kelurahan = kelurahan_filter()
    opd = opd_filter("activity__program__work_plan__opd")

    class Meta:
        model = Aspiration
        fields = ["year", "status", "forum", "kelurahan", "opd"]
