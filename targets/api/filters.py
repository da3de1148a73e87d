"""Filters for the plan's numbers."""

from __future__ import annotations

from django_filters import rest_framework as filters

from magelang.api.filters import StrictFilterSet
from targets.models import Indicator, Plan, Region


class IndicatorFilter(StrictFilterSet):
    plan = filters.ModelChoiceFilter(queryset=Plan.objects.all())
    region = filters.ModelChoiceFilter(field_name="plan__region", queryset=Region.objects.all())
    code = filters.CharFilter(max_length=40)

    class Meta:
        model = Indicator
        fields = ["plan", "region", "code"]
