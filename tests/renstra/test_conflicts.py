"""Two people editing one Renstra line: the second save is refused as stale (409), nothing is
overwritten, and the form holds both people's changes, with a choice where both changed the same
field; saving it again applies it. A line deleted meanwhile is gone, never a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from opd import models as om
from tests.html_forms import form_of
from tests.renstra.page_world import client_for, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_stale_save_is_merged_never_overwritten(world):
    """Two people open the program; the first changes 2018's target, the second the name."""
    url = reverse("renstra:program_edit", args=[world.renstra.pk, world.program.pk])
    first, second = client_for(world, "member"), client_for(world, "member")
    seen, _ = form_of(second.get(url), url)  # what the browser holds, the originals too

    mine = {**seen, "target_2018": "175"}
    assert first.post(url, mine).status_code == 302
    theirs = {**seen, "name": "Program Perlindungan Sosial"}
    response = second.post(url, theirs)

    assert response.status_code == 409
    page = text(response)
    assert "Not saved: someone else saved this in the meantime." in page
    assert "Target 2018: 100 → 175" in page
    world.program.refresh_from_db()
    assert world.program.name == "Program Perlindungan dan Jaminan Sosial"  # nothing overwritten
    merged = response.context["form"]
    assert merged["target_2018"].value() == Decimal("175")  # their change kept in the form
    assert merged["name"].value() == "Program Perlindungan Sosial"  # and mine

    # Saving the merged form applies both.
    again, _ = form_of(response, url)
    assert second.post(url, again).status_code == 302
    world.program.refresh_from_db()
    assert world.program.name == "Program Perlindungan Sosial"
    assert world.program.years.get(year=2018).target == Decimal("175")


def test_both_changing_one_year_must_choose(world):
    url = reverse("renstra:program_edit", args=[world.renstra.pk, world.program.pk])
    first, second = client_for(world, "member"), client_for(world, "member")
    seen, _ = form_of(second.get(url), url)
    assert first.post(url, {**seen, "budget_2020": "2000000"}).status_code == 302
    response = second.post(url, {**seen, "budget_2020": "3000000"})
    assert response.status_code == 409
    assert 'data-testid="merge-choice"' in response.content.decode()
    assert "Indicative budget 2020 (Rp) was changed by someone else too" in text(response)
    assert world.program.years.get(year=2020).budget == Decimal("2000000")


def test_an_edit_of_a_line_deleted_meanwhile_is_a_message(world):
    url = reverse("renstra:activity_edit", args=[world.renstra.pk, world.activity.pk])
    client = client_for(world, "member")
    seen, _ = form_of(client.get(url), url)
    om.RenstraActivity.objects.filter(pk=world.activity.pk).delete()
    response = client.post(url, seen, follow=True)
    # The line is gone: back on the Renstra, told why; nothing written.
    assert response.redirect_chain == [(reverse("renstra:detail", args=[world.renstra.pk]), 302)]
    assert "it was deleted by someone else" in response.content.decode()
    assert not om.RenstraActivity.objects.filter(pk=world.activity.pk).exists()


def test_deleting_a_line_someone_deleted_meanwhile_is_a_message(world):
    url = reverse("renstra:activity_delete", args=[world.renstra.pk, world.activity.pk])
    client = client_for(world, "member")
    om.RenstraActivity.objects.filter(pk=world.activity.pk).delete()
    entries = om.RenstraAuditEntry.objects.count()
    response = client.post(url, {"seen_version": 1, "confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(
        reverse("renstra:detail", args=[world.renstra.pk])
    )
    assert "it was deleted by someone else" in response.content.decode()
    assert om.RenstraAuditEntry.objects.count() == entries  # nothing written
