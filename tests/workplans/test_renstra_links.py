"""The program and activity forms' "Renstra line": the OPD's own lines only, saved through the
services with the optimistic versions, audited; a line of another OPD refused with nothing
changed; the plan page showing the links without a query more."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from opd import models as om
from opd.workplans import services
from opd.workplans.services import ActivityData, WorkflowError
from tests.factories import ActivityFactory, OpdFactory, ProgramFactory
from tests.html_forms import form_of
from tests.workplans.plan_world import World
from tests.workplans.renstra_world import activity_line, approved_renstra, program_line
from tests.workplans.service_checks import last_audit, nothing_changes
from tests.workplans.test_queries import LIST_PAGE_QUERIES, PLAN_PAGE_QUERIES

pytestmark = pytest.mark.django_db


class Lines:
    """The world's OPD's Renstra (one program, one activity) and another OPD's, same plan."""

    def __init__(self, world: World) -> None:
        opd, plan = world.work_plan.opd, world.work_plan.plan
        own = approved_renstra(opd, plan, status=om.Renstra.Status.DRAFT)  # any status links
        self.program = program_line(own, "1.06.01")
        self.activity = activity_line(self.program, "1.06.01.001")
        other = approved_renstra(OpdFactory(region=opd.region), plan)
        self.foreign_program = program_line(other, "9.99.01")
        self.foreign_activity = activity_line(self.foreign_program, "9.99.01.001")


@pytest.fixture
def world() -> World:
    return World.build()


@pytest.fixture
def lines(world: World) -> Lines:
    return Lines(world)


def _english(client: Any, world: World) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.head)
    return client


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="(\d*)"', select.group(0))


# --- the program form ---------------------------------------------------------------------------


def test_the_program_form_offers_only_the_opds_own_lines_with_the_years_guidance(
    client, world, lines
):
    url = reverse("opd:program_edit", args=[world.work_plan.pk, world.program.pk])
    html = _english(client, world).get(url).content.decode()
    assert _options(html, "renstra_program") == ["", str(lines.program.pk)]
    # The 2018 target and pagu beside the line: what the OPD fills in follows them.
    assert "1.06.01 Program 1.06.01 (2018: target 2,018 KK, pagu Rp\u00a02,018,000,000)" in html
    assert "Renstra line" in html


def test_choosing_a_line_saves_it_through_the_service_audited_and_versioned(client, world, lines):
    url = reverse("opd:program_edit", args=[world.work_plan.pk, world.program.pk])
    data, _radios = form_of(_english(client, world).get(url), url)
    data["renstra_program"] = str(lines.program.pk)
    before = world.work_plan.version
    response = client.post(url, data)
    assert response.status_code == 302
    world.refresh()
    assert world.program.renstra_program == lines.program
    assert world.program.version == 2 and world.work_plan.version == before + 1
    entry = last_audit()
    assert (entry.object_type, entry.action) == ("program", "update")
    assert entry.changes == {"renstra_program": {"old": None, "new": str(lines.program)}}
    # The same page saved again changes nothing: no version raised, no entry.
    data, _radios = form_of(client.get(url), url)
    assert data["renstra_program"] == str(lines.program.pk)
    assert client.post(url, data).status_code == 302
    world.refresh()
    assert world.program.version == 2 and last_audit() == entry


def test_a_line_of_another_opd_is_a_form_error_and_changes_nothing(client, world, lines):
    url = reverse("opd:program_edit", args=[world.work_plan.pk, world.program.pk])
    data, _radios = form_of(_english(client, world).get(url), url)
    data["renstra_program"] = str(lines.foreign_program.pk)
    data["name"] = "Nama baru"
    with nothing_changes():
        response = client.post(url, data)
    assert response.status_code == 422
    assert "Choose a line of this OPD&#x27;s Renstra covering the plan&#x27;s year." in (
        response.content.decode()
    )


def test_a_post_without_the_line_keeps_the_link(client, world, lines):
    om.Program.objects.filter(pk=world.program.pk).update(renstra_program=lines.program)
    url = reverse("opd:program_edit", args=[world.work_plan.pk, world.program.pk])
    data, _radios = form_of(_english(client, world).get(url), url)
    del data["renstra_program"], data["original_renstra_program"]
    data["name"] = "Nama baru"
    assert client.post(url, data).status_code == 302
    world.refresh()
    assert (world.program.name, world.program.renstra_program) == ("Nama baru", lines.program)


def test_a_line_chosen_meanwhile_by_someone_else_merges_as_any_field(client, world, lines):
    """Both people set the link: the second is asked which value to keep, nothing lost."""
    url = reverse("opd:program_edit", args=[world.work_plan.pk, world.program.pk])
    data, _radios = form_of(_english(client, world).get(url), url)
    services.program_update(
        program_id=world.program.pk,
        by=world.staff,
        values={"renstra_program": lines.program},
        seen_version=world.program.version,
    )
    data["name"] = "Nama baru"  # this person changed only the name
    response = client.post(url, data)
    assert response.status_code == 409
    data, _radios = form_of(response, url)
    assert data["renstra_program"] == str(lines.program.pk)  # theirs kept
    assert client.post(url, data).status_code == 302
    world.refresh()
    assert (world.program.name, world.program.renstra_program) == ("Nama baru", lines.program)


