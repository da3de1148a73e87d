"""The demo aspirations: one at each stage a plan can show, each with the history the services
would have written, and none breaking a rule the services enforce."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from opd import models as om
from opd.agencies import roles


@pytest.fixture
def demo(db) -> None:
    call_command("load_magelang", "--demo", stdout=StringIO())


def test_the_demo_shows_the_stages_each_with_its_history(demo):
    statuses = set(om.Aspiration.objects.values_list("status", flat=True))
    # Every stage, funded too: the approved plan has an activity that has not reported yet.
    assert statuses == set(om.AspirationStatus.values)
    assert om.Aspiration.objects.filter(first_year__lt=2018).exists()  # one carried over
    for aspiration in om.Aspiration.objects.all():
        events = list(aspiration.events.order_by("at", "pk"))
        assert events[0].kind == "intake" and events[0].to_status == "received"
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status, aspiration
            assert after.at >= before.at, aspiration
        assert events[-1].to_status == aspiration.status, aspiration
        assert events[-1].year == aspiration.year


def test_the_demo_aspirations_obey_the_services_rules(demo):
    for aspiration in om.Aspiration.objects.exclude(activity=None).select_related(
        "activity__program__work_plan"
    ):
        work_plan = aspiration.activity.program.work_plan
        assert work_plan.opd_id == aspiration.recommended_opd_id
        assert work_plan.year == aspiration.year
        approved = work_plan.status == om.WorkPlan.Status.APPROVED
        reported = aspiration.activity.realisations.exists()
        expected = "realised" if approved and reported else "funded" if approved else "accepted"
        assert aspiration.status == expected, aspiration
        accepted = aspiration.events.get(to_status="accepted")
        assert roles.is_member(accepted.actor, aspiration.recommended_opd_id)
    for event in om.AspirationEvent.objects.filter(
        kind="stage", to_status__in=["verified", "recommended"]
    ):
        actor = event.actor
        assert roles.is_reviewer(actor) or roles.acts_for_kelurahan(
            actor, event.aspiration.kelurahan_id
        )


def test_the_demo_has_a_kelurahan_staff_login(demo):
    staff = get_user_model().objects.get(username="staf.magersari")
    magersari = om.Aspiration.objects.filter(kelurahan__name="Magersari").first()
    assert roles.acts_for_kelurahan(staff, magersari.kelurahan_id)
    assert not roles.is_reviewer(staff) and not roles.member_opd_ids(staff)
