"""Correcting an aspiration's details from its page (``/usulan/<pk>/ubah/``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from opd import models as om
from opd.aspirations import services
from targets.models import Kecamatan
from tests.aspirations.world import AspirationWorld
from tests.factories import KelurahanFactory

pytestmark = pytest.mark.django_db

LIST = "/usulan/"
CREATE = "/usulan/baru/"


@pytest.fixture
def client(settings: Any) -> Client:
    """Pages in English (the language switcher's cookie), whatever the default language."""
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return english


@pytest.fixture
def world(settings: Any) -> AspirationWorld:
    built = AspirationWorld.build()
    # Bappeda's region is the deployment's; the other kecamatan has a kelurahan of its own.
    settings.DEFAULT_REGION_CODE = built.plan.work_plan.opd.region.code
    KelurahanFactory(kecamatan=Kecamatan.objects.get(name="Magelang Selatan"), name="Tidar Utara")
    return built


def detail(aspiration: om.Aspiration) -> str:
    return f"/usulan/{aspiration.pk}/"


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def references(response: Any) -> list[str]:
    return re.findall(r'data-reference="([^"]+)"', response.content.decode())


# --- the correction ------------------------------------------------------------------------


def edit_post(aspiration: om.Aspiration, **changes: Any) -> dict[str, Any]:
    data = {
        "kelurahan": aspiration.kelurahan_id,
        "title": aspiration.title,
        "description": aspiration.description,
        "category": aspiration.category,
        "indicator": aspiration.indicator_id or "",
        "priority": aspiration.priority or "",
        "proposer": aspiration.proposer,
        "proposer_kind": aspiration.proposer_kind,
        "proposer_contact": aspiration.proposer_contact,
        "received_on": aspiration.received_on.isoformat(),
        "seen_version": aspiration.version,
    }
    data.update(changes)
    return data


def test_the_edit_form_is_prefilled_and_saves_with_one_edit_event(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.at("verified")
    staff = as_user(client, world.kecamatan_staff)
    page = staff.get(f"{detail(aspiration)}ubah/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f'value="{aspiration.title}"' in body
    assert f'name="seen_version" value="{aspiration.version}"' in body
    response = staff.post(
        f"{detail(aspiration)}ubah/",
        edit_post(aspiration, title="Pelatihan menjahit (diperbaiki)", proposer="Ibu Sri L."),
        follow=True,
    )
    assert response.redirect_chain == [(detail(aspiration), 302)]
    aspiration.refresh_from_db()
    assert aspiration.title == "Pelatihan menjahit (diperbaiki)"
    edit = aspiration.events.get(kind="edit")
    assert edit.changes == {
        "title": ["Pelatihan menjahit bagi ibu rumah tangga", "Pelatihan menjahit (diperbaiki)"],
        "proposer": None,
    }
    body = response.content.decode()
    changes = body.split('data-testid="changes"')[1].split("</ul>")[0]
    assert "Pelatihan menjahit bagi ibu rumah tangga → Pelatihan menjahit (diperbaiki)" in changes
    assert "changed (private)" in changes
    assert "Ibu Sri" not in changes  # neither the old nor the new name


def test_an_edit_changing_nothing_says_so_and_writes_nothing(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.record()
    response = as_user(client, world.kelurahan_staff).post(
        f"{detail(aspiration)}ubah/", edit_post(aspiration), follow=True
    )
    assert "Nothing was changed." in response.content.decode()
    assert not aspiration.events.filter(kind="edit").exists()


def test_a_stale_edit_is_a_message_and_changes_nothing(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.record()
    seen = aspiration.version
    services.aspiration_update(
        aspiration_id=aspiration.pk, by=world.plan.reviewer, seen_version=seen,
        values={"title": "Judul lain"},
    )  # fmt: skip
    response = as_user(client, world.kelurahan_staff).post(
        f"{detail(aspiration)}ubah/", edit_post(aspiration, title="Judul saya"), follow=True
    )
    assert response.redirect_chain == [(detail(aspiration), 302)]
    assert "Someone else changed this aspiration first" in response.content.decode()
    aspiration.refresh_from_db()
    assert aspiration.title == "Judul lain"


def test_an_aspiration_past_verification_cannot_be_edited(
    world: AspirationWorld, client: Client
) -> None:
    aspiration = world.at("recommended")
    response = as_user(client, world.plan.reviewer).get(f"{detail(aspiration)}ubah/", follow=True)
    assert response.redirect_chain == [(detail(aspiration), 302)]
    assert "can no longer be changed" in response.content.decode()
    # The OPD may not edit at all; another area does not see it.
    assert as_user(client, world.plan.head).get(f"{detail(aspiration)}ubah/").status_code == 403
    received = world.record()
    other = as_user(client, world.other_area_staff)
    assert other.get(f"{detail(received)}ubah/").status_code == 404


def test_the_intake_form_has_every_intake_field_but_the_region() -> None:
    from opd.aspirations.forms import EDIT_ORDER, INTAKE_ORDER

    assert set(INTAKE_ORDER) == set(services.INTAKE_FIELDS) - {"region"}
    assert set(EDIT_ORDER) == set(services.UPDATE_FIELDS)
