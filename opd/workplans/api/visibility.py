"""The plans, programs and activities a request may see: one definition, used by the serializers' choices, the filters and the views."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from opd.models import Activity, Program, WorkPlan


def visible_work_plans(request: Any) -> QuerySet[WorkPlan]:
    """The plans the caller may see (none without a request, as when the schema is built).

    The serializers' choices and the filters' values come from here, so another OPD's plan
    is an unknown one (a 400, as for an id that names nothing): no answer tells which ids
    exist.
    """
    user = getattr(request, "user", None)
    return WorkPlan.objects.visible_to(user) if user is not None else WorkPlan.objects.none()


def visible_programs(request: Any) -> QuerySet[Program]:
    return Program.objects.filter(work_plan__in=visible_work_plans(request))


def visible_activities(request: Any) -> QuerySet[Activity]:
    return Activity.objects.filter(program__work_plan__in=visible_work_plans(request))
