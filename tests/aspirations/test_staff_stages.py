"""The stage actions posted from an aspiration's page (``/usulan/<pk>/verifikasi/`` ...): each
stage from the pages, and every refusal changing nothing (a message, a 403, a 404 or a 405)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from opd import models as om
from opd.aspirations import services
from targets.models import Kecamatan
from tests.aspirations.world import AspirationWorld
from tests.factories import ActivityFactory, KelurahanFactory, ProgramFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(settings: Any) -> Client:
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return english


@pytest.fixture
def world(settings: Any) -> AspirationWorld:
    built = AspirationWorld.build()
    settings.DEFAULT_REGION_CODE = built.plan.work_plan.opd.region.code
    KelurahanFactory(kecamatan=Kecamatan.objects.get(name="Magelang Selatan"), name="Tidar Utara")
    return built


def post(client: Client, user: Any, aspiration: om.Aspiration, action: str, **fields: Any) -> Any:
    """POST ``fields`` (prefixed as on the page) with the version seen, following the redirect."""
    path = {
        "verify": "verifikasi",
        "recommend": "rekomendasi",
        "accept": "terima",
        "reject": "tolak",
    }
    data = {"seen_version": aspiration.version, **fields}
    client.force_login(user)
    return client.post(
        f"/usulan/{aspiration.pk}/{path[action]}/",
        {f"{action}-{name}": value for name, value in data.items()},
        follow=True,
    )


def unchanged(aspiration: om.Aspiration) -> bool:
    """Whether the aspiration's row and history are as they were."""
    before = (aspiration.status, aspiration.version, aspiration.events.count())
    aspiration.refresh_from_db()
    return (aspiration.status, aspiration.version, aspiration.events.count()) == before


def test_each_stage_from_the_pages(world: AspirationWorld, client: Client) -> None:
    aspiration = world.record()
    response = post(client, world.kelurahan_staff, aspiration, "verify", note="Lokasi dicek.")
    assert response.redirect_chain == [(f"/usulan/{aspiration.pk}/", 302)]
    assert "The aspiration was verified." in response.content.decode()
    aspiration.refresh_from_db()
    assert aspiration.status == "verified"

    opd = world.plan.work_plan.opd
    post(client, world.plan.reviewer, aspiration, "recommend", opd=opd.pk, note="Untuk Dinsos.")
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.recommended_opd) == ("recommended", opd)

    response = post(client, world.plan.head, aspiration, "accept", activity=world.plan.activity.pk)
    assert "The aspiration was accepted into the activity." in response.content.decode()
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.activity) == ("accepted", world.plan.activity)
    steps = list(aspiration.events.order_by("at", "pk").values_list("to_status", "actor", "note"))
    assert steps == [
        ("received", world.plan.reviewer.pk, ""),
        ("verified", world.kelurahan_staff.pk, "Lokasi dicek."),
        ("recommended", world.plan.reviewer.pk, "Untuk Dinsos."),
        ("accepted", world.plan.head.pk, ""),
    ]


def test_the_opd_head_rejects_with_a_reason_code(world: AspirationWorld, client: Client) -> None:
    aspiration = world.at("recommended")
    response = post(client, world.plan.head, aspiration, "reject", code="over_budget")
    assert "The aspiration was rejected." in response.content.decode()
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.rejection_code) == ("rejected", "over_budget")
    # The page shows the reason; the OPD still sees it.
    assert "Over the budget ceiling" in response.content.decode()


def test_other_needs_text_and_a_rejection_needs_a_reason(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.record()
    response = post(client, world.plan.reviewer, aspiration, "reject", code="other", text="  ")
    assert "the reason “other” needs text" in response.content.decode()
    assert unchanged(aspiration)
    response = post(client, world.plan.reviewer, aspiration, "reject", code="")
    assert "Reason: This field is required." in response.content.decode()
    assert unchanged(aspiration)
    post(client, world.plan.reviewer, aspiration, "reject", code="other", text="Milik provinsi.")
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.rejection_reason) == ("rejected", "Milik provinsi.")


def test_a_stage_cannot_be_skipped(world: AspirationWorld, client: Client) -> None:
    aspiration = world.record()
    opd = world.plan.work_plan.opd
    response = post(client, world.plan.reviewer, aspiration, "recommend", opd=opd.pk)
    assert response.status_code == 200
    assert "Verify the aspiration before recommending it to an OPD." in response.content.decode()
    assert unchanged(aspiration)
    accepted = world.at("accepted")
    response = post(client, world.plan.reviewer, accepted, "reject", code="duplicate")
    assert "can no longer be rejected" in response.content.decode()
    assert unchanged(accepted)


def test_a_stale_version_is_a_message_and_changes_nothing(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.record()
    seen = aspiration.version
    services.aspiration_update(
        aspiration_id=aspiration.pk, by=world.plan.reviewer, seen_version=seen,
        values={"title": "Judul lain"},
    )  # fmt: skip
    aspiration.version = seen  # the page the staff opened before the change
    response = post(client, world.kelurahan_staff, aspiration, "verify")
    assert response.redirect_chain == [(f"/usulan/{aspiration.pk}/", 302)]
    assert "Someone else changed this aspiration first" in response.content.decode()
    aspiration.refresh_from_db()
    assert aspiration.status == "received"
    assert aspiration.version == seen + 1


def test_no_acceptance_into_another_opds_activity_or_a_locked_plan(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.at("recommended")
    other_plan = WorkPlanFactory(
        plan=world.plan.work_plan.plan, opd__region=world.plan.work_plan.opd.region
    )
    foreign = ActivityFactory(program=ProgramFactory(work_plan=other_plan))
    response = post(client, world.plan.head, aspiration, "accept", activity=foreign.pk)
    refusal = "Choose an activity of the OPD's own work plan"
    assert refusal in html.unescape(response.content.decode())
    assert unchanged(aspiration)
    om.WorkPlan.objects.filter(pk=world.plan.work_plan.pk).update(
        status="approved", submitted_at=timezone.now()
    )
    response = post(client, world.plan.head, aspiration, "accept", activity=world.plan.activity.pk)
    assert refusal in html.unescape(response.content.decode())
    assert unchanged(aspiration)


@pytest.mark.parametrize(
    ("stage", "action", "who", "status"),
    [
        # Who does not see the aspiration: 404.
        ("received", "verify", "other_area_staff", 404),
        ("received", "verify", "head", 404),
        ("recommended", "accept", "outsider", 404),
        ("recommended", "reject", "outsider", 404),
        # Who sees it but whose role never takes the step: 403.
        ("verified", "recommend", "kelurahan_staff", 403),
        ("recommended", "accept", "reviewer", 403),
        ("recommended", "reject", "kecamatan_staff", 403),
        ("recommended", "verify", "head", 403),
    ],
)
def test_refusals_change_nothing(
    world: AspirationWorld, client: Client, stage: str, action: str, who: str, status: int
) -> None:
    aspiration = world.at(stage)
    fields = {
        "verify": {},
        "recommend": {"opd": world.plan.work_plan.opd.pk},
        "accept": {"activity": world.plan.activity.pk},
        "reject": {"code": "duplicate"},
    }[action]
    response = post(client, world.who(who), aspiration, action, **fields)
    assert response.status_code == status
    assert unchanged(aspiration)


def test_a_get_on_a_stage_is_405(world: AspirationWorld, client: Client) -> None:
    aspiration = world.record()
    client.force_login(world.plan.reviewer)
    for path in ("verifikasi", "rekomendasi", "terima", "tolak"):
        assert client.get(f"/usulan/{aspiration.pk}/{path}/").status_code == 405, path
    assert unchanged(aspiration)