# --- the activity form --------------------------------------------------------------------------


def test_the_activity_form_groups_the_opds_lines_by_program(client, world, lines):
    url = reverse("opd:activity_edit", args=[world.work_plan.pk, world.activity.pk])
    html = _english(client, world).get(url).content.decode()
    assert _options(html, "renstra_activity") == ["", str(lines.activity.pk)]
    # Each program named with its 2018 pagu: what its activities' budgets split.
    assert '<optgroup label="1.06.01 Program 1.06.01 (pagu 2018: Rp\u00a02,018,000,000)">' in html
    assert "1.06.01.001 Kegiatan 1.06.01.001 (2018: target 201.8 KK)" in html


def test_an_activity_links_to_its_line_or_is_refused_another_opds(client, world, lines):
    url = reverse("opd:activity_edit", args=[world.work_plan.pk, world.activity.pk])
    data, _radios = form_of(_english(client, world).get(url), url)
    data["renstra_activity"] = str(lines.foreign_activity.pk)
    with nothing_changes():
        assert client.post(url, data).status_code == 422
    data["renstra_activity"] = str(lines.activity.pk)
    assert client.post(url, data).status_code == 302
    world.refresh()
    assert world.activity.renstra_activity == lines.activity and world.activity.version == 2
    assert last_audit().changes == {"renstra_activity": {"old": None, "new": str(lines.activity)}}


def test_a_new_activity_takes_its_line(client, world, lines):
    url = reverse("opd:activity_add", args=[world.work_plan.pk])
    data, _radios = form_of(_english(client, world).get(url), url)
    data.update(
        program=str(world.program.pk),
        code="1.06.01.009",
        name="Kegiatan baru",
        renstra_activity=str(lines.activity.pk),
    )
    assert client.post(url, data).status_code == 302
    created = om.Activity.objects.get(code="1.06.01.009")
    assert created.renstra_activity == lines.activity
    assert last_audit().changes["renstra_activity"] == {"old": None, "new": str(lines.activity)}


# --- the services -------------------------------------------------------------------------------


def test_the_services_refuse_a_line_of_another_opd_with_a_message(world, lines):
    with nothing_changes(), pytest.raises(WorkflowError, match="Renstra"):
        services.program_update(
            program_id=world.program.pk,
            by=world.head,
            values={"renstra_program": lines.foreign_program},
            seen_version=world.program.version,
        )
    with nothing_changes(), pytest.raises(WorkflowError, match="Renstra"):
        services.program_create(
            work_plan_id=world.work_plan.pk,
            by=world.head,
            values={"code": "1.06.09", "name": "X", "renstra_program": lines.foreign_program},
        )
    values = {name: getattr(world.activity, name) for name in services.ACTIVITY_FIELDS}
    with nothing_changes(), pytest.raises(WorkflowError, match="Renstra"):
        services.activity_update(
            activity_id=world.activity.pk,
            by=world.head,
            data=ActivityData(values={**values, "renstra_activity": lines.foreign_activity}),
            seen_version=world.activity.version,
        )


# --- the pages' query counts --------------------------------------------------------------------


@pytest.mark.parametrize("n_lines", [2, 20])
def test_the_plan_page_shows_the_links_without_a_query_more(
    client, world, n_lines, django_assert_num_queries
):
    renstra = approved_renstra(world.work_plan.opd, world.work_plan.plan)
    for number in range(n_lines):
        line = program_line(renstra, f"2.{number:02d}")
        program = ProgramFactory(
            work_plan=world.work_plan, code=f"2.{number:02d}", renstra_program=line
        )
        ActivityFactory(
            program=program,
            code=f"2.{number:02d}.001",
            renstra_activity=activity_line(line, f"2.{number:02d}.001"),
        )
    _english(client, world)
    with django_assert_num_queries(PLAN_PAGE_QUERIES["head", "draft"]):
        html = client.get(reverse("opd:work_plan", args=[world.work_plan.pk])).content.decode()
    assert html.count('data-testid="renstra-line"') == 2 * n_lines
    assert html.count('data-testid="renstra-pagu"') == n_lines
    assert "Renstra 2.01.001" in html


@pytest.mark.parametrize("n_opds", [2, 20])
def test_the_list_asks_for_the_renstras_in_one_query(
    client, world, n_opds, django_assert_num_queries
):
    """A member of many OPDs without a 2019 plan: the pinned count, the Renstras' query taking
    the place of the activity counts' (no 2019 plan has activities to count)."""
    head = world.head
    for number in range(n_opds):
        opd = OpdFactory(region=world.work_plan.opd.region)
        om.OpdMembership.objects.create(opd=opd, user=head, role="head")
        if number % 2:
            approved_renstra(opd, world.work_plan.plan)
    _english(client, world)
    with django_assert_num_queries(LIST_PAGE_QUERIES["head"]):
        html = client.get(reverse("opd:work_plans"), {"tahun": 2019}).content.decode()
    assert html.count('data-testid="from-renstra"') == n_opds // 2
    assert html.count('data-testid="no-renstra"') == n_opds + 1 - n_opds // 2
