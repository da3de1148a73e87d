"""Filters of the API's lists: year, OPD, status, indicator, kelurahan. Unknown values are 400s."""

from __future__ import annotations

from django_filters import rest_framework as filters

from opd.models import (
    Activity,
    Aspiration,
    AspirationForum,
    AspirationStatus,
    ContributionState,
    Opd,
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


def opd_filter(field_name: str) -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(field_name=field_name, queryset=Opd.objects.all())


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


class ActivityFilter(StrictFilterSet):
    year = year_filter("program__work_plan__year")
    opd = opd_filter("program__work_plan__opd")
    status = filters.ChoiceFilter(
        field_name="program__work_plan__status", choices=WorkPlanStatus.choices
    )
    work_plan = filters.ModelChoiceFilter(
        field_name="program__work_plan", queryset=WorkPlan.objects.all()
    )
    indicator = filters.ModelChoiceFilter(
        field_name="expected_contributions__indicator", queryset=Indicator.objects.all()
    )
    kelurahan = filters.ModelChoiceFilter(queryset=Kelurahan.objects.all())

    class Meta:
        model = Activity
        fields = ["year", "opd", "status", "work_plan", "indicator", "kelurahan"]


class RealisationFilter(StrictFilterSet):
    year = year_filter("activity__program__work_plan__year")
    opd = opd_filter("activity__program__work_plan__opd")
    activity = filters.ModelChoiceFilter(queryset=Activity.objects.all())
    quarter = filters.NumberFilter(min_value=1, max_value=4, decimal_places=0)
    indicator = filters.ModelChoiceFilter(
        field_name="achieved_contributions__indicator", queryset=Indicator.objects.all()
    )
    kelurahan = filters.ModelChoiceFilter(
        field_name="activity__kelurahan", queryset=Kelurahan.objects.all()
    )

    class Meta:
        model = Realisation
        fields = ["year", "opd", "activity", "quarter", "indicator", "kelurahan"]


class AspirationFilter(StrictFilterSet):
    year = year_filter()
    status = filters.ChoiceFilter(choices=AspirationStatus.choices)
    forum = filters.ChoiceFilter(choices=AspirationForum.choices)
    kelurahan = filters.ModelChoiceFilter(queryset=Kelurahan.objects.all())
    opd = opd_filter("activity__program__work_plan__opd")

    class Meta:
        model = Aspiration
        fields = ["year", "status", "forum", "kelurahan", "opd"]


class ContributionFilter(StrictFilterSet):
    year = year_filter()
    indicator = filters.ModelChoiceFilter(queryset=Indicator.objects.all())
    status = filters.ChoiceFilter(field_name="snapshot__status", choices=SnapshotStatus.choices)

    class Meta:
        model = ContributionState
        fields = ["year", "indicator", "status"]
