"""Who may read and change an activity's beneficiary list through the API: every method ×
every kind of caller of ``tests/api/world.py``, plus a read token of OPD A (``read_own``).

As for the activity itself: anyone who may see the activity reads the counts (its OPD's
members and tokens, the Bappeda of its region and of the province above); only its OPD's
members and write tokens change the list, while
the plan is editable (409 once submitted); a read token may not write (403), another OPD
does not see the activity (404), nor does the Bappeda of another kota (``stranger``), no one
unsigned gets anything (401). A refused write leaves
the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from opd import models as om
from opd.beneficiaries.services import beneficiary_list_replace
from opd.clients import services as client_services
from tests.api.world import ROLES, ApiWorld, build, etag
from tests.beneficiaries.world import TEST_KEY, csv_file, persons

pytestmark = pytest.mark.django_db

DRAFT, SUBMITTED = om.WorkPlan.Status.DRAFT, om.WorkPlan.Status.SUBMITTED
CALLERS = (*ROLES, "read_own")

Send = Callable[[APIClient, str, ApiWorld], Any]


@pytest.fixture(autouse=True)
def beneficiary_key(settings):
    settings.BENEFICIARY_KEY = TEST_KEY


def read(client: APIClient, path: str, world: ApiWorld) -> Any:
    return client.get(path)


def post(client: APIClient, path: str, world: ApiWorld) -> Any:
    data = csv_file(persons(2, world.plan.kelurahan.name, start=70))
    return client.post(
        path,
        {"file": SimpleUploadedFile("daftar.csv", data)},
        format="multipart",
        HTTP_IF_MATCH=etag(world.plan.activity),
    )


def delete(client: APIClient, path: str, world: ApiWorld) -> Any:
    return client.delete(path, HTTP_IF_MATCH=etag(world.plan.activity))


# fmt: off
#   name                      plan state  listed  request   anon read own  other member revw  strgr prov  read_own
MATRIX: list[tuple[str, str, bool, Send, tuple[int, ...]]] = [
    ("GET",                   DRAFT,      True,   read,     (401, 404, 200, 404, 200,  200,  404,  200,  200)),
    ("GET, no list",          DRAFT,      False,  read,     (401, 404, 404, 404, 404,  404,  404,  404,  404)),
    ("GET, submitted",        SUBMITTED,  True,   read,     (401, 404, 200, 404, 200,  200,  404,  200,  200)),
    ("POST, first list",      DRAFT,      False,  post,     (401, 403, 201, 404, 201,  403,  404,  403,  403)),
    ("POST, replacing",       DRAFT,      True,   post,     (401, 403, 200, 404, 200,  403,  404,  403,  403)),
    ("POST, submitted plan",  SUBMITTED,  True,   post,     (401, 403, 409, 404, 409,  403,  404,  403,  403)),
    ("DELETE",                DRAFT,      True,   delete,   (401, 403, 204, 404, 204,  403,  404,  403,  403)),
    ("DELETE, submitted plan", SUBMITTED, True,   delete,   (401, 403, 409, 404, 409,  403,  404,  403,  403)),
]
# fmt: on

CELLS = [
    pytest.param(state, listed, send, role, expected, id=f"{name}-{role}")
    for name, state, listed, send, outcomes in MATRIX
    for role, expected in zip(CALLERS, outcomes, strict=True)
]


def _world(state: str, listed: bool) -> ApiWorld:
    world = build()
    if listed:
        world.plan.activity.refresh_from_db()
        beneficiary_list_replace(
            activity_id=world.plan.activity.pk,
            by=world.plan.staff,
            name="daftar.csv",
            data=csv_file(persons(3, world.plan.kelurahan.name)),
            seen_version=world.plan.activity.version,
        )
    if state != DRAFT:
        om.WorkPlan.objects.filter(pk=world.plan.work_plan.pk).update(
            status=state, submitted_at=timezone.now()
        )
    return world


def _client(world: ApiWorld, role: str) -> APIClient:
    if role != "read_own":
        return world.client(role)
    token = client_services.api_client_create(
        name="sistem-baca-dinsos", scope="read", opd=world.opd
    )[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _fingerprint() -> tuple[Any, ...]:
    return (
        list(om.BeneficiaryList.objects.values_list("activity_id", "persons", "imported_at")),
        om.Beneficiary.objects.count(),
        list(om.Activity.objects.order_by("pk").values_list("pk", "version")),
        list(om.WorkPlan.objects.order_by("pk").values_list("pk", "version")),
        om.AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(("state", "listed", "send", "role", "expected"), CELLS)
def test_matrix(state: str, listed: bool, send: Send, role: str, expected: int) -> None:
    world = _world(state, listed)
    client = _client(world, role)
    path = f"/api/v1/activities/{world.plan.activity.pk}/beneficiaries/"
    before = _fingerprint()
    response = send(client, path, world)
    assert response.status_code == expected, response.content
    assert expected == 204 or response["Content-Type"].startswith("application/json")
    if expected >= 400:
        assert _fingerprint() == before
    elif send is read:
        assert response.json()["persons"] == 3
    elif send is post:
        assert response.json()["persons"] == 2
        assert om.BeneficiaryList.objects.get().persons == 2
    else:
        assert not om.BeneficiaryList.objects.exists()
