"""Filters of the API's lists: year, OPD, status, indicator, kelurahan. Unknown values are 400s.

An OPD, an indicator or a kelurahan is named by its id or by its code (``?opd=1.06``,
``?indicator=KEMISKINAN``): digits that are an id name that record; anything else is a code.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override

from opd.api.permissions import visible_activities, visible_work_plans
from opd.models import (
    Activity,
    Aspiration,
    AspirationForum,
    AspirationStatus,
    ContributionState,
    Opd,
    Program,
    Realisation,
    SnapshotStatus,
    WorkPlan,
    WorkPlanStatus,
)
from targets.api.filters import StrictFilterSet
from targets.models import MAX_YEAR, MIN_YEAR, Indicator, Kelurahan, Region


def year_filter(field_name: str = "year") -> filters.NumberFilter:
    return filters.NumberFilter(
        field_name=field_name, min_value=MIN_YEAR, max_value=MAX_YEAR, decimal_places=0
    )


MAX_ID = 2**31 - 1


class IdOrCodeField(forms.CharField):
    """The ids of the records a value names: the record with that id, or those with that code
    (a code may recur across regions or RPJMD plans; the filter then keeps all of them)."""

    default_error_messages = {
        "invalid_choice": _(
            "Select a valid choice. That choice is not one of the available choices."
        )
    }

    def __init__(self, *, queryset: QuerySet[Any], **kwargs: Any) -> None:
        self.queryset = queryset
        super().__init__(max_length=40, **kwargs)

    def clean(self, value: Any) -> list[int] | None:
        value = super().clean(value)
        if value in self.empty_values:
            return None
        ids: list[int] = []
        if value.isascii() and value.isdigit() and int(value) <= MAX_ID:
            ids = list(self.queryset.filter(pk=int(value)).values_list("pk", flat=True))
        if not ids:
            ids = list(self.queryset.filter(Q(code=value)).values_list("pk", flat=True))
        if not ids:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return ids


class IdOrCodeFilter(filters.Filter):
    field_class = IdOrCodeField

    def __init__(self, *, queryset: QuerySet[Any], noun: str, **kwargs: Any) -> None:
        super().__init__(queryset=queryset, **kwargs)
        # The schema: a string, as a code is one; an unknown id or code is a 400.
        set_override(
            self,
            "field",
            {
                "type": "string",
                "maxLength": 40,
                "description": f"The {noun}'s id, or its code (e.g. {EXAMPLES[noun]}); "
                "an id or code that names nothing is a 400.",
            },
        )

    def filter(self, qs: QuerySet[Any], value: list[int] | None) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


EXAMPLES = {"OPD": "`1.06`", "indicator": "`KEMISKINAN`", "kelurahan": "`33.71.01.1001`"}


def opd_filter(field_name: str) -> IdOrCodeFilter:
    return IdOrCodeFilter(field_name=field_name, queryset=Opd.objects.all(), noun="OPD")


def indicator_filter(field_name: str = "indicator") -> IdOrCodeFilter:
    return IdOrCodeFilter(field_name=field_name, queryset=Indicator.objects.all(), noun="indicator")


def kelurahan_filter(field_name: str = "kelurahan") -> IdOrCodeFilter:
    return IdOrCodeFilter(field_name=field_name, queryset=Kelurahan.objects.all(), noun="kelurahan")


class OpdFilter(StrictFilterSet):
    region = filters.ModelChoiceFilter(queryset=Region.objects.all())
    kind = filters.ChoiceFilter(choices=Opd.Kind.choices)

    class Meta:
        model = Opd
        fields = ["region", "kind"]


class WorkPlanFilter(StrictFilterSet):
    year = year_filter()
    opd = opd_filter("opd")
    status = filters.ChoiceFilter(choices=WorkPlanStatus.choices)

    class Meta:
        model = WorkPlan
        fields = ["year", "opd", "status"]


class ProgramFilter(StrictFilterSet):
    year = year_filter("work_plan__year")
    opd = opd_filter("work_plan__opd")
    work_plan = filters.ModelChoiceFilter(queryset=visible_work_plans)

    class Meta:
        model = Program
        fields = ["year", "opd", "work_plan"]


class ActivityFilter(StrictFilterSet):
    year = year_filter("program__work_plan__year")
    opd = opd_filter("program__work_plan__opd")
    status = filters.ChoiceFilter(
        field_name="program__work_plan__status", choices=WorkPlanStatus.choices
    )
    work_plan = filters.ModelChoiceFilter(
        field_name="program__work_plan", queryset=visible_work_plans
    )
    indicator = indicator_filter("expected_contributions__indicator")
    kelurahan = kelurahan_filter()

    class Meta:
        model = Activity
        fields = ["year", "opd", "status", "work_plan", "indicator", "kelurahan"]


class RealisationFilter(StrictFilterSet):
    year = year_filter("activity__program__work_plan__year")
    opd = opd_filter("activity__program__work_plan__opd")
    activity = filters.ModelChoiceFilter(queryset=visible_activities)
    quarter = filters.NumberFilter(min_value=1, max_value=4, decimal_places=0)
    indicator = indicator_filter("achieved_contributions__indicator")
    kelurahan = kelurahan_filter("activity__kelurahan")

    class Meta:
        model = Realisation
        fields = ["year", "opd", "activity", "quarter", "indicator", "kelurahan"]


class AspirationFilter(StrictFilterSet):
    year = year_filter()
    status = filters.ChoiceFilter(choices=AspirationStatus.choices)
    forum = filters.ChoiceFilter(choices=AspirationForum.choices)
    kelurahan = kelurahan_filter()
    opd = opd_filter("activity__program__work_plan__opd")

    class Meta:
        model = Aspiration
        fields = ["year", "status", "forum", "kelurahan", "opd"]


class ContributionFilter(StrictFilterSet):
    year = year_filter()
    indicator = indicator_filter()
    status = filters.ChoiceFilter(field_name="snapshot__status", choices=SnapshotStatus.choices)

    class Meta:
        model = ContributionState
        fields = ["year", "indicator", "status"]
