"""Reporting realisation quarter after quarter.

After saving a quarter the form moves on to the next quarter not reported yet (before:
it offered "Laporkan triwulan 1" again, prefilled); the output reads in its unit and
without trailing zeros ("340 jiwa", not "340,00"); the page lists the quarters reported.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opd import models as om
from tests.html_forms import form_of
from tests.workplans.plan_world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    world = World.build()
    om.WorkPlan.objects.filter(pk=world.work_plan.pk).update(
        status=om.WorkPlan.Status.APPROVED, submitted_at=timezone.now()
    )
    om.Activity.objects.filter(pk=world.activity.pk).update(output_unit="jiwa")
    return world


def client_of(world: World) -> Client:
    client = Client()
    client.force_login(world.head)
    return client


def url_of(world: World) -> str:
    return reverse("opd:realisation", args=[world.work_plan.pk, world.activity.pk])


def test_after_saving_a_quarter_the_form_moves_to_the_next(world: World) -> None:
    client, url = client_of(world), url_of(world)
    page = client.get(url).content.decode()
    assert "Laporkan triwulan 1" in page
    assert "Belum ada triwulan yang dilaporkan." in page or "No quarter reported yet." in page
    form, _ = form_of(client.get(url), "")
    saved = client.post(url, {**form, "budget_spent": "1000000", "output_achieved": "340"})
    assert saved.status_code == 302
    assert saved["Location"].endswith("?triwulan=2")
    page = client.get(saved["Location"]).content.decode()
    assert "Laporkan triwulan 2" in page
    assert "Laporkan triwulan 1" not in page
    assert "340 jiwa" in page  # the quarter's output in its unit
    assert "340,00" not in page
    # Without a chosen quarter the page offers the first one not reported yet.
    assert "Laporkan triwulan 2" in client.get(url).content.decode()


def test_a_correction_shows_the_stored_output_without_trailing_zeros(world: World) -> None:
    om.Realisation.objects.create(
        activity=world.activity, quarter=1, budget_spent=Decimal(1000), output_achieved=340
    )
    page = client_of(world).get(f"{url_of(world)}?triwulan=1").content.decode()
    assert 'value="340"' in page
    assert "(jiwa)" in page  # the output field names its unit


def test_after_the_last_quarter_the_form_stays_on_it(world: World) -> None:
    for quarter in (1, 2, 3):
        om.Realisation.objects.create(
            activity=world.activity, quarter=quarter, budget_spent=Decimal(1), output_achieved=1
        )
    client, url = client_of(world), url_of(world)
    form, _ = form_of(client.get(url), "")
    assert form["quarter"] == "4"
    saved = client.post(url, {**form, "budget_spent": "1", "output_achieved": "1"})
    assert saved["Location"].endswith("?triwulan=4")
