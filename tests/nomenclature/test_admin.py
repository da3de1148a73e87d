"""The nomenclature's admin: a version's span is checked against the others' (codes and the
crosswalk are view-only, as tests/test_admin.py checks for every view-only model)."""

from __future__ import annotations

import pytest

from opd.models import NomenclatureVersion
from tests.admin_rows import url
from tests.nomenclature.makers import make_version

pytestmark = pytest.mark.django_db


def form(**values: object) -> dict[str, object]:
    return {
        "name": "Permendagri 90/2019",
        "regulation": "Permendagri 90/2019",
        "first_year": 2020,
        "last_year": "",
        **values,
    }


def test_a_version_overlapping_another_is_refused_with_its_reason(admin_client):
    make_version(name="Permendagri 13/2006", first_year=2014, last_year=2020)

    response = admin_client.post(url(NomenclatureVersion, "add"), form())

    assert response.status_code == 200
    assert "Permendagri 13/2006 (2014–2020)" in str(response.context["errors"])
    assert NomenclatureVersion.objects.count() == 1
    response = admin_client.post(url(NomenclatureVersion, "add"), form(first_year=2021))
    assert response.status_code == 302
    assert NomenclatureVersion.objects.count() == 2


def test_a_version_may_be_changed_within_its_own_span(admin_client):
    version = make_version(name="Permendagri 90/2019", first_year=2020, last_year=None)

    response = admin_client.post(
        url(NomenclatureVersion, "change", version.pk), form(last_year=2024)
    )

    assert response.status_code == 302
    version.refresh_from_db()
    assert version.last_year == 2024
