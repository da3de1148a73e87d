"""Browser forms at and beyond their limits: the longest allowed names save, and a body over
the upload limit gets a 400 page that says so, with nothing written."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from opd import models as om
from tests.workplans.plan_world import World

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def longest(model, name: str, char: str) -> str:
    return char * model._meta.get_field(name).max_length


@pytest.mark.postgres  # SQLite does not enforce a column's length
def test_a_program_with_the_longest_allowed_code_and_name_saves():
    world = World.build()
    code, name = longest(om.Program, "code", "7"), longest(om.Program, "name", "P")
    response = signed_in(world.head).post(
        reverse("opd:program_add", args=[world.work_plan.pk]),
        {"code": code, "name": name, "outcome_indicator": longest(om.Program, "name", "O")},
    )
    assert response.status_code == 302, response.status_code
    program = om.Program.objects.get(work_plan=world.work_plan, code=code)
    assert program.name == name
    entry = om.AuditEntry.objects.get(object_type="program", object_id=program.pk)
    limit = om.AuditEntry._meta.get_field("object_label").max_length
    assert entry.object_label == f"{code} {name}"[: limit - 1] + "…"


@pytest.mark.postgres
def test_a_user_whose_full_name_is_longer_than_the_audit_column_can_still_edit():
    world = World.build()
    world.head.first_name = longest(type(world.head), "first_name", "F")
    world.head.last_name = longest(type(world.head), "last_name", "L")
    world.head.save()
    response = signed_in(world.head).post(
        reverse("opd:program_add", args=[world.work_plan.pk]),
        {"code": "1.06.09", "name": "Program baru", "outcome_indicator": ""},
    )
    assert response.status_code == 302
    entry = om.AuditEntry.objects.get(object_type="program", action="create")
    assert len(entry.actor_name) == om.AuditEntry._meta.get_field("actor_name").max_length


def test_a_form_over_the_upload_limit_gets_a_400_page_that_says_so():
    world = World.build()
    before = (om.Program.objects.count(), om.AuditEntry.objects.count())
    response = signed_in(world.head).post(
        reverse("opd:program_add", args=[world.work_plan.pk]),
        {
            "code": "1.06.09",
            "name": "Program baru",
            "outcome_indicator": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        },
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    with translation.override(response["Content-Language"]):
        expected = gettext("The form sent more data than the portal accepts.")
    assert expected in response.context["message"]
    assert f'data-testid="bad-request">{expected}' in page
    assert "Magelang" in page  # the portal's own page, not Django's bare one
    assert (om.Program.objects.count(), om.AuditEntry.objects.count()) == before


def test_an_htmx_form_over_the_upload_limit_shows_the_message_in_the_messages_region():
    """htmx swaps no 400 by itself: the answer goes to ``#messages``, in a status the plan
    page swaps (``data-swap-statuses``), or Save would silently do nothing."""
    world = World.build()
    before = (om.Activity.objects.count(), om.AuditEntry.objects.count())
    response = signed_in(world.head).post(
        reverse("opd:activity_add", args=[world.work_plan.pk]),
        {
            "code": "1.06.09.001",
            "name": "Kegiatan baru",
            "notes": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        },
        headers={"HX-Request": "true", "HX-Target": "editor"},
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#messages"
    assert response["HX-Reswap"] == "outerHTML"
    fragment = response.content.decode()
    with translation.override(response["Content-Language"]):
        expected = gettext("The form sent more data than the portal accepts.")
    assert fragment.startswith('<div id="messages"')
    assert expected in fragment
    assert "<html" not in fragment  # a fragment, not the whole 400 page inside the page
    page = signed_in(world.head).get(reverse("opd:work_plan", args=[world.work_plan.pk]))
    zone = re.search(r'data-swap-statuses="([^"]*)"', page.content.decode())
    assert zone and "400" in zone.group(1).split()
    assert (om.Activity.objects.count(), om.AuditEntry.objects.count()) == before
