"""Filters of the contribution figures."""

from __future__ import annotations

from django_filters import rest_framework as filters

from magelang.api.filters import StrictFilterSet, indicator_filter, year_filter
from opd.models import (
    ContributionState,
    SnapshotStatus,
)


class ContributionFilter(StrictFilterSet):
    year = year_filter()
    indicator = indicator_filter()
    status = filters.ChoiceFilter(field_name="snapshot__status", choices=SnapshotStatus.choices)

    class Meta:
        model = ContributionState
        fields = ["year", "indicator", "status"]
