"""The import pages × every role: who may upload, download the templates, see and confirm an
import; a refusal changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from opd import models as om
from tests.aspirations.import_world import ImportWorld, good, upload, xlsx

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "outsider",
    "head",
    "staff",
    "kelurahan_staff",
    "kecamatan_staff",
    "other_area_staff",
    "reviewer",
)
LOGIN, OK, DONE, FORBIDDEN, MISSING, BAD = "login", 200, 302, 403, 404, 400
AREA = {"kelurahan_staff": OK, "kecamatan_staff": OK, "other_area_staff": OK, "reviewer": OK}
# The import is the kelurahan staff's.
OWNED = {"kelurahan_staff": OK, "reviewer": OK}

MATRIX: dict[str, dict[str, Any]] = {
    "upload_get": {"anonymous": LOGIN, **AREA},
    "template_xlsx": {"anonymous": LOGIN, **AREA},
    "template_csv": {"anonymous": LOGIN, **AREA},
    # A file for Kramat Utara: the other kecamatan's staff get its row refused.
    "upload_post": {
        "anonymous": LOGIN,
        "kelurahan_staff": DONE,
        "kecamatan_staff": DONE,
        "other_area_staff": BAD,
        "reviewer": DONE,
    },
    "batch": {"anonymous": LOGIN, **OWNED},
    "run": {"anonymous": LOGIN, "kelurahan_staff": DONE, "reviewer": DONE},
}
DEFAULT = {
    "upload_get": FORBIDDEN,
    "template_xlsx": FORBIDDEN,
    "template_csv": FORBIDDEN,
    "upload_post": FORBIDDEN,
    "batch": MISSING,
    "run": MISSING,
}
CELLS = [(view, role, MATRIX[view].get(role, DEFAULT[view])) for view in MATRIX for role in ROLES]


def snapshot() -> tuple[Any, ...]:
    return (
        sorted(om.AspirationImport.objects.values_list("pk", "state")),
        om.Aspiration.objects.count(),
    )


@pytest.mark.parametrize(("view", "role", "expected"), CELLS)
def test_import_permission_matrix(
    settings: Any, client: Any, view: str, role: str, expected: Any
) -> None:
    world = ImportWorld.build(settings)
    owner = world.who("kelurahan_staff")
    batch = om.AspirationImport.objects.create(
        region=world.kelurahan.kecamatan.region,
        uploaded_by=owner,
        file_name="u.xlsx",
        rows=[],
        row_count=1,
        summary={"kelurahan": [], "forum": []},
    )
    if role != "anonymous":
        client.force_login(world.who(role))
    before = snapshot()
    if view == "upload_get":
        response = client.get(reverse("aspirations:import_upload"))
    elif view == "upload_post":
        data = {"file": upload("u.xlsx", xlsx([good(1)]))}
        response = client.post(reverse("aspirations:import_upload"), data)
    elif view == "template_xlsx":
        response = client.get(reverse("aspirations:import_template_xlsx"))
    elif view == "template_csv":
        response = client.get(reverse("aspirations:import_template_csv"))
    elif view == "batch":
        response = client.get(reverse("aspirations:import_batch", args=[batch.pk]))
    else:
        response = client.post(reverse("aspirations:import_run", args=[batch.pk]))
    after = snapshot()
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
    if expected == DONE:
        assert after != before
    else:
        assert after == before


def test_the_matrix_covers_every_import_view() -> None:
    from opd.aspirations import import_urls

    names = {pattern.name for pattern in import_urls.urlpatterns}
    assert names == {
        "import_upload",
        "import_template_xlsx",
        "import_template_csv",
        "import_batch",
        "import_run",
    }
    assert set(MATRIX) == {
        "upload_get",
        "upload_post",
        "template_xlsx",
        "template_csv",
        "batch",
        "run",
    }
