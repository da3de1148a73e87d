"""Filters of the Renstra list: its OPD (id or code) and its status. Unknown values are 400s."""

from __future__ import annotations

from django_filters import rest_framework as filters

from magelang.api.filters import StrictFilterSet
from opd.agencies.api.filters import opd_filter
from opd.models import Renstra, RenstraStatus


class RenstraFilter(StrictFilterSet):
    opd = opd_filter("opd")
    status = filters.ChoiceFilter(choices=RenstraStatus.choices)

    class Meta:
        model = Renstra
        fields = ["opd", "status"]
