"""Query counts of the work-plan pages, pinned: they must not grow with the plan's size.

Each page is loaded once small and once large; both must run exactly the pinned
number of queries. A count that grows means a per-row query crept in: fix the
selector (``select_related``/``prefetch_related``), not the number here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import cycle

import pytest
from django.utils import timezone

from opd import models as om
from tests.factories import (
    AchievedContributionFactory,
    ActivityFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    KecamatanFactory,
    KelurahanFactory,
    OpdFactory,
    ProgramFactory,
    RealisationFactory,
    WorkPlanFactory,
)
from tests.workplans.plan_world import member, reviewer

# Every page: session, user, the user's permissions (own and group's). Then the plan page:
# plan, programs, activities with places, contributions with indicators, the plan's
# indicators, achieved totals, comments, deadline, the contribution states (their
# snapshot rows add one more once a snapshot exists), the aspirations (those the activities
# took up, and those recommended to the OPD awaiting a decision) and the viewer's
# memberships (asked of everyone: members see how many aspirations await a decision), and
# the nomenclature check (one UNION query: the plan's codes against the year's version).
PLAN_PAGE_QUERIES = {
    # viewer, status: queries
    ("head", "draft"): 16,
    ("head", "returned"): 16,
    ("head", "approved"): 16,
    ("reviewer", "submitted"): 17,  # +1 for Bappeda: its region scope (roles.bappeda_scope)
}
# OPDs, plans with their budgets, deadline, activity counts, the RPJMD's years (the year picker),
# the regions the user may see (the region picker, opd.agencies.picker.regions_for).
# +1 for Bappeda: its region scope (roles.bappeda_scope).
LIST_PAGE_QUERIES = {"head": 10, "reviewer": 11}
# Plan, entries.
HISTORY_PAGE_QUERIES = {"head": 6, "reviewer": 7}  # +1 for Bappeda (as above)


def _plan_with(n_activities: int, *, status: str) -> tuple[om.WorkPlan, object, object]:
    """A plan of ``n_activities`` over a few programs, each with places, contributions,
    a comment and a realisation; every third activity fails a checklist item."""
    work_plan = WorkPlanFactory(status=status)
    region = work_plan.opd.region
    places = cycle(
        [
            KelurahanFactory(kecamatan=kecamatan)
            for kecamatan in KecamatanFactory.create_batch(2, region=region)
            for _ in range(2)
        ]
    )
    indicators = IndicatorFactory.create_batch(2, plan=work_plan.plan)
    programs = ProgramFactory.create_batch(min(n_activities, 4), work_plan=work_plan)
    head = member(work_plan.opd)
    bappeda = reviewer(region=work_plan.opd.region)
    om.ReviewComment.objects.create(
        work_plan=work_plan, kind="return", text="Lengkapi lokasi.", author=bappeda
    )
    for number, program in zip(range(n_activities), cycle(programs), strict=False):
        activity = ActivityFactory(
            program=program,
            kelurahan=next(places),
            target_group="" if number % 3 == 0 else "Keluarga miskin",
        )
        for indicator in indicators:
            ExpectedContributionFactory(activity=activity, indicator=indicator, amount=number + 1)
        om.ReviewComment.objects.create(
            work_plan=work_plan,
            activity=activity,
            kind="return",
            text=f"Periksa kegiatan {activity.code}.",
            author=bappeda,
        )
        realisation = RealisationFactory(activity=activity, quarter=1)
        AchievedContributionFactory(realisation=realisation, indicator=indicators[0], amount=3)
    om.SubmissionDeadline.objects.create(
        region=region, year=work_plan.year, due_date=timezone.localdate()
    )
    return work_plan, head, bappeda


@pytest.mark.django_db
@pytest.mark.parametrize(("viewer", "status"), list(PLAN_PAGE_QUERIES))
@pytest.mark.parametrize("n_activities", [2, 50])
def test_plan_page_queries_do_not_grow(
    client, django_assert_num_queries, viewer, status, n_activities
):
    work_plan, head, bappeda = _plan_with(n_activities, status=status)
    client.force_login(head if viewer == "head" else bappeda)
    with django_assert_num_queries(PLAN_PAGE_QUERIES[viewer, status]):
        response = client.get(f"/renja/{work_plan.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r'<tr [^>]*\bid="activity-\d+"', html)) == n_activities
    assert html.count('data-testid="activity-comment"') == n_activities
    if status in ("draft", "returned"):
        # The checklist links every third activity (missing target group).
        assert html.count("has-problem") == len(range(0, n_activities, 3))


def _opds_with_plans(n_opds: int) -> tuple[object, object]:
    """``n_opds`` OPDs of one region, most with a 2018 plan of a few activities."""
    first = WorkPlanFactory(year=2018)
    region = first.opd.region
    head = member(first.opd)
    for number in range(1, n_opds):
        opd = OpdFactory(region=region)
        if number % 4 == 0:
            continue  # not started yet
        status = ["draft", "submitted", "returned", "approved"][number % 4]
        work_plan = WorkPlanFactory(opd=opd, plan=first.plan, year=2018, status=status)
        ActivityFactory.create_batch(2, program=ProgramFactory(work_plan=work_plan))
        member(opd)
    ActivityFactory(program=ProgramFactory(work_plan=first), budget=Decimal(5))
    om.SubmissionDeadline.objects.create(region=region, year=2018, due_date=timezone.localdate())
    return head, reviewer(region=region)


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", list(LIST_PAGE_QUERIES))
@pytest.mark.parametrize("n_opds", [2, 20])
def test_work_plan_list_queries_do_not_grow(client, django_assert_num_queries, viewer, n_opds):
    head, bappeda = _opds_with_plans(n_opds)
    client.force_login(head if viewer == "head" else bappeda)
    with django_assert_num_queries(LIST_PAGE_QUERIES[viewer]):
        response = client.get("/renja/?tahun=2018")
    assert response.status_code == 200
    rows = response.content.decode().count("data-opd=")
    assert rows == (1 if viewer == "head" else n_opds)


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", list(HISTORY_PAGE_QUERIES))
@pytest.mark.parametrize("n_entries", [2, 50])
def test_history_page_queries_do_not_grow(client, django_assert_num_queries, viewer, n_entries):
    work_plan = WorkPlanFactory()
    head = member(work_plan.opd, first_name="Kepala", last_name="Dinsos")
    bappeda = reviewer(region=work_plan.opd.region)
    activity = ActivityFactory(program=ProgramFactory(work_plan=work_plan))
    for number in range(n_entries):
        om.AuditEntry.objects.create(
            work_plan=work_plan,
            plan_version=number + 1,
            object_type="activity",
            object_id=activity.pk,
            object_label=str(activity),
            version=number + 1,
            action="update",
            changes={"budget": {"old": str(number), "new": str(number + 1)}},
            actor=head if number % 2 else bappeda,
            actor_name="Kepala Dinsos" if number % 2 else "Peninjau Bappeda",
        )
    client.force_login(head if viewer == "head" else bappeda)
    with django_assert_num_queries(HISTORY_PAGE_QUERIES[viewer]):
        response = client.get(f"/renja/{work_plan.pk}/riwayat/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="history-entry"') == n_entries
