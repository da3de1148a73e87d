"""Two people edit one record: the second save keeps the first person's changes.

Person A and person B open the same version of an activity (a program, a
realisation). A saves first. B's save is refused with the conflict message and
the form comes back merged on the current version: fields only A changed hold
A's values, fields only B changed hold B's. Where both changed one field the
form shows both values and nothing is saved until B chooses one. Every form is
posted exactly as the page rendered it (hidden inputs included), as a browser
sends it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opd import models as om
from tests.html_forms import form_of
from tests.workplans.plan_world import World

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world() -> World:
    return World.build()


def activity_url(world: World) -> str:
    return reverse("opd:activity_edit", args=[world.work_plan.pk, world.activity.pk])


def contribution(world: World) -> str:
    return f"contribution_{world.indicator.pk}"


def open_both(world: World, url: str) -> tuple[Client, dict[str, Any], Client, dict[str, Any]]:
    a, b = signed_in(world.head), signed_in(world.staff)
    form_a, _ = form_of(a.get(url), url)
    form_b, _ = form_of(b.get(url), url)
    return a, form_a, b, form_b


def test_disjoint_changes_are_both_kept(world: World) -> None:
    url = activity_url(world)
    a, form_a, b, form_b = open_both(world, url)

    saved = a.post(url, {**form_a, "budget": "300000000", contribution(world): "55"})
    assert saved.status_code == 302

    refused = b.post(url, {**form_b, "name": "Bantuan pangan keluarga miskin"})
    assert refused.status_code == 409
    world.activity.refresh_from_db()
    assert world.activity.name == "Bantuan sosial keluarga miskin"  # nothing of B's yet

    again, radios = form_of(refused, url)
    assert not [name for name in radios if name.startswith("resolve")]  # no real conflict
    assert b.post(url, again).status_code == 302

    world.activity.refresh_from_db()
    assert world.activity.name == "Bantuan pangan keluarga miskin"  # B's change
    assert world.activity.budget == Decimal(300_000_000)  # A's change, not reverted
    amounts = list(world.activity.expected_contributions.values_list("amount", flat=True))
    assert amounts == [Decimal(55)]  # A's contribution, not reverted
    assert world.activity.version == 3


def test_the_same_field_changed_by_both_shows_both_values_and_waits_for_a_choice(
    world: World,
) -> None:
    url = activity_url(world)
    a, form_a, b, form_b = open_both(world, url)
    assert a.post(url, {**form_a, "budget": "300000000"}).status_code == 302

    refused = b.post(url, {**form_b, "budget": "275000000", "target_group": "Lansia miskin"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "300.000.000" in page and "275.000.000" in page  # theirs and mine
    again, radios = form_of(refused, url)
    assert radios == {"resolve_budget": ["mine", "theirs"]}

    # Saved without a choice: refused, nothing written.
    world.activity.refresh_from_db()
    before = (world.activity.version, world.activity.budget, world.activity.target_group)
    undecided = b.post(url, again)
    assert undecided.status_code == 422
    assert "resolve_budget" in undecided.context["form"].errors
    world.activity.refresh_from_db()
    assert (world.activity.version, world.activity.budget, world.activity.target_group) == before
    assert (world.activity.budget, world.activity.target_group) == (
        Decimal(300_000_000),
        "Keluarga miskin",
    )


@pytest.mark.parametrize(
    ("choice", "budget"), [("mine", Decimal(275_000_000)), ("theirs", Decimal(300_000_000))]
)
def test_choosing_either_value_saves_it(world: World, choice: str, budget: Decimal) -> None:
    url = activity_url(world)
    a, form_a, b, form_b = open_both(world, url)
    assert a.post(url, {**form_a, "budget": "300000000"}).status_code == 302
    refused = b.post(url, {**form_b, "budget": "275000000", "target_group": "Lansia miskin"})
    assert refused.status_code == 409
    again, _ = form_of(refused, url)

    assert b.post(url, {**again, "resolve_budget": choice}).status_code == 302
    world.activity.refresh_from_db()
    assert world.activity.budget == budget
    assert world.activity.target_group == "Lansia miskin"  # B's other change went through


def test_a_contribution_changed_by_both_is_a_conflict(world: World) -> None:
    url = activity_url(world)
    a, form_a, b, form_b = open_both(world, url)
    assert a.post(url, {**form_a, contribution(world): "55"}).status_code == 302
    refused = b.post(url, {**form_b, contribution(world): "70"})
    assert refused.status_code == 409
    again, radios = form_of(refused, url)
    assert list(radios) == [f"resolve_{contribution(world)}"]
    assert b.post(url, {**again, f"resolve_{contribution(world)}": "theirs"}).status_code == 302
    assert list(world.activity.expected_contributions.values_list("amount", flat=True)) == [
        Decimal(55)
    ]


def test_the_same_change_by_both_is_no_conflict(world: World) -> None:
    url = activity_url(world)
    a, form_a, b, form_b = open_both(world, url)
    assert a.post(url, {**form_a, "budget": "300000000"}).status_code == 302
    refused = b.post(url, {**form_b, "budget": "300000000", "notes": "Dicek ulang"})
    assert refused.status_code == 409
    again, radios = form_of(refused, url)
    assert not radios
    assert b.post(url, again).status_code == 302
    world.activity.refresh_from_db()
    assert (world.activity.budget, world.activity.notes) == (Decimal(300_000_000), "Dicek ulang")


def test_program_disjoint_changes_are_both_kept(world: World) -> None:
    url = reverse("opd:program_edit", args=[world.work_plan.pk, world.program.pk])
    a, form_a, b, form_b = open_both(world, url)
    assert a.post(url, {**form_a, "outcome_indicator": "Angka kemiskinan turun"}).status_code == 302
    refused = b.post(url, {**form_b, "name": "Program Perlindungan Sosial"})
    assert refused.status_code == 409
    again, _ = form_of(refused, url)
    assert b.post(url, again).status_code == 302
    world.program.refresh_from_db()
    assert world.program.name == "Program Perlindungan Sosial"
    assert world.program.outcome_indicator == "Angka kemiskinan turun"


def test_realisation_disjoint_changes_are_both_kept(world: World) -> None:
    om.WorkPlan.objects.filter(pk=world.work_plan.pk).update(
        status=om.WorkPlan.Status.APPROVED, submitted_at=timezone.now()
    )
    realisation = om.Realisation.objects.create(
        activity=world.activity, quarter=2, budget_spent=Decimal(1000), output_achieved=5
    )
    url = reverse("opd:realisation", args=[world.work_plan.pk, world.activity.pk])
    a, b = signed_in(world.head), signed_in(world.staff)
    form_a, _ = form_of(a.get(f"{url}?triwulan=2"), "")
    form_b, _ = form_of(b.get(f"{url}?triwulan=2"), "")
    assert a.post(url, {**form_a, "budget_spent": "2500"}).status_code == 302
    refused = b.post(url, {**form_b, "notes": "Penyaluran tahap dua"})
    assert refused.status_code == 409
    again, _ = form_of(refused, "")
    assert b.post(url, again).status_code == 302
    realisation.refresh_from_db()
    assert (realisation.budget_spent, realisation.notes) == (
        Decimal(2500),
        "Penyaluran tahap dua",
    )
