"""The input rules of a work plan's rows that a single database row cannot check.

One definition each, called by the browser forms and the API serializers alike, so
both refuse the same input with the same words (and the submission checklist
applies the contribution rule to what is stored). Each ``validate_*`` raises
Django's ``ValidationError`` with a code; the serializers pass its messages on.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from targets.models import Indicator, Kelurahan

NOT_POSITIVE = "contribution_amount"
NOT_WHOLE_PERSONS = "contribution_persons"

MESSAGES = {
    NOT_POSITIVE: _("A contribution must be above zero; when there is none, leave it empty."),
    NOT_WHOLE_PERSONS: _("This indicator counts persons: enter a whole number."),
}
FOREIGN_INDICATOR = _("A contribution names an indicator of another plan.")
OTHER_REGION = _("Choose a kelurahan of the OPD's own region.")
OTHER_PLAN = _("Choose a program of this work plan.")


def contribution_problem(amount: Decimal, *, in_persons: bool) -> str | None:
    """What is wrong with a contribution amount: ``NOT_POSITIVE``, ``NOT_WHOLE_PERSONS`` or None.

    A contribution of zero says nothing the absence of one does not; a
    population-share indicator counts persons, who come whole.
    """
    if amount <= 0:
        return NOT_POSITIVE
    if in_persons and amount != amount.to_integral_value():
        return NOT_WHOLE_PERSONS
    return None


def validate_contribution(indicator: Indicator, amount: Decimal | None) -> None:
    """Refuse an amount that :func:`contribution_problem` finds wrong; None (no contribution) passes."""
    if amount is None:
        return
    problem = contribution_problem(amount, in_persons=indicator.is_population_share)
    if problem:
        raise ValidationError(MESSAGES[problem], code=problem)


def validate_indicators(indicators: Iterable[Indicator], *, plan_id: int) -> None:
    """Contributions go to the indicators of the work plan's own RPJMD plan."""
    if any(indicator.plan_id != plan_id for indicator in indicators):
        raise ValidationError(FOREIGN_INDICATOR, code="foreign_indicator")


def validate_kelurahan(kelurahan: Kelurahan | None, *, region_id: int) -> None:
    """An activity takes place in its OPD's region (the database refuses it too, by trigger)."""
    if kelurahan is not None and kelurahan.kecamatan.region_id != region_id:
        raise ValidationError(OTHER_REGION, code="other_region")
