"""Recording and correcting an aspiration through the API: ``POST /api/v1/aspirations/`` and
``PATCH``/``PUT /api/v1/aspirations/{id}/`` call the services with the same rules as the
pages; a refusal changes nothing; a token may do neither."""

from __future__ import annotations

import re

import pytest

from opd import models as om
from opd.aspirations.models import REFERENCE_PATTERN
from tests.aspirations.api_world import (
    CONTACT,
    NAME,
    AspirationApiWorld,
    etag_of,
    fingerprint,
    intake_body,
)
from tests.factories import KelurahanFactory, RegionFactory

LIST = "/api/v1/aspirations/"


@pytest.fixture
def world(db) -> AspirationApiWorld:
    return AspirationApiWorld.build()


def detail(aspiration: om.Aspiration) -> str:
    return f"{LIST}{aspiration.pk}/"


# --- create --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["area_staff", "kecamatan_staff", "reviewer"])
def test_bappeda_and_the_area_staff_record_an_aspiration(world, who):
    response = world.client(who).post(LIST, intake_body(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    aspiration = om.Aspiration.objects.get(pk=body["id"])
    assert re.match(REFERENCE_PATTERN, body["reference"])
    assert body["reference"] == aspiration.reference
    assert (body["status"], body["version"], body["year"]) == ("received", 1, 2018)
    assert body["region"] == world.api.opd.region_id
    assert response["ETag"] == '"1"'
    assert (body["proposer"], body["proposer_contact"]) == (NAME, CONTACT)
    (event,) = aspiration.events.all()
    assert (event.kind, event.actor) == ("intake", world.person(who))


def test_the_reference_status_and_version_cannot_be_sent(world):
    body = intake_body(world, reference="MSR-2018-AAAA", status="funded", version=7)
    response = world.client("reviewer").post(LIST, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["reference"] != "MSR-2018-AAAA"
    assert (response.json()["status"], response.json()["version"]) == ("received", 1)


def test_a_city_forum_names_its_region_instead_of_a_kelurahan(world):
    body = intake_body(world, kelurahan=None, region=world.api.opd.region_id)
    response = world.client("reviewer").post(LIST, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["kelurahan"] is None
    assert response.json()["region"] == world.api.opd.region_id


def test_the_region_follows_the_kelurahan(world):
    other_region = RegionFactory(name="Kabupaten lain")
    body = intake_body(world, region=other_region.pk)
    response = world.client("reviewer").post(LIST, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["region"] == world.api.opd.region_id


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"kelurahan": None}, {"kelurahan"}),
        ({"title": ""}, {"title"}),
        ({"received_on": "23-01-2017"}, {"received_on"}),
        ({"year": 3000}, {"year"}),
        ({"year": 1944}, {"year"}),
        ({"priority": 0}, {"priority"}),
        ({"forum": "arisan"}, {"forum"}),
        ({"proposer_kind": "company"}, {"proposer_kind"}),
        ({"kelurahan": 999_999, "indicator": 999_999}, {"kelurahan", "indicator"}),
    ],
)
def test_a_bad_intake_is_refused_with_its_field_errors_and_records_nothing(world, changes, fields):
    before = fingerprint()
    response = world.client("reviewer").post(LIST, intake_body(world, **changes), format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == fields
    assert fingerprint() == before


def test_the_boundary_years_and_priority_are_accepted(world):
    api = world.client("reviewer")
    for changes in ({"year": 1945, "priority": 1}, {"year": 2100, "priority": None}):
        response = api.post(LIST, intake_body(world, **changes), format="json")
        assert response.status_code == 201, response.content


def test_an_indicator_of_another_regions_plan_is_a_conflict(world):
    from tests.factories import IndicatorFactory

    foreign = IndicatorFactory(code="LAIN")  # a plan of another region
    before = fingerprint()
    body = intake_body(world, indicator=foreign.pk)
    response = world.client("reviewer").post(LIST, body, format="json")
    assert response.status_code == 409, response.content
    assert "indicator" in response.json()["detail"]
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("read", 403),
        ("write_own", 403),
        ("head", 403),
        ("other_area_staff", 403),
    ],
)
def test_others_cannot_record_an_aspiration(world, who, status):
    before = fingerprint()
    response = world.client(who).post(LIST, intake_body(world), format="json")
    assert response.status_code == status, response.content
    assert fingerprint() == before


def test_a_write_token_is_told_that_recording_is_for_people_signed_in(world):
    response = world.client("write_own").post(LIST, intake_body(world), format="json")
    assert response.status_code == 403
    assert "API token cannot record" in response.json()["detail"]


