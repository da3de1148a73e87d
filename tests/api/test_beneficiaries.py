"""The beneficiary list through the API: counts in, counts out, never a person.

``/api/v1/activities/{id}/beneficiaries/``: POST a multipart file with the activity's ETag
(201 a first list, 200 a replacement), every bad row in a JSON 400 with nothing stored, GET
the counts (404 without a list), DELETE. The permission matrix is
``test_beneficiaries_permissions.py``; the contribution figures ``test_deduplicated_figures.py``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from opd import models as om
from opd.beneficiaries.rows import MAX_FILE_BYTES
from tests.api.world import ApiWorld, build, etag
from tests.beneficiaries.world import TEST_KEY, csv_file, kk, nik, persons, xlsx_file

pytestmark = pytest.mark.django_db

#: Every synthetic identifier starts so (tests/beneficiaries/world.py); a body must hold none.
IDENTIFIER = re.compile(rb"3371(?:99|88)\d{10}")


@pytest.fixture(autouse=True)
def beneficiary_key(settings):
    settings.BENEFICIARY_KEY = TEST_KEY


def url(world: ApiWorld) -> str:
    return f"/api/v1/activities/{world.plan.activity.pk}/beneficiaries/"


def english(client: APIClient) -> APIClient:
    client.cookies["django_language"] = "en"
    return client


def upload(
    world: ApiWorld,
    data: bytes,
    *,
    role: str = "member",
    name: str = "daftar.csv",
    if_match: str | None = "current",
) -> Any:
    headers = {}
    if if_match == "current":
        headers["HTTP_IF_MATCH"] = etag(world.plan.activity)
    elif if_match is not None:
        headers["HTTP_IF_MATCH"] = if_match
    response = english(world.client(role)).post(
        url(world), {"file": SimpleUploadedFile(name, data)}, format="multipart", **headers
    )
    assert not IDENTIFIER.search(response.content), "an identifier in the answer"
    return response


def stored() -> tuple[int, int, list[Any]]:
    return (
        om.BeneficiaryList.objects.count(),
        om.Beneficiary.objects.count(),
        list(om.Activity.objects.order_by("pk").values_list("pk", "version")),
    )


@pytest.fixture
def world() -> ApiWorld:
    return build()


def test_a_first_list_is_created_and_answers_its_counts(world: ApiWorld) -> None:
    kelurahan = world.plan.kelurahan.name
    rows = [
        *persons(4, kelurahan, desil=2),
        (nik(9), "", kelurahan, ""),
        (nik(10), kk(1), kelurahan, 10),
    ]
    data = csv_file(rows)
    assert len(IDENTIFIER.findall(data)) == 6 + 5  # the search finds every NIK and No. KK sent
    response = upload(world, data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["activity"] == world.plan.activity.pk
    assert (body["persons"], body["families"]) == (6, 3)  # kk(0), kk(1), kk(2)
    assert body["desil_counts"] == [0, 4, 0, 0, 0, 0, 0, 0, 0, 1]
    assert body["persons_without_desil"] == 1
    assert body["imported_at"]
    assert set(body) == {
        "activity",
        "persons",
        "families",
        "desil_counts",
        "persons_without_desil",
        "imported_at",
    }
    # The answer's ETag is the activity's new version: the next write sends it.
    assert response["ETag"] == etag(world.plan.activity)
    assert om.Beneficiary.objects.count() == 6


def test_a_second_file_replaces_the_list_whole_with_200(world: ApiWorld) -> None:
    kelurahan = world.plan.kelurahan.name
    assert upload(world, csv_file(persons(5, kelurahan))).status_code == 201
    response = upload(world, xlsx_file(persons(2, kelurahan, start=50, desil=None)), name="b.xlsx")
    assert response.status_code == 200, response.content
    assert (response.json()["persons"], response.json()["persons_without_desil"]) == (2, 2)
    assert response["ETag"] == etag(world.plan.activity)
    assert om.BeneficiaryList.objects.get().persons == 2
    assert om.Beneficiary.objects.count() == 2


def test_every_bad_row_is_answered_and_nothing_is_stored(world: ApiWorld) -> None:
    kelurahan = world.plan.kelurahan.name
    assert upload(world, csv_file(persons(3, kelurahan))).status_code == 201
    before = stored()
    rows = [
        (nik(1), kk(1), kelurahan, 1),  # row 2: clean
        ("33719900", kk(1), kelurahan, 1),  # row 3: 8 digits
        (nik(3), kk(3), "Atlantis", 1),  # row 4: unknown kelurahan
        (nik(1), kk(1), kelurahan, 11),  # row 5: the NIK of row 2, desil 11
        (nik(6), kk(6), kelurahan, 2),  # row 6: clean
        (nik(7), kk(7), nik(8), 3),  # row 7: a NIK in the kelurahan column, never repeated
    ]
    response = upload(world, csv_file(rows))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "rows_refused" and body["row_count"] == 6
    assert "4 of 6 rows are refused" in body["detail"]
    bad = {row["row"]: row["reasons"] for row in body["bad_rows"]}
    assert set(bad) == {3, 4, 5, 7}
    assert bad[7] == [f"No kelurahan of {world.opd.region.name} has this code."]
    assert bad[3] == ["The NIK has 8 digits, not 16."]
    assert "Atlantis" in bad[4][0]
    assert len(bad[5]) == 2 and "row 2" in bad[5][0] and "desil" in bad[5][1]
    assert stored() == before  # the old list stands, the activity's version too
    assert om.BeneficiaryList.objects.get().persons == 3


@pytest.mark.parametrize(
    ("if_match", "status"), [(None, 428), ('"999"', 412), ("", 428), ('W/"0"', 412)]
)
def test_a_write_names_the_version_it_saw(world: ApiWorld, if_match: Any, status: int) -> None:
    data = csv_file(persons(2, world.plan.kelurahan.name))
    before = stored()
    assert upload(world, data, if_match=if_match).status_code == status
    assert stored() == before
    delete = english(world.client("member")).delete(
        url(world), **({} if if_match is None else {"HTTP_IF_MATCH": if_match})
    )
    assert delete.status_code == (status if if_match else 428)


def test_a_stale_version_after_an_activity_edit_is_412(world: ApiWorld) -> None:
    seen = etag(world.plan.activity)
    member = world.client("member")
    edit = member.patch(
        f"/api/v1/activities/{world.plan.activity.pk}/",
        {"budget": "5.00"},
        format="json",
        HTTP_IF_MATCH=seen,
    )
    assert edit.status_code == 200
    before = stored()
    response = upload(world, csv_file(persons(2, world.plan.kelurahan.name)), if_match=seen)
    assert response.status_code == 412
    world.plan.activity.refresh_from_db()
    assert response.json()["current_version"] == world.plan.activity.version > 1
    assert stored() == before


def test_the_body_must_be_a_multipart_file(world: ApiWorld) -> None:
    client = english(world.client("member"))
    before = stored()
    as_json = client.post(
        url(world), {"file": "x"}, format="json", HTTP_IF_MATCH=etag(world.plan.activity)
    )
    assert as_json.status_code == 400
    assert "multipart/form-data" in as_json.json()["detail"]
    no_file = client.post(
        url(world), {"other": "x"}, format="multipart", HTTP_IF_MATCH=etag(world.plan.activity)
    )
    assert no_file.status_code == 400 and "file" in no_file.json()
    assert stored() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("daftar.txt", b"NIK;No. KK;Kelurahan;Desil\n", "Send an XLSX or CSV file"),
        ("daftar.xlsx", b"not a zip at all", ""),
        ("daftar.csv", b"Nama;Alamat\nBudi;Jl. A\n", ""),
        ("daftar.csv", csv_file([]), "no person under it"),
        ("daftar.csv", b"\xff\xfe\x00garbage", ""),
    ],
)
def test_an_unreadable_file_is_a_400_naming_why(
    world: ApiWorld, name: str, data: bytes, message: str
) -> None:
    before = stored()
    response = upload(world, data, name=name)
    assert response.status_code == 400, response.content
    reasons = response.json()["file"]
    assert len(reasons) == 1 and message in reasons[0]
    assert stored() == before


@pytest.mark.parametrize("size", [MAX_FILE_BYTES + 1, 17 * 1024 * 1024])
def test_a_file_over_the_limit_is_refused_before_it_is_read(world: ApiWorld, size: int) -> None:
    """Just over the limit, and over the upload handler's 16 MB (which arrives empty)."""
    before = stored()
    response = upload(world, b"x" * size)
    assert response.status_code == 400
    assert response.json()["file"] == [
        "The file is larger than 12 MB: split it into smaller files."
    ]
    assert stored() == before


