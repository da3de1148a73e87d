"""Bappeda acts for its own region only: another region's aspirations are neither recorded,
moved nor shown with their proposer to it, in the services, the API or the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from opd import models as om
from opd.agencies import roles
from opd.aspirations import services
from tests.aspirations.api_world import AspirationApiWorld, etag_of, fingerprint
from tests.factories import AspirationFactory, KelurahanFactory, OpdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> AspirationApiWorld:
    return AspirationApiWorld.build()


def elsewhere(**values: Any) -> om.Aspiration:
    """A verified aspiration of a kelurahan of another region, with its proposer."""
    kelurahan = KelurahanFactory()
    return AspirationFactory(
        region=kelurahan.kecamatan.region,
        kelurahan=kelurahan,
        status="verified",
        proposer="Pak Daerah Lain",
        proposer_contact="0811 000 111",
        **values,
    )


def test_the_reviewer_reviews_the_deployments_region_only(world):
    reviewer = world.person("reviewer")
    own = world.api.plan.kelurahan.kecamatan.region_id
    assert roles.reviewed_region_id(reviewer) == own
    assert roles.reviews_region(reviewer, own)
    assert not roles.reviews_region(reviewer, elsewhere().region_id)
    assert roles.reviewed_region_id(world.person("head")) is None


def test_the_services_refuse_bappeda_another_regions_aspiration(world):
    reviewer = world.person("reviewer")
    other = elsewhere()
    before = fingerprint()
    with pytest.raises(PermissionDenied):
        services.aspiration_create(
            by=reviewer,
            values={
                "forum": "musrenbang_kelurahan",
                "year": 2018,
                "kelurahan": other.kelurahan,
                "title": "Usulan daerah lain",
                "proposer": "Warga",
                "received_on": date(2017, 1, 20),
            },
        )
    for step in (
        lambda: services.aspiration_update(
            aspiration_id=other.pk, by=reviewer, seen_version=other.version, values={"title": "X"}
        ),
        lambda: services.aspiration_recommend(
            aspiration_id=other.pk,
            by=reviewer,
            seen_version=other.version,
            opd=OpdFactory(region=other.region),
        ),
        lambda: services.aspiration_reject(
            aspiration_id=other.pk, by=reviewer, seen_version=other.version, code="duplicate"
        ),
    ):
        with pytest.raises(PermissionDenied):
            step()
    assert fingerprint() == before


def test_the_api_hides_another_regions_proposer_and_refuses_its_steps(world):
    other = elsewhere()
    client = world.client("reviewer")
    shown = client.get(f"/api/v1/aspirations/{other.pk}/")
    if shown.status_code == 200:  # public facts may be read; the proposer never
        assert shown.json()["proposer"] is None and shown.json()["proposer_contact"] is None
    else:
        assert shown.status_code == 404
    before = fingerprint()
    refused = client.post(
        f"/api/v1/aspirations/{other.pk}/reject/",
        {"code": "duplicate"},
        format="json",
        HTTP_IF_MATCH=etag_of(other),
    )
    assert refused.status_code in (403, 404)
    assert "Pak Daerah Lain" not in refused.content.decode()
    assert fingerprint() == before
    # Its own region's proposer it still sees.
    own = world.at("received")
    mine = client.get(f"/api/v1/aspirations/{own.pk}/").json()
    assert mine["proposer"] == own.proposer


def test_the_staff_pages_do_not_show_it(world, client):
    other = elsewhere()
    client.force_login(world.person("reviewer"))
    assert client.get(f"/usulan/{other.pk}/").status_code == 404
