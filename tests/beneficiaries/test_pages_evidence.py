"""The activity form's evidence of each contribution (design section 7): none, the activity's
beneficiary list, or an estimate with its basis in words, checked by the server, stored on the
contribution and written to the history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from opd import models as om
from tests.beneficiaries.pages import signed_in

pytestmark = pytest.mark.django_db


def edit_url(world) -> str:
    return reverse("opd:activity_edit", args=[world.work_plan.pk, world.activity.pk])


def post(world, **overrides: Any):
    world.activity.refresh_from_db()
    i = world.indicator.pk
    data = {
        "program": world.program.pk,
        "code": world.activity.code,
        "name": world.activity.name,
        "budget": "1000000",
        "seen_version": world.activity.version,
        f"contribution_{i}": "40",
        f"evidence_{i}": "",
        f"evidence_basis_{i}": "",
    }
    data.update({key.format(i=i): value for key, value in overrides.items()})
    return signed_in(world.staff).post(edit_url(world), data)


def stored(world) -> tuple[str, str]:
    row = om.ExpectedContribution.objects.get(activity=world.activity, indicator=world.indicator)
    return row.evidence, row.evidence_basis


def test_the_form_offers_the_evidence_with_its_stored_value(world):
    om.ExpectedContribution.objects.filter(pk=world.contribution.pk).update(
        evidence="estimate", evidence_basis="Survei 2017"
    )
    html = signed_in(world.staff).get(edit_url(world)).content.decode()
    i = world.indicator.pk
    assert f'name="evidence_{i}"' in html
    assert '<option value="estimate" selected>Estimate</option>' in html
    assert '<option value="list">Beneficiary list</option>' in html
    assert f'name="evidence_basis_{i}"' in html and "Survei 2017" in html


def test_each_indicators_fields_are_a_fieldset_named_by_the_indicator(world):
    """The evidence and basis have short labels inside a fieldset whose legend names the
    indicator: a label that repeated the amount's would make three fields answer to it."""
    html = signed_in(world.staff).get(edit_url(world)).content.decode()
    indicator = world.indicator
    group = re.search(r'<fieldset class="contribution-group"[^>]*>(.*?)</fieldset>', html, re.S)
    assert group is not None
    legend = re.search(r"<legend>(.*?)</legend>", group.group(1), re.S)
    assert legend is not None
    assert " ".join(legend.group(1).split()) == f"{indicator.code} {indicator.name}"
    labels = dict(re.findall(r'<label for="id_(\w+?)_\d+"[^>]*>(.*?)</label>', group.group(1)))
    amount = indicator.contribution_label()
    assert labels["contribution"].rstrip(":") == amount
    assert labels["evidence"].rstrip(":") == "Evidence"
    assert labels["evidence_basis"].rstrip(":") == "Basis of the estimate"


def test_an_estimate_without_its_basis_is_refused_and_nothing_changes(world):
    response = post(world, **{"evidence_{i}": "estimate", "evidence_basis_{i}": "   "})
    assert response.status_code == 422
    assert "an estimate needs its basis in words" in response.content.decode()
    assert stored(world) == ("", "")


def test_an_estimate_with_its_basis_is_stored_and_in_the_history(world):
    response = post(world, **{"evidence_{i}": "estimate", "evidence_basis_{i}": " Survei 2017 "})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(world) == ("estimate", "Survei 2017")
    page = " ".join(
        signed_in(world.head).get(f"/renja/{world.work_plan.pk}/riwayat/").content.decode().split()
    )
    code = world.indicator.code
    assert f"evidence of the contribution to {code}: — → Estimate" in page
    assert f"basis of the estimate for {code}: — → Survei 2017" in page


def test_a_list_drops_the_basis(world):
    response = post(world, **{"evidence_{i}": "list", "evidence_basis_{i}": "Survei 2017"})
    assert response.status_code == 302
    assert stored(world) == ("list", "")


def test_an_evidence_change_alone_is_saved(world):
    post(world, **{"evidence_{i}": "list"})
    version = om.Activity.objects.get(pk=world.activity.pk).version
    response = post(world, **{"evidence_{i}": ""})
    assert response.status_code == 302
    assert stored(world) == ("", "")
    assert om.Activity.objects.get(pk=world.activity.pk).version == version + 1


def test_evidence_without_a_contribution_is_refused(world):
    response = post(world, **{"contribution_{i}": "", "evidence_{i}": "list"})
    assert response.status_code == 422
    assert "Enter the contribution first" in response.content.decode()
    assert stored(world) == ("", "")


def test_an_unknown_evidence_is_refused(world):
    response = post(world, **{"evidence_{i}": "rumour"})
    assert response.status_code == 422
    assert stored(world) == ("", "")