def test_a_file_of_exactly_the_limit_is_read(world: ApiWorld) -> None:
    data = csv_file(persons(1, world.plan.kelurahan.name))
    padding = MAX_FILE_BYTES - len(data)
    data += (b" " * 999 + b"\n") * (padding // 1000) + b" " * (padding % 1000)
    assert len(data) == MAX_FILE_BYTES
    response = upload(world, data)
    # Read, not refused for its size (the trailing lines of spaces are blank rows, left out).
    assert response.status_code == 201, response.content
    assert response.json()["persons"] == 1


def test_get_answers_the_counts_with_the_activitys_etag(world: ApiWorld) -> None:
    client = english(world.client("member"))
    missing = client.get(url(world))
    assert missing.status_code == 404
    assert missing.json()["detail"] == "The activity has no beneficiary list."
    assert upload(world, csv_file(persons(3, world.plan.kelurahan.name))).status_code == 201
    response = client.get(url(world))
    assert response.status_code == 200
    assert response.json()["persons"] == 3 and response.json()["families"] == 2
    assert response["ETag"] == etag(world.plan.activity)
    assert client.get(url(world), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert not IDENTIFIER.search(response.content)


def test_get_reads_a_fixed_number_of_queries(world: ApiWorld, django_assert_num_queries) -> None:
    assert upload(world, csv_file(persons(30, world.plan.kelurahan.name))).status_code == 201
    client = world.client("write_own")
    client.get(url(world))
    # The token with its user, the user's permissions (user, group: is Bappeda?) and the
    # activity with its list (the plans visible in a subquery): as the activity's own GET.
    with django_assert_num_queries(4):
        assert client.get(url(world)).status_code == 200


def test_delete_removes_the_list(world: ApiWorld) -> None:
    client = english(world.client("write_own"))
    assert client.delete(url(world), HTTP_IF_MATCH=etag(world.plan.activity)).status_code == 404
    assert upload(world, csv_file(persons(3, world.plan.kelurahan.name))).status_code == 201
    seen = etag(world.plan.activity)
    response = client.delete(url(world), HTTP_IF_MATCH=seen)
    assert response.status_code == 204
    assert not om.BeneficiaryList.objects.exists() and not om.Beneficiary.objects.exists()
    assert etag(world.plan.activity) == f'"{int(seen.strip(chr(34))) + 1}"'
    assert client.get(url(world)).status_code == 404
    # The audit trail holds counts only.
    changes = om.AuditEntry.objects.filter(object_id=world.plan.activity.pk).values_list(
        "changes", flat=True
    )
    assert {"old": "3", "new": None} in [entry.get("beneficiaries") for entry in changes]


def test_an_unknown_or_malformed_activity_is_404(world: ApiWorld) -> None:
    client = world.client("member")
    for path in ("/api/v1/activities/999999/beneficiaries/", "/api/v1/activities/x/beneficiaries/"):
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
