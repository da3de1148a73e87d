"""Filters of the work plans, programs, activities and realisations. Unknown values are 400s."""

from __future__ import annotations

from django_filters import rest_framework as filters

from magelang.api.filters import StrictFilterSet, indicator_filter, kelurahan_filter, year_filter
from opd.agencies.api.filters import opd_filter
from opd.models import (
    Activity,
    Program,
    Realisation,
    WorkPlan,
    WorkPlanStatus,
)
from opd.workplans.api.visibility import visible_activities, visible_work_plans
from opd.workplans.models import QUARTERS


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
    quarter = filters.NumberFilter(
        min_value=min(QUARTERS), max_value=max(QUARTERS), decimal_places=0
    )
    indicator = indicator_filter("achieved_contributions__indicator")
    kelurahan = kelurahan_filter("activity__kelurahan")

    class Meta:
        model = Realisation
        fields = ["year", "opd", "activity", "quarter", "indicator", "kelurahan"]
