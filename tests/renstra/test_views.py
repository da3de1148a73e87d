"""The Renstra pages at work: the year grid and its totals, the checklist linking to its rows,
the forms' validation (a stale save: ``test_conflicts.py``), deletes refused
while a Renja line carries the Renstra line, the workflow with its confirmations and the
required comment, the history, the list's create action and the nomenclature warning.

Pages are read in English (the language cookie): the portal's default is Indonesian.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from opd import models as om
from opd.models import CodeKind
from tests.factories import MembershipFactory
from tests.html_forms import form_of
from tests.nomenclature.makers import make_code, make_version
from tests.renstra.page_world import (
    PERIOD,
    RenstraWorld,
    client_for,
    said,
    snapshot,
    text,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def grid(program: bool = True, **overrides: str) -> dict[str, str]:
    data = {}
    for year in PERIOD:
        data[f"target_{year}"] = str(year - 2000)  # 16 … 21
        if program:
            data[f"budget_{year}"] = f"Rp {year - 2015}.000.000"  # 1 … 6 million
    data.update(overrides)
    return data


def program_form(world: RenstraWorld, **overrides: str) -> dict[str, str]:
    data = {
        "code": "1.06.02",
        "name": "Program Pemberdayaan Sosial",
        "outcome_indicator": "PMKS yang diberdayakan",
        "outcome_unit": "orang",
        "indicator": str(world.base.indicator.pk),
        **grid(),
    }
    data.update(overrides)
    return data


def detail(world: RenstraWorld) -> str:
    return reverse("renstra:detail", args=[world.renstra.pk])


# --- the page ----------------------------------------------------------------------------


def test_the_page_shows_the_year_grid_with_totals_per_year(world):
    world.add_program("1.06.02")  # 100 and Rp 1,000,000 a year, as the first
    response = client_for(world, "reviewer").get(detail(world))
    html = response.content.decode()
    assert response.status_code == 200
    for year in PERIOD:
        assert f'<th scope="colgroup" colspan="2" class="num">{year}</th>' in html
        total = re.search(rf'data-testid="total-{year}">([^<]+)<', html)
        assert total and total.group(1).replace("\xa0", " ") == "Rp 2,000,000"
    total = re.search(r'data-testid="total-budget">([^<]+)<', html)
    assert total and total.group(1).replace("\xa0", " ") == "Rp 12,000,000"
    page = text(response)
    assert "Keluarga miskin yang mandiri (KK)" in page
    assert world.base.indicator.name in page  # the RPJMD indicator served
    assert html.count('class="activity-row') == 1
    assert "Add program" not in page  # Bappeda reads, never edits
    assert 'data-testid="renstra-import"' not in html
    assert 'data-testid="renstra-xlsx"' in html  # the lines as a file, for anyone who reads
    own = client_for(world, "member").get(detail(world)).content.decode()
    assert 'data-testid="renstra-import"' in own  # the OPD imports into its draft


def test_a_problem_links_to_its_row_and_blocks_submission(world):
    om.RenstraProgramYear.objects.filter(program=world.program, year=2020).update(budget=None)
    om.RenstraActivityYear.objects.filter(activity=world.activity, year=2019).delete()
    client = client_for(world, "member")
    html = client.get(detail(world)).content.decode()
    assert (
        f'<a href="#program-{world.program.pk}">1.06.01 has no target or budget for 2020.</a>'
        in html
    )
    assert (
        f'<a href="#activity-{world.activity.pk}">1.06.01.001 has no target for 2019.</a>' in html
    )
    assert 'class="program-row has-problem"' in html
    before = snapshot()
    response = client.post(
        reverse("renstra:submit", args=[world.renstra.pk]),
        {"seen_version": world.renstra.version, "confirm": "1"},
    )
    assert response.status_code == 302
    assert said(response) == ["The Renstra was not submitted: 2 checklist item(s) remain."]
    assert snapshot() == before


def test_submit_asks_for_the_confirmation_first(world):
    before = snapshot()
    response = client_for(world, "member").post(
        reverse("renstra:submit", args=[world.renstra.pk]), {"seen_version": world.renstra.version}
    )
    assert said(response) == ["Tick “I am sure” to submit the Renstra."]
    assert snapshot() == before


# --- the forms ---------------------------------------------------------------------------


def test_a_program_is_added_with_its_year_grid(world):
    client = client_for(world, "member")
    url = reverse("renstra:program_add", args=[world.renstra.pk])
    form = client.get(url).content.decode()
    for year in PERIOD:  # one target and one budget per year of the period, labelled
        assert f'<label for="id_target_{year}" class="skip-link">Target {year}</label>' in form
        assert f'for="id_budget_{year}" class="skip-link">Indicative budget {year} (Rp)' in form
    assert 'name="target_2015"' not in form and 'name="target_2022"' not in form

    response = client.post(url, program_form(world))

    program = om.RenstraProgram.objects.get(renstra=world.renstra, code="1.06.02")
    assert response.status_code == 302
    assert response["Location"] == f"{detail(world)}#program-{program.pk}"
    years = {y.year: (y.target, y.budget) for y in program.years.all()}
    assert years == {y: (Decimal(y - 2000), Decimal((y - 2015) * 1_000_000)) for y in PERIOD}
    assert program.indicator == world.base.indicator
    entry = om.RenstraAuditEntry.objects.filter(object_id=program.pk).latest("pk")
    assert entry.action == "create" and entry.changes["budget:2021"]["new"] == "6000000"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target_2018": "-1"}, "target_2018", "Ensure this value is greater than or equal to 0."),
        ({"budget_2019": "satu juta"}, "budget_2019", "Enter an amount in rupiah"),
        ({"code": ""}, "code", "This field is required."),
        ({"indicator": "999999"}, "indicator", "Choose an indicator of the Renstra's RPJMD plan."),
    ],
)
def test_bad_input_is_told_and_nothing_is_saved(world, overrides, field, message):
    before = snapshot()
    response = client_for(world, "member").post(
        reverse("renstra:program_add", args=[world.renstra.pk]), program_form(world, **overrides)
    )
    assert response.status_code == 422
    assert message in response.context["form"].errors[field][0]
    assert message.split("“")[0] in text(response)
    assert snapshot() == before


def test_a_repeated_code_is_refused_with_the_input_kept(world):
    before = snapshot()
    response = client_for(world, "member").post(
        reverse("renstra:program_add", args=[world.renstra.pk]),
        program_form(world, code="1.06.01", name="Kembar"),
    )
    assert response.status_code == 422
    assert "Another line here already has the code 1.06.01." in text(response)
    assert 'value="Kembar"' in response.content.decode()
    assert snapshot() == before


def test_an_activity_is_added_under_a_program_with_its_targets(world):
    client = client_for(world, "member")
    url = reverse("renstra:activity_add", args=[world.renstra.pk])
    form = client.get(f"{url}?program={world.program.pk}").content.decode()
    assert 'name="budget_2018"' not in form  # an activity has targets only
    response = client.post(
        url,
        {"program": world.program.pk, "code": "1.06.01.002", "name": "Pelatihan", **grid(False)},
    )
    activity = om.RenstraActivity.objects.get(code="1.06.01.002")
    assert response["Location"] == f"{detail(world)}#activity-{activity.pk}"
    assert {y.year: y.target for y in activity.years.all()} == {
        y: Decimal(y - 2000) for y in PERIOD
    }


def test_an_activity_of_another_renstras_program_is_refused(world):
    other = om.RenstraProgram.objects.create(
        renstra=om.Renstra.objects.create(opd=world.base.opd_b, plan=world.renstra.plan),
        code="2.07.01",
        name="Program lain",
    )
    before = snapshot()
    response = client_for(world, "member").post(
        reverse("renstra:activity_add", args=[world.renstra.pk]),
        {"program": other.pk, "code": "9.99", "name": "Tersesat", **grid(False)},
    )
    assert response.status_code == 422
    assert "Choose a program of this Renstra." in text(response)
    assert snapshot() == before


# --- deleting ------------------------------------------------------------------------------


def test_a_program_with_activities_is_not_deleted(world):
    before = snapshot()
    response = client_for(world, "member").post(
        reverse("renstra:program_delete", args=[world.renstra.pk, world.program.pk]),
        {"seen_version": world.program.version, "confirm": "1"},
    )
    assert said(response) == ["Delete the program's activities first."]
    assert snapshot() == before


def test_lines_a_renja_carries_out_are_not_deleted(world):
    om.Activity.objects.filter(pk=world.base.activity_a.pk).update(renstra_activity=world.activity)
    empty = world.add_program("1.06.03")
    om.Program.objects.filter(pk=world.base.program_a.pk).update(renstra_program=empty)
    client = client_for(world, "member")
    before = snapshot()
    response = client.post(
        reverse("renstra:activity_delete", args=[world.renstra.pk, world.activity.pk]),
        {"seen_version": world.activity.version, "confirm": "1"},
    )
    assert said(response) == [
        "A Renja activity carries out this Renstra activity: it cannot be deleted."
    ]
    response = client.post(
        reverse("renstra:program_delete", args=[world.renstra.pk, empty.pk]),
        {"seen_version": empty.version, "confirm": "1"},
    )
    assert said(response)[-1] == (
        "A Renja program carries out this Renstra program: it cannot be deleted."
    )
    assert snapshot() == before


def test_a_delete_is_audited_with_the_last_values(world):
    client = client_for(world, "member")
    response = client.post(
        reverse("renstra:activity_delete", args=[world.renstra.pk, world.activity.pk]),
        {"seen_version": world.activity.version, "confirm": "1"},
    )
    assert said(response) == ["The activity was deleted."]
    assert not om.RenstraActivity.objects.filter(pk=world.activity.pk).exists()
    entry = om.RenstraAuditEntry.objects.latest("pk")
    assert entry.action == "delete" and entry.changes["target:2016"] == {"old": "10", "new": None}


def test_a_delete_asks_for_the_confirmation_first(world):
    before = snapshot()
    response = client_for(world, "member").post(
        reverse("renstra:activity_delete", args=[world.renstra.pk, world.activity.pk]),
        {"seen_version": world.activity.version},
    )
    assert said(response) == ["Tick “I am sure” to delete the line."]
    assert snapshot() == before


def test_a_stale_delete_is_refused(world):
    before = snapshot()
    response = client_for(world, "member").post(
        reverse("renstra:activity_delete", args=[world.renstra.pk, world.activity.pk]),
        {"seen_version": world.activity.version + 5, "confirm": "1"},
    )
    assert said(response) == ["The line changed since you opened the page; it was not deleted."]
    assert snapshot() == before


# --- the workflow --------------------------------------------------------------------------


def test_return_needs_a_comment_then_the_member_reads_it(world):
    assert (
        client_for(world, "member")
        .post(
            reverse("renstra:submit", args=[world.renstra.pk]),
            {"seen_version": world.renstra.version, "confirm": "1"},
        )
        .status_code
        == 302
    )
    world.refresh()
    assert world.renstra.status == "submitted"
    reviewer = client_for(world, "reviewer")
    url = reverse("renstra:return", args=[world.renstra.pk])
    before = snapshot()
    response = reviewer.post(url, {"seen_version": world.renstra.version, "comment": "  "})
    assert response.status_code == 422
    assert "Say what the OPD must fix: a comment is required." in text(response)
    assert snapshot() == before

    response = reviewer.post(
        url, {"seen_version": world.renstra.version, "comment": "Target 2021 terlalu rendah."}
    )
    assert said(response) == ["The Renstra was returned to the OPD with your comment."]
    page = text(client_for(world, "member").get(detail(world)))
    assert "Bappeda's comment" in page and "Target 2021 terlalu rendah." in page


def test_a_stale_approval_is_refused(world):
    world.set_status("submitted")
    before = snapshot()
    response = client_for(world, "reviewer").post(
        reverse("renstra:approve", args=[world.renstra.pk]),
        {"seen_version": world.renstra.version - 1 or 99, "confirm": "1"},
    )
    assert said(response) == [
        "The Renstra changed since you opened it; the page now shows the latest version. "
        "Check it and try again."
    ]
    assert snapshot() == before


def test_the_history_reads_as_people_do(world):
    client = client_for(world, "member")
    url = reverse("renstra:program_edit", args=[world.renstra.pk, world.program.pk])
    seen, _ = form_of(client.get(url), url)
    client.post(url, {**seen, "budget_2019": "Rp 1.250.000"})
    page = text(client.get(reverse("renstra:history", args=[world.renstra.pk])))
    assert "Indicative budget 2019: Rp 1,000,000 → Rp 1,250,000" in page.replace("\xa0", " ")
    assert "Created: Renstra Dinas Sosial 2016–2021" in page


# --- the list and the nomenclature ---------------------------------------------------------


def test_the_list_offers_to_create_only_to_the_opds_own_members(world):
    MembershipFactory(opd=world.base.opd_b, user=world.users["member"])  # and of OPD B
    page = client_for(world, "member").get(reverse("renstra:list")).content.decode()
    assert page.count("Create the Renstra") == 1  # OPD B's; OPD A has one (Open)
    assert f'href="{detail(world)}"' in page
    reviewer_page = client_for(world, "reviewer").get(reverse("renstra:list")).content.decode()
    assert "Create the Renstra" not in reviewer_page
    assert 'data-opd="2.07"' in reviewer_page and 'data-opd="1.06"' in reviewer_page
    outsider = client_for(world, "other").get(reverse("renstra:list")).content.decode()
    assert 'data-opd="1.06"' not in outsider


def test_creating_the_renstra_opens_its_draft(world):
    member_b = world.users["other"]
    client = Client()
    client.force_login(member_b)
    response = client.post(
        reverse("renstra:create"), {"opd": world.base.opd_b.pk, "plan": world.renstra.plan_id}
    )
    created = om.Renstra.objects.get(opd=world.base.opd_b)
    assert response["Location"] == reverse("renstra:detail", args=[created.pk])
    assert created.status == "draft" and created.audit_entries.count() == 1


def test_codes_outside_the_nomenclature_are_warned_of(world):
    html = client_for(world, "member").get(detail(world)).content.decode()
    assert 'data-testid="nomenclature-none"' in html
    version = make_version(first_year=2016, last_year=2019, regulation="Permendagri 13/2006")
    make_code(version=version, kind=CodeKind.PROGRAM, code="1.06.01")
    response = client_for(world, "member").get(detail(world))
    html = response.content.decode()
    assert 'data-testid="nomenclature-unknown"' in html
    assert f'<a href="#activity-{world.activity.pk}">Activity 1.06.01.001</a>' in html
    assert '<li data-code="1.06.01">' not in html  # the program's code is known
    assert "Permendagri 13/2006" in text(response)
    make_code(version=version, kind=CodeKind.ACTIVITY, code="1.06.01.001")
    html = client_for(world, "member").get(detail(world)).content.decode()
    assert 'data-testid="nomenclature-unknown"' not in html
    assert 'data-testid="nomenclature-ok"' in html  # every code found: said, not silent


def test_the_list_counts_lines_and_sums_the_budget_per_renstra(world):
    world.add_activity(world.program, "1.06.01.002")
    world.add_program("1.06.02")  # 6 × Rp 1,000,000 more
    response = client_for(world, "reviewer").get(reverse("renstra:list"))
    row = re.search(r'<tr data-opd="1.06">(.*?)</tr>', response.content.decode(), re.S)
    assert row is not None
    cells = [
        unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]
    assert cells[2:6] == ["Draft", "2", "2", "Rp\xa012,000,000"]


@pytest.mark.parametrize("period", ["abc", "999999", ""])
def test_an_unknown_period_shows_the_current_one(world, period):
    response = client_for(world, "member").get(reverse("renstra:list"), {"periode": period})
    assert response.status_code == 200
    assert response.context["plan"] == world.renstra.plan