def test_area_staff_cannot_record_for_a_kelurahan_outside_their_area(world):
    elsewhere = KelurahanFactory(kecamatan=world.people.other_area_staff.area_roles.get().kecamatan)
    before = fingerprint()
    body = intake_body(world, kelurahan=elsewhere.pk)
    response = world.client("area_staff").post(LIST, body, format="json")
    assert response.status_code == 403, response.content
    assert fingerprint() == before


# --- update --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["area_staff", "reviewer"])
def test_a_patch_corrects_a_received_aspiration_and_records_an_edit(world, who):
    aspiration = world.at("received")
    response = world.client(who).patch(
        detail(aspiration),
        {"title": "Pelatihan menjahit", "proposer": "Bu Sri"},
        format="json",
        HTTP_IF_MATCH=etag_of(aspiration),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["version"], body["proposer"]) == ("Pelatihan menjahit", 2, "Bu Sri")
    assert response["ETag"] == '"2"'
    event = aspiration.events.get(kind="edit")
    assert event.changes == {"title": [aspiration.title, "Pelatihan menjahit"], "proposer": None}
    assert event.actor == world.person(who)


def test_a_put_sends_back_what_was_read_with_a_change(world):
    aspiration = world.at("verified")
    api = world.client("reviewer")
    read = api.get(detail(aspiration))
    body = {**read.json(), "title": "Judul baru", "kelurahan": aspiration.kelurahan_id}
    response = api.put(detail(aspiration), body, format="json", HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["status"]) == ("Judul baru", "verified")
    assert response.json()["version"] == aspiration.version + 1


@pytest.mark.parametrize(
    ("name", "value"),
    [("forum", "fgd"), ("year", 2019), ("region", 999_999)],
)
def test_the_forum_year_and_region_stay(world, name, value):
    aspiration = world.at("received")
    before = fingerprint()
    response = world.client("reviewer").patch(
        detail(aspiration), {name: value}, format="json", HTTP_IF_MATCH=etag_of(aspiration)
    )
    assert response.status_code == 400, response.content
    assert set(response.json()) == {name}
    assert fingerprint() == before


def test_a_patch_without_if_match_is_428_and_changes_nothing(world):
    aspiration = world.at("received")
    before = fingerprint()
    response = world.client("reviewer").patch(detail(aspiration), {"title": "X"}, format="json")
    assert response.status_code == 428, response.content
    assert response.json()["detail"]
    assert fingerprint() == before


def test_a_stale_patch_is_412_with_the_current_version_and_changes_nothing(world):
    aspiration = world.at("received")
    stale = etag_of(aspiration)
    world.client("reviewer").patch(
        detail(aspiration), {"title": "Pertama"}, format="json", HTTP_IF_MATCH=stale
    )
    before = fingerprint()
    response = world.client("area_staff").patch(
        detail(aspiration), {"title": "Kedua"}, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412, response.content
    assert response.json() == {
        "detail": "Someone else saved this in the meantime.",
        "code": "precondition_failed",
        "current_version": 2,
    }
    assert response["ETag"] == '"2"'
    assert fingerprint() == before


def test_a_recommended_aspiration_can_no_longer_be_corrected(world):
    aspiration = world.at("recommended")
    before = fingerprint()
    response = world.client("reviewer").patch(
        detail(aspiration), {"title": "X"}, format="json", HTTP_IF_MATCH=etag_of(aspiration)
    )
    assert response.status_code == 409, response.content
    assert "can no longer be changed" in response.json()["detail"]
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("read", 403),
        ("write_own", 403),
        ("head", 403),
        ("other_head", 403),
        ("other_area_staff", 404),
    ],
)
def test_others_cannot_correct_an_aspiration(world, who, status):
    aspiration = world.at("received")
    before = fingerprint()
    response = world.client(who).patch(
        detail(aspiration), {"title": "X"}, format="json", HTTP_IF_MATCH=etag_of(aspiration)
    )
    assert response.status_code == status, response.content
    assert fingerprint() == before


def test_area_staff_cannot_move_an_aspiration_out_of_their_area(world):
    aspiration = world.at("received")
    elsewhere = KelurahanFactory(kecamatan=world.people.other_area_staff.area_roles.get().kecamatan)
    before = fingerprint()
    response = world.client("area_staff").patch(
        detail(aspiration),
        {"kelurahan": elsewhere.pk},
        format="json",
        HTTP_IF_MATCH=etag_of(aspiration),
    )
    assert response.status_code == 403, response.content
    assert fingerprint() == before
