"""A program's outcome target and unit: entered on the program form (in Indonesian number
format), kept in the history, never negative, and printed on its row of T-C.33."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from opd import models as om
from opd.seeding import load_magelang
from tests.workplans.plan_world import World

pytestmark = pytest.mark.django_db


def post_program(world: World, **values: str):
    client = Client()
    client.force_login(world.head)
    url = reverse("opd:program_edit", args=[world.work_plan.pk, world.program.pk])
    data = {
        "code": world.program.code,
        "name": world.program.name,
        "outcome_indicator": "Keluarga miskin yang keluar dari kemiskinan",
        "seen_version": world.program.version,
        **values,
    }
    return client.post(url, data)


def test_the_program_form_takes_the_outcome_target_and_its_unit():
    world = World.build()
    response = post_program(world, outcome_target="1.250,5", outcome_unit="KK")
    assert response.status_code == 302, response.content.decode()[:2000]
    world.refresh()
    assert (world.program.outcome_target, world.program.outcome_unit) == (Decimal("1250.5"), "KK")
    change = om.AuditEntry.objects.filter(work_plan=world.work_plan).latest("pk").changes
    assert change["outcome_target"]["new"] == "1250.5"
    assert change["outcome_unit"] == {"old": None, "new": "KK"}


def test_the_program_form_shows_the_outcome_fields():
    world = World.build()
    client = Client()
    client.force_login(world.head)
    url = reverse("opd:program_edit", args=[world.work_plan.pk, world.program.pk])
    page = client.get(url).content.decode()
    assert 'name="outcome_target"' in page and 'name="outcome_unit"' in page


def test_a_negative_outcome_target_is_refused_and_nothing_changes():
    world = World.build()
    response = post_program(world, outcome_target="-5", outcome_unit="KK")
    assert response.status_code == 422
    world.refresh()
    assert world.program.outcome_target is None
    with pytest.raises(IntegrityError), transaction.atomic():
        om.Program.objects.filter(pk=world.program.pk).update(outcome_target=Decimal(-1))


def test_the_demo_programs_have_outcome_targets_even_on_a_database_seeded_before():
    load_magelang(demo=True)
    programs = om.Program.objects.filter(work_plan__is_demo=True)
    assert programs.exists()
    assert not programs.filter(outcome_target__isnull=True).exists()
    # A database seeded before the fields existed: the next run fills them, no conflict.
    programs.update(outcome_target=None, outcome_unit="")
    load_magelang(demo=True)
    social = om.Program.objects.get(code="1.06.01", work_plan__is_demo=True)
    assert (social.outcome_target, social.outcome_unit) == (Decimal(250), "KK")


def test_the_plan_page_shows_the_programs_outcome_target():
    world = World.build()
    om.Program.objects.filter(pk=world.program.pk).update(
        outcome_target=Decimal("1250.50"), outcome_unit="KK"
    )
    client = Client()
    client.force_login(world.head)
    page = client.get(reverse("opd:work_plan", args=[world.work_plan.pk])).content.decode()
    # The label is "Target outcome" once the catalogue has it; the figure as entered.
    assert re.search(r'data-testid="outcome-target">[^<:]+: 1\.250,5 KK<', page)
