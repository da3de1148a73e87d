"""Where the activities take place (``opd.dashboards.places``): an activity's budget is counted
once in its kelurahan however many indicators it claims, the contribution is the chosen
indicator's alone, the activities without a place come last, plans that do not count stay
out, in two queries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opd import models as om
from opd.dashboards.places import places
from tests.factories import (
    ActivityFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    KelurahanFactory,
    OpdFactory,
    PlanFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db


def _figures(rows: list) -> list[tuple[str, str, int, Decimal, Decimal]]:
    return [
        (kecamatan.name, k.name, k.activities, k.budget, k.contribution)
        for kecamatan in rows
        for k in kecamatan.kelurahan
    ]


def test_each_activity_counts_once_with_the_chosen_indicators_claim(
    django_assert_num_queries,
) -> None:
    opd = OpdFactory()
    plan = PlanFactory(region=opd.region)
    first = KelurahanFactory(kecamatan__region=opd.region, kecamatan__code="01", code="01")
    empty = KelurahanFactory(kecamatan=first.kecamatan, code="02")
    poverty, other = IndicatorFactory(plan=plan), IndicatorFactory(plan=plan)
    counted = WorkPlanFactory(opd=opd, plan=plan, status=om.WorkPlan.Status.SUBMITTED)
    both = ActivityFactory(program__work_plan=counted, kelurahan=first, budget=Decimal(100))
    ExpectedContributionFactory(activity=both, indicator=poverty, amount=Decimal(10))
    ExpectedContributionFactory(activity=both, indicator=other, amount=Decimal(20))
    other_only = ActivityFactory(program=both.program, kelurahan=first, budget=Decimal(50))
    ExpectedContributionFactory(activity=other_only, indicator=other, amount=Decimal(5))
    nowhere = ActivityFactory(program=both.program, kelurahan=None, budget=Decimal(7))
    ExpectedContributionFactory(activity=nowhere, indicator=poverty, amount=Decimal(3))
    draft = WorkPlanFactory(opd=OpdFactory(region=opd.region), plan=plan)  # does not count
    ActivityFactory(program__work_plan=draft, kelurahan=empty, budget=Decimal(999))

    with django_assert_num_queries(2):
        rows = places(indicator=poverty, year=2018)
    kecamatan = first.kecamatan.name
    assert _figures(rows) == [
        (kecamatan, first.name, 2, Decimal(150), Decimal(10)),
        (kecamatan, empty.name, 0, Decimal(0), Decimal(0)),
        ("–", "–", 1, Decimal(7), Decimal(3)),
    ]
    assert _figures(places(indicator=other, year=2018)) == [
        (kecamatan, first.name, 2, Decimal(150), Decimal(25)),
        (kecamatan, empty.name, 0, Decimal(0), Decimal(0)),
        ("–", "–", 1, Decimal(7), Decimal(0)),
    ]
    # One OPD's: the draft's OPD has nothing counted, so every kelurahan shows 0.
    assert _figures(places(indicator=poverty, year=2018, opd_id=draft.opd_id)) == [
        (kecamatan, first.name, 0, Decimal(0), Decimal(0)),
        (kecamatan, empty.name, 0, Decimal(0), Decimal(0)),
    ]
