"""The signed-in home page says what to do next: the user's plan for the default year, its
status and deadline, and what Bappeda returned; for a reviewer, how many plans await review."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from magelang.views import SIGNED_OUT_MESSAGE
from opd import models as om
from tests import factories as f

pytestmark = pytest.mark.django_db

YEAR = 2018


def home(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str) -> str:
    match = re.search(r'<section[^>]*data-testid="next-steps".*?</section>', html, re.S)
    assert match, "no next steps on the home page"
    return match.group(0)


def test_a_returned_plan_shows_its_status_deadline_and_what_bappeda_said(settings) -> None:
    settings.RENJA_DEFAULT_YEAR = YEAR
    member = f.MembershipFactory(opd__name="Dinas Sosial")
    work_plan = f.WorkPlanFactory(opd=member.opd, year=YEAR, status=om.WorkPlan.Status.RETURNED)
    activity = f.ActivityFactory(program=f.ProgramFactory(work_plan=work_plan))
    f.SubmissionDeadlineFactory(region=member.opd.region, year=YEAR, due_date=date(2099, 10, 31))
    f.ReviewCommentFactory(work_plan=work_plan, text="Lengkapi lokasi kegiatan.")
    f.ReviewCommentFactory(work_plan=work_plan, activity=activity, text="Anggaran terlalu besar.")

    steps = section(home(member.user))

    assert "Dinas Sosial" in steps
    assert 'data-status="returned"' in steps
    assert f'href="{reverse("opd:work_plan", args=[work_plan.pk])}"' in steps
    assert "31 Oktober 2099" in steps
    assert 'data-testid="returned-comment">Lengkapi lokasi kegiatan.' in steps
    assert 'data-testid="activity-comments" data-count="1"' in steps
    assert 'data-testid="overdue"' not in steps


def test_an_opd_without_a_plan_is_told_to_start_one(settings) -> None:
    settings.RENJA_DEFAULT_YEAR = YEAR
    member = f.MembershipFactory()
    f.WorkPlanFactory(opd=member.opd, year=YEAR + 1)

    steps = section(home(member.user))

    assert 'data-status="none"' in steps
    assert f'href="{reverse("opd:work_plans")}?tahun={YEAR}"' in steps


def test_a_draft_past_its_deadline_is_marked_overdue(settings) -> None:
    settings.RENJA_DEFAULT_YEAR = YEAR
    member = f.MembershipFactory()
    f.WorkPlanFactory(opd=member.opd, year=YEAR)
    yesterday = timezone.localdate() - timedelta(days=1)
    f.SubmissionDeadlineFactory(region=member.opd.region, year=YEAR, due_date=yesterday)

    steps = section(home(member.user))

    assert 'data-status="draft"' in steps
    assert 'data-testid="overdue"' in steps


def test_a_member_sees_only_their_own_opds_plan(settings) -> None:
    settings.RENJA_DEFAULT_YEAR = YEAR
    member = f.MembershipFactory(opd__name="Dinas Sosial")
    other = f.WorkPlanFactory(
        opd__name="Dinas Lain", opd__region=member.opd.region, year=YEAR, status="returned"
    )
    f.ReviewCommentFactory(work_plan=other, text="Rahasia dinas lain.")

    steps = section(home(member.user))

    assert "Dinas Lain" not in steps
    assert "Rahasia dinas lain." not in steps
    assert 'data-status="none"' in steps


def test_a_reviewer_is_told_how_many_plans_await_review(settings) -> None:
    settings.RENJA_DEFAULT_YEAR = YEAR
    reviewer = f.UserFactory(is_superuser=True)
    region = f.RegionFactory()
    om.BappedaRole.objects.create(user=reviewer, region=region)
    plan = f.PlanFactory(region=region)
    for year, status in [
        (YEAR, om.WorkPlan.Status.SUBMITTED),
        (YEAR, om.WorkPlan.Status.SUBMITTED),
        (YEAR + 1, om.WorkPlan.Status.SUBMITTED),
        (YEAR, om.WorkPlan.Status.DRAFT),
    ]:
        f.WorkPlanFactory(year=year, status=status, plan=plan, opd__region=region)
    # Another region's submitted plan awaits its own Bappeda, not this one.
    f.WorkPlanFactory(year=YEAR, status=om.WorkPlan.Status.SUBMITTED)

    steps = section(home(reviewer))

    assert 'data-testid="awaiting-review" data-count="2"' in steps
    assert f'href="{reverse("opd:work_plans")}?tahun={YEAR}' in steps


def test_a_user_with_no_opd_and_no_review_role_gets_no_empty_next_steps() -> None:
    html = home(f.UserFactory())
    assert 'data-testid="next-steps"' not in html


def test_signing_out_says_so() -> None:
    client = Client()
    client.force_login(f.UserFactory())
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    with translation.override("id"):
        message = str(SIGNED_OUT_MESSAGE)
    assert message in response.content.decode()
    assert not response.context["user"].is_authenticated
