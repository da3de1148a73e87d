"""The plan list's filter (/renja/): the form read from the query string and the rows it keeps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opd.models import WorkPlan
from opd.workplans.selectors import PlanListRow

NO_PLAN = "none"  # the status choice for the OPDs without a plan for the year


def _status_choices() -> list[tuple[str, Any]]:
    return [("", _("All")), (NO_PLAN, _("no plan")), *WorkPlan.Status.choices]


class PlanListFilterForm(forms.Form):
    """A status (or ``NO_PLAN``) and "late only"; both optional, the names as in the address."""

    status = forms.ChoiceField(label=_("Status"), choices=_status_choices, required=False)
    terlambat = forms.BooleanField(label=_("Late only"), required=False)


def filter_rows(rows: list[PlanListRow], *, status: str, late_only: bool) -> list[PlanListRow]:
    """The rows whose plan has ``status`` (``NO_PLAN``: no plan; "": any), only the overdue
    ones with ``late_only``. No query: the list is filtered as loaded."""
    if status:
        rows = [r for r in rows if (r.work_plan.status if r.work_plan else NO_PLAN) == status]
    if late_only:
        rows = [r for r in rows if r.overdue]
    return rows
