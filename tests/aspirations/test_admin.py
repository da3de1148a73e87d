"""The aspiration admin: adding one records it through the intake; the stage is read-only."""

from __future__ import annotations

import re

import pytest

from opd import models as om
from opd.aspirations.models import REFERENCE_PATTERN
from tests.admin_rows import url
from tests.factories import AspirationFactory, KelurahanFactory


@pytest.mark.django_db
def test_adding_an_aspiration_in_the_admin_records_it_through_the_intake(
    admin_client, admin_user, settings
):
    # The admin, a superuser, is Bappeda of the deployment's region.
    kelurahan = KelurahanFactory(kecamatan__region__code=settings.DEFAULT_REGION_CODE)
    response = admin_client.post(
        url(om.Aspiration, "add"),
        {
            "region": kelurahan.kecamatan.region.pk,
            "forum": "fgd",
            "year": 2019,
            "kelurahan": kelurahan.pk,
            "received_on": "2018-02-01",
            "title": "Sumur resapan",
            "category": "lingkungan",
            "proposer": "Kelompok Tani Sido Makmur",
            "proposer_kind": "group",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    aspiration = om.Aspiration.objects.get()
    assert re.match(REFERENCE_PATTERN, aspiration.reference)
    assert aspiration.reference.startswith("FGD-2019-")
    assert (aspiration.status, aspiration.first_year) == ("received", 2019)
    (event,) = aspiration.events.all()
    assert (event.kind, event.to_status, event.actor) == ("intake", "received", admin_user)


@pytest.mark.django_db
def test_a_recorded_aspiration_is_read_only_in_the_admin(admin_client):
    """Corrections go through the portal's page (the version seen, the history written)."""
    aspiration = AspirationFactory(title="Judul asli")
    change = url(om.Aspiration, "change", aspiration.pk)
    page = admin_client.get(change).content.decode()
    assert "Judul asli" in page
    for name in ("title", "status", "recommended_opd", "rejection_code", "activity", "reference"):
        assert f'name="{name}"' not in page
    response = admin_client.post(change, {"title": "Judul diubah"})
    assert response.status_code == 403
    aspiration.refresh_from_db()
    assert (aspiration.title, aspiration.version) == ("Judul asli", 1)
    assert not aspiration.events.exists()
