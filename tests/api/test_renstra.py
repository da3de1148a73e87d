"""The Renstra read: ``GET /api/v1/renstra/`` and ``/api/v1/renstra/{id}/``.

Built with the Renstra services, as the OPD and Bappeda build one: OPD A's Renstra with a
program serving the RPJMD indicator and an activity, each with a target (and the program a
budget) for every year of the period.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opd import models as om
from opd.renstra import services
from tests.api.world import ApiWorld, build
from tests.renstra.makers import make_activity, make_activity_year, make_program_year
from tests.workplans.plan_world import member

pytestmark = pytest.mark.django_db

PERIOD = range(2016, 2022)


def renstra_of(world: ApiWorld, opd: om.Opd | None = None) -> om.Renstra:
    """A draft Renstra of ``opd`` (OPD A), entered through the services."""
    opd = opd or world.opd
    head = world.plan.head if opd == world.opd else member(opd)
    renstra = services.renstra_create(opd=opd, plan=world.plan.work_plan.plan, by=head)
    program = services.renstra_program_save(
        renstra_id=renstra.pk,
        by=head,
        values={
            "code": "1.06.01",
            "name": "Program Perlindungan dan Jaminan Sosial",
            "outcome_indicator": "Keluarga miskin yang mandiri",
            "outcome_unit": "KK",
            "indicator": world.plan.indicator,
        },
        years={y: (Decimal(100 + y - 2016), Decimal(1_000_000 * (y - 2015))) for y in PERIOD},
    )
    services.renstra_activity_save(
        renstra_id=renstra.pk,
        by=head,
        values={
            "program": program,
            "code": "1.06.01.001",
            "name": "Bantuan sosial keluarga miskin",
            "output_indicator": "Keluarga penerima bantuan",
            "output_unit": "KK",
        },
        years={y: Decimal(300 + y - 2016) for y in PERIOD},
    )
    renstra.refresh_from_db()
    return renstra


def approve(world: ApiWorld, renstra: om.Renstra) -> om.Renstra:
    """Submitted by a member of its OPD, approved by Bappeda."""
    head = om.OpdMembership.objects.filter(opd=renstra.opd).order_by("pk")[0].user
    renstra = services.renstra_submit(renstra_id=renstra.pk, by=head, seen_version=renstra.version)
    return services.renstra_approve(
        renstra_id=renstra.pk, by=world.plan.reviewer, seen_version=renstra.version
    )


def test_the_detail_shape() -> None:
    world = build()
    renstra = approve(world, renstra_of(world))
    body = world.client("anonymous").get(f"/api/v1/renstra/{renstra.pk}/").json()
    assert body["opd_code"] == "1.06" and body["opd"] == world.opd.pk
    assert body["plan"] == renstra.plan_id
    assert (body["first_year"], body["last_year"]) == (2016, 2021)
    assert body["status"] == "approved" and body["version"] == renstra.version
    assert body["submitted_at"] and body["reviewed_at"]
    (program,) = body["programs"]
    assert program["code"] == "1.06.01"
    assert program["name"] == "Program Perlindungan dan Jaminan Sosial"
    assert program["outcome_indicator"] == "Keluarga miskin yang mandiri"
    assert program["outcome_unit"] == "KK"
    assert program["indicator"] == world.plan.indicator.pk
    assert program["indicator_code"] == "KMS"
    assert program["years"] == [
        {"year": y, "target": f"{100 + y - 2016}.00", "budget": f"{1_000_000 * (y - 2015)}.00"}
        for y in PERIOD
    ]
    (activity,) = program["activities"]
    assert activity["code"] == "1.06.01.001"
    assert activity["name"] == "Bantuan sosial keluarga miskin"
    assert activity["output_indicator"] == "Keluarga penerima bantuan"
    assert activity["output_unit"] == "KK"
    assert activity["years"] == [{"year": y, "target": f"{300 + y - 2016}.00"} for y in PERIOD]


def test_a_program_without_an_indicator_or_years_reads_empty() -> None:
    world = build()
    renstra = renstra_of(world)
    services.renstra_program_save(
        renstra_id=renstra.pk, by=world.plan.head, values={"code": "1.06.02", "name": "P"}, years={}
    )
    body = world.client("member").get(f"/api/v1/renstra/{renstra.pk}/").json()
    assert [p["code"] for p in body["programs"]] == ["1.06.01", "1.06.02"]
    empty = body["programs"][1]
    assert empty["indicator"] is None and empty["indicator_code"] is None
    assert empty["years"] == [] and empty["activities"] == []


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", False),
        ("read", False),
        ("write_other", False),
        ("write_own", True),
        ("member", True),
        ("reviewer", True),
    ],
)
def test_a_draft_is_seen_by_its_opd_and_bappeda_only(role: str, sees: bool) -> None:
    world = build()
    draft = renstra_of(world)
    api = world.client(role)
    detail = api.get(f"/api/v1/renstra/{draft.pk}/")
    listed = api.get("/api/v1/renstra/").json()
    assert detail.status_code == (200 if sees else 404), detail.content
    assert [row["id"] for row in listed["results"]] == ([draft.pk] if sees else [])


@pytest.mark.parametrize("role", ["anonymous", "read", "write_other", "write_own", "reviewer"])
def test_an_approved_renstra_is_seen_by_everyone(role: str) -> None:
    world = build()
    renstra = approve(world, renstra_of(world))
    api = world.client(role)
    assert api.get(f"/api/v1/renstra/{renstra.pk}/").status_code == 200
    assert api.get("/api/v1/renstra/").json()["count"] == 1


def test_another_opds_draft_stays_hidden_from_an_opd_member() -> None:
    world = build()
    other = renstra_of(world, world.other_opd)
    api = world.client("member")
    assert api.get(f"/api/v1/renstra/{other.pk}/").status_code == 404
    assert api.get("/api/v1/renstra/").json()["count"] == 0
    assert world.client("write_other").get(f"/api/v1/renstra/{other.pk}/").status_code == 200
    assert world.client("reviewer").get("/api/v1/renstra/").json()["count"] == 1


def test_filters_by_opd_id_or_code_and_status() -> None:
    world = build()
    own = renstra_of(world)
    other = approve(world, renstra_of(world, world.other_opd))
    api = world.client("reviewer")

    def ids(**params: str | int) -> list[int]:
        response = api.get("/api/v1/renstra/", params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [own.pk, other.pk]
    assert ids(opd=world.opd.pk) == ids(opd="1.06") == [own.pk]
    assert ids(opd="1.07") == [other.pk]
    assert ids(status="approved") == [other.pk]
    assert ids(status="draft", opd="1.06") == [own.pk]
    assert ids(status="submitted") == []


@pytest.mark.parametrize(
    "params",
    [{"status": "done"}, {"opd": "9.99"}, {"opd": 999_999}, {"opd": ""}, {"status": "draft&"}],
)
def test_a_bad_filter_is_a_400(params: dict[str, object]) -> None:
    world = build()
    renstra_of(world)
    response = world.client("reviewer").get("/api/v1/renstra/", params)
    assert response.status_code == 400, response.content
    assert set(response.json()) & {"status", "opd"}


def test_a_filter_given_twice_is_a_400() -> None:
    world = build()
    response = world.client("reviewer").get("/api/v1/renstra/?status=draft&status=approved")
    assert response.status_code == 400 and "status" in response.json()


def test_an_unknown_or_malformed_id_is_a_json_404() -> None:
    world = build()
    api = world.client("reviewer")
    for path in ("/api/v1/renstra/999999/", "/api/v1/renstra/abc/"):
        response = api.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_writes_are_not_allowed() -> None:
    world = build()
    renstra = renstra_of(world)
    api = world.client("write_own")
    assert api.post("/api/v1/renstra/", {}, format="json").status_code == 405
    assert api.patch(f"/api/v1/renstra/{renstra.pk}/", {}, format="json").status_code == 405
    assert api.delete(f"/api/v1/renstra/{renstra.pk}/").status_code == 405


def test_detail_etag_is_the_version_and_a_line_change_changes_it() -> None:
    world = build()
    renstra = renstra_of(world)
    api = world.client("member")
    url = f"/api/v1/renstra/{renstra.pk}/"
    tag = api.get(url)["ETag"]
    assert tag == f'"{renstra.version}"'
    again = api.get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""
    program = renstra.programs.get()
    services.renstra_program_save(
        renstra_id=renstra.pk,
        by=world.plan.head,
        values={"name": "Nama baru"},
        years={},
        program_id=program.pk,
        seen_version=program.version,
    )
    changed = api.get(url, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert changed.json()["programs"][0]["name"] == "Nama baru"


def test_list_etag_is_a_304_until_the_list_changes() -> None:
    world = build()
    renstra_of(world)
    api = world.client("reviewer")
    tag = api.get("/api/v1/renstra/")["ETag"]
    assert api.get("/api/v1/renstra/", HTTP_IF_NONE_MATCH=tag).status_code == 304
    renstra_of(world, world.other_opd)
    assert api.get("/api/v1/renstra/", HTTP_IF_NONE_MATCH=tag).status_code == 200


def add_programs(renstra: om.Renstra, start: int, stop: int) -> None:
    """Programs with two years and an activity with two years each, as rows (no services:
    fifty programs through the audited services would take long and test nothing more)."""
    for n in range(start, stop):
        program = make_program_year(
            program=om.RenstraProgram.objects.create(
                renstra=renstra, code=f"1.06.{n + 10:02d}", name=f"Program {n}"
            ),
            year=2018,
        ).program
        make_program_year(program=program, year=2019)
        activity = make_activity(program=program, code=f"1.06.{n + 10:02d}.001")
        make_activity_year(activity=activity, year=2018)
        make_activity_year(activity=activity, year=2019)


def count(world: ApiWorld, role: str, path: str, programs: int) -> int:
    api = world.client(role)
    api.get(path)  # warm the caches (content types, session) alike for both
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    body = response.json()
    found = body.get("results", [body])
    assert sum(len(row["programs"]) for row in found) == programs
    return len(queries)


#: The list: its count, the Renstras (with OPD and plan), the programs (with their RPJMD
#: indicator), their years, the activities, their years; the detail all but the count. A
#: signed-in caller adds four: the token or session, its OPDs, and the reviewer permission's two;
#: Bappeda two more: the regions it reads (``roles.bappeda_scope``) and its OPDs (a Bappeda user
#: may be an OPD's member too).
QUERIES = {"anonymous": 6, "write_own": 10, "reviewer": 12}


@pytest.mark.parametrize("role", sorted(QUERIES))
@pytest.mark.parametrize("detail", [False, True])
def test_queries_do_not_grow_with_programs(role: str, detail: bool) -> None:
    world = build()
    renstra = approve(world, renstra_of(world))
    path = f"/api/v1/renstra/{renstra.pk}/" if detail else "/api/v1/renstra/"
    add_programs(renstra, 0, 1)
    few = count(world, role, path, 2)
    add_programs(renstra, 1, 49)
    many = count(world, role, path, 50)
    assert few == many, f"{few} queries for 2 programs, {many} for 50"
    assert many == QUERIES[role] - detail
