"""The nomenclature check of a work plan, for the plan page's warning (one query)."""

from __future__ import annotations

from django import template

from opd.models import WorkPlan
from opd.nomenclature.checks import NomenclatureCheck, codes_not_in_nomenclature

register = template.Library()


@register.simple_tag
def nomenclature_check(work_plan: WorkPlan) -> NomenclatureCheck:
    """The plan's codes missing from the nomenclature of its year (see ``opd.nomenclature``)."""
    return codes_not_in_nomenclature(work_plan)
