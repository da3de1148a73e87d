"""One set of input rules for the browser form and the API: what one refuses, the other refuses
with the same words, and a refusal changes nothing.

The API once accepted 0.5 persons for a population-share indicator that the form
refuses; the activity then could not be saved in the browser at all.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from opd import models as om
from tests.api.world import ApiWorld, build, etag
from tests.factories import IndicatorFactory, KelurahanFactory
from tests.html_forms import form_of

pytestmark = pytest.mark.django_db


def activity_url(world: ApiWorld) -> str:
    return f"/api/v1/activities/{world.plan.activity.pk}/"


def stored(world: ApiWorld) -> tuple[int, dict[str, Decimal]]:
    activity = om.Activity.objects.get(pk=world.plan.activity.pk)
    contributions = dict(activity.expected_contributions.values_list("indicator__code", "amount"))
    return activity.version, contributions


def row_errors(body: dict[str, Any], field: str) -> dict[str, Any]:
    """The errors of the first row of a list field (DRF answers a list, or a dict by index)."""
    errors = body[field]
    return errors[0] if isinstance(errors, list) else errors["0"]


def api_patch(world: ApiWorld, body: dict[str, Any]) -> Any:
    return world.client("write_own").patch(
        activity_url(world), body, format="json", HTTP_IF_MATCH=etag(world.plan.activity)
    )


def form_post(world: ApiWorld, **changes: str) -> Any:
    """The edit page's form as rendered, with ``changes`` typed in, posted by an OPD member."""
    browser = Client()
    browser.force_login(world.plan.staff)
    url = reverse("opd:activity_edit", args=[world.plan.work_plan.pk, world.plan.activity.pk])
    data, _ = form_of(browser.get(url), url)
    return browser.post(url, {**data, **changes})


def test_the_api_refuses_half_a_person() -> None:
    world = build()
    before = stored(world)
    response = api_patch(
        world,
        {"expected_contributions": [{"indicator": world.plan.indicator.pk, "amount": "0.5"}]},
    )
    assert response.status_code == 400, response.json()
    assert response["Content-Type"] == "application/json"
    assert row_errors(response.json(), "expected_contributions")["amount"]
    assert stored(world) == before == (1, {"KMS": Decimal(40)})


def test_the_api_refuses_half_a_person_achieved_too() -> None:
    world = build()
    response = world.client("write_own").patch(
        f"/api/v1/realisations/{world.realisation.pk}/",
        {"achieved_contributions": [{"indicator": world.plan.indicator.pk, "amount": "2.5"}]},
        format="json",
        HTTP_IF_MATCH=etag(world.realisation),
    )
    assert response.status_code == 400, response.json()
    assert row_errors(response.json(), "achieved_contributions")["amount"]
    world.realisation.refresh_from_db()
    assert world.realisation.version == 1


@pytest.mark.parametrize(
    ("population_share", "amount"),
    [
        (True, "0.5"),  # half a person
        (True, "12.25"),
        (True, "0"),  # "no contribution" is an empty field, not zero
        (True, "-3"),
        (False, "0"),
        (False, "-1.5"),
    ],
)
def test_the_form_and_the_api_refuse_a_contribution_alike(
    population_share: bool, amount: str
) -> None:
    world = build()
    indicator = world.plan.indicator
    if not population_share:
        indicator = IndicatorFactory(
            plan=world.plan.work_plan.plan, code="IPM", is_population_share=False
        )
    before = stored(world)

    api = api_patch(
        world, {"expected_contributions": [{"indicator": indicator.pk, "amount": amount}]}
    )
    assert api.status_code == 400, api.json()
    assert stored(world) == before

    form = form_post(world, **{f"contribution_{indicator.pk}": amount})
    assert form.status_code == 422
    assert stored(world) == before
    form_errors = form.context["form"].errors[f"contribution_{indicator.pk}"]
    assert row_errors(api.json(), "expected_contributions")["amount"] == list(form_errors)


def test_a_whole_number_of_persons_passes_both() -> None:
    world = build()
    indicator = world.plan.indicator.pk
    api = api_patch(world, {"expected_contributions": [{"indicator": indicator, "amount": "12"}]})
    assert api.status_code == 200, api.json()
    form = form_post(world, **{f"contribution_{indicator}": "13"})
    assert form.status_code == 302
    assert stored(world) == (3, {"KMS": Decimal(13)})


def test_the_api_refuses_a_kelurahan_of_another_region_as_a_field_error() -> None:
    world = build()
    elsewhere = KelurahanFactory()
    assert elsewhere.kecamatan.region_id != world.opd.region_id
    before = stored(world)
    response = api_patch(world, {"kelurahan": elsewhere.pk})
    assert response.status_code == 400, response.json()
    assert stored(world) == before
    form = form_post(world, kelurahan=str(elsewhere.pk))
    assert form.status_code == 422
    assert response.json()["kelurahan"] == list(form.context["form"].errors["kelurahan"])


def test_the_api_refuses_an_indicator_of_another_plan_as_a_field_error() -> None:
    world = build()
    foreign = IndicatorFactory()
    before = stored(world)
    response = api_patch(
        world, {"expected_contributions": [{"indicator": foreign.pk, "amount": "5"}]}
    )
    assert response.status_code == 400, response.json()
    assert "expected_contributions" in response.json()
    assert stored(world) == before


def test_a_program_of_another_plan_is_refused_alike() -> None:
    world = build()
    elsewhere = world.approved_activity.program  # the same OPD's 2017 plan: visible, not this plan
    before = stored(world)
    response = api_patch(world, {"program": elsewhere.pk})
    assert response.status_code == 400, response.json()
    assert stored(world) == before
    form = form_post(world, program=str(elsewhere.pk))
    assert form.status_code == 422
    assert response.json()["program"] == list(form.context["form"].errors["program"])
