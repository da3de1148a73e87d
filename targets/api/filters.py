"""Filters for the plan's numbers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters

from targets.models import Indicator, Plan, Region


class StrictFilterSet(filters.FilterSet):
    """A filter given empty or more than once is a 400, never silently ignored."""

    def is_valid(self) -> bool:
        return super().is_valid() and not self._refuse_ambiguous()

    def _refuse_ambiguous(self) -> bool:
        refused = False
        for name in self.filters:
            values: list[Any] = self.data.getlist(name) if hasattr(self.data, "getlist") else []
            if len(values) > 1 or values == [""]:
                self.form.add_error(
                    name, forms.ValidationError(_("Give this filter one non-empty value."))
                )
                refused = True
        return refused


class IndicatorFilter(StrictFilterSet):
    plan = filters.ModelChoiceFilter(queryset=Plan.objects.all())
    region = filters.ModelChoiceFilter(field_name="plan__region", queryset=Region.objects.all())
    code = filters.CharFilter(max_length=40)

    class Meta:
        model = Indicator
        fields = ["plan", "region", "code"]
