"""Filters of the OPD list; an OPD is named by its id or its code (``?opd=1.06``)."""

from __future__ import annotations

from django_filters import rest_framework as filters

from magelang.api.filters import IdOrCodeFilter, StrictFilterSet
from opd.models import (
    Opd,
)
from targets.models import Region


def opd_filter(field_name: str) -> IdOrCodeFilter:
    return IdOrCodeFilter(field_name=field_name, queryset=Opd.objects.all(), noun="OPD")


class OpdFilter(StrictFilterSet):
    region = filters.ModelChoiceFilter(queryset=Region.objects.all())
    kind = filters.ChoiceFilter(choices=Opd.Kind.choices)

    class Meta:
        model = Opd
        fields = ["region", "kind"]
