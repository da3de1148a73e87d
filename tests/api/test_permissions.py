"""The API's permission matrix: every resource and method × every kind of caller.

Callers: ``anonymous``; ``read``, a read token bound to no OPD (public data only);
``write_own``, a write token of OPD A; ``write_other``, a write token of OPD B;
``member``, a signed-in staff member of OPD A; ``reviewer``, a signed-in Bappeda reviewer of
OPD A's region; ``stranger``, the Bappeda of another kota (none of A's rows: 404 on them, none
in its lists, which default to its own region); ``province``, the Bappeda of the province
above A's region (reads A's rows, reviews and writes none: 403).
Every request is about OPD A's data. A cell is the status code, or (200, n) for a list
that must hold n rows. Every refused write must leave the database as it was.

The aspirations' writes have their own matrix (``ASPIRATION_MATRIX``), with the roles that
matter to them: the head of OPD A and of another OPD (sessions), the staff of the aspiration's
kelurahan and of another kecamatan, besides the tokens, Bappeda and no one.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from opd import models as om
from tests.api.world import ROLES, ApiWorld, build, etag
from tests.aspirations.api_world import ROLES as ASPIRATION_ROLES
from tests.aspirations.api_world import AspirationApiWorld, intake_body
from tests.aspirations.api_world import fingerprint as aspiration_fingerprint

pytestmark = pytest.mark.django_db

DRAFT, SUBMITTED = om.WorkPlan.Status.DRAFT, om.WorkPlan.Status.SUBMITTED
APPROVED = om.WorkPlan.Status.APPROVED

Request = Callable[[ApiWorld], tuple[str, str, dict[str, Any] | None, dict[str, str]]]


def get(path: Callable[[ApiWorld], str]) -> Request:
    return lambda w: ("get", path(w), None, {})


def send(
    method: str,
    path: Callable[[ApiWorld], str],
    body: Callable[[ApiWorld], dict[str, Any]] | None = None,
    if_match: Callable[[ApiWorld], Any] | None = None,
) -> Request:
    return lambda w: (
        method,
        path(w),
        body(w) if body else {},
        {"HTTP_IF_MATCH": etag(if_match(w))} if if_match else {},
    )


def plan_url(w: ApiWorld, suffix: str = "") -> str:
    return f"/api/v1/work-plans/{w.plan.work_plan.pk}/{suffix}"


def activity_url(w: ApiWorld) -> str:
    return f"/api/v1/activities/{w.plan.activity.pk}/"


def new_activity(w: ApiWorld) -> dict[str, Any]:
    return {
        "program": w.plan.program.pk,
        "code": "1.06.01.009",
        "name": "Pelatihan kerja",
        "budget": "1000000.00",
        "expected_contributions": [{"indicator": w.plan.indicator.pk, "amount": "12"}],
    }


def program_url(w: ApiWorld) -> str:
    return f"/api/v1/programs/{w.plan.program.pk}/"


def empty_program_url(w: ApiWorld) -> str:
    return f"/api/v1/programs/{empty_program(w).pk}/"


def empty_program(w: ApiWorld) -> om.Program:
    program, _created = om.Program.objects.get_or_create(
        work_plan=w.plan.work_plan, code="1.06.08", defaults={"name": "Kosong"}
    )
    return program


def new_program(w: ApiWorld) -> dict[str, Any]:
    return {"work_plan": w.plan.work_plan.pk, "code": "1.06.09", "name": "Program baru"}


def full_program(w: ApiWorld) -> dict[str, Any]:
    return {**new_program(w), "code": w.plan.program.code, "outcome_indicator": "Cakupan"}


def full_activity(w: ApiWorld) -> dict[str, Any]:
    return {**new_activity(w), "code": w.plan.activity.code, "kelurahan": w.plan.kelurahan.pk}


def renstra(w: ApiWorld, status: str = DRAFT) -> om.Renstra:
    """OPD A's Renstra for the plan's period, at ``status`` (rows: the API only reads it)."""
    made, _created = om.Renstra.objects.get_or_create(
        opd=w.opd,
        plan=w.plan.work_plan.plan,
        defaults={
            "status": status,
            "submitted_at": None if status == DRAFT else timezone.now(),
            "reviewed_at": timezone.now() if status == APPROVED else None,
        },
    )
    return made


R = 200
# fmt: off
#   name                   plan state  request                                                     anon read  own     other   member  reviewer stranger province
MATRIX: list[tuple[str, str, Request, tuple[Any, ...]]] = [
    ("regions list",        DRAFT, get(lambda w: "/api/v1/regions/"),                             (R,   R,    R,      R,      R,      R, R, R)),
    ("region",              DRAFT, get(lambda w: f"/api/v1/regions/{w.opd.region_id}/"),          (R,   R,    R,      R,      R,      R, R, R)),
    ("region POST",         DRAFT, send("post", lambda w: "/api/v1/regions/"),                   (401, 403,  405,    405,    405,    405, 405, 405)),
    ("region poverty",      DRAFT, get(lambda w: f"/api/v1/regions/{w.opd.region.code}/poverty/"), (R, R,  R,      R,      R,      R, R, R)),
    ("region poverty POST", DRAFT, send("post", lambda w: f"/api/v1/regions/{w.opd.region.code}/poverty/"), (401, 403, 405, 405, 405, 405, 405, 405)),
    ("indicators list",     DRAFT, get(lambda w: "/api/v1/indicators/"),                          (R,   R,    R,      R,      R,      R, R, R)),
    ("indicator",           DRAFT, get(lambda w: f"/api/v1/indicators/{w.plan.indicator.pk}/"),   (R,   R,    R,      R,      R,      R, R, R)),
    ("indicator PATCH",     DRAFT, send("patch", lambda w: f"/api/v1/indicators/{w.plan.indicator.pk}/"), (401, 403, 405, 405, 405,   405, 405, 405)),
    ("opds list",           DRAFT, get(lambda w: "/api/v1/opds/"),                                (R,   R,    R,      R,      R,      R, R, R)),
    ("opd",                 DRAFT, get(lambda w: f"/api/v1/opds/{w.opd.pk}/"),                    (R,   R,    R,      R,      R,      R, R, R)),
    ("opd DELETE",          DRAFT, send("delete", lambda w: f"/api/v1/opds/{w.opd.pk}/"),        (401, 403,  405,    405,    405,    405, 405, 405)),
    ("contributions list",  DRAFT, get(lambda w: "/api/v1/contributions/"),                       ((R, 2), (R, 2), (R, 2), (R, 2), (R, 2), (R, 2), (R, 0), (R, 2))),
    ("contribution",        DRAFT, get(lambda w: f"/api/v1/contributions/{w.contribution.pk}/"),  (R,   R,    R,      R,      R,      R, R, R)),
    ("contribution POST",   DRAFT, send("post", lambda w: "/api/v1/contributions/"),             (401, 403,  405,    405,    405,    405, 405, 405)),
    ("API root",            DRAFT, get(lambda w: "/api/v1/"),                                     (R,   R,    R,      R,      R,      R, R, R)),
    ("work plans list",     DRAFT, get(lambda w: "/api/v1/work-plans/"),                          (401, (R, 0), (R, 2), (R, 0), (R, 2), (R, 2), (R, 0), (R, 2))),
    ("work plan",           DRAFT, get(plan_url),                                                 (401, 404,  R,      404,    R,      R, 404, R)),
    ("work plan create",    DRAFT, send("post", lambda w: "/api/v1/work-plans/",
                                        lambda w: {"opd": w.opd.pk, "year": 2019}),               (401, 403,  201,    403,    201,    403, 403, 403)),
    ("work plan submit",    DRAFT, send("post", lambda w: plan_url(w, "submit/"),
                                        if_match=lambda w: w.plan.work_plan),                      (401, 403,  R,      404,    R,      403, 404, 403)),
    ("work plan return",    SUBMITTED, send("post", lambda w: plan_url(w, "return/"),
                                        lambda w: {"comment": "Lengkapi lokasi"},
                                        lambda w: w.plan.work_plan),                               (401, 403,  403,    404,    403,    R, 404, 403)),
    ("work plan approve",   SUBMITTED, send("post", lambda w: plan_url(w, "approve/"),
                                        if_match=lambda w: w.plan.work_plan),                      (401, 403,  403,    404,    403,    R, 404, 403)),
    ("work plan reopen",    APPROVED, send("post", lambda w: plan_url(w, "reopen/"),
                                        lambda w: {"reason": "Revisi pagu"},
                                        lambda w: w.plan.work_plan),                               (401, 403,  403,    404,    403,    R, 404, 403)),
    ("work plan reopen, draft", DRAFT, send("post", lambda w: plan_url(w, "reopen/"),
                                        lambda w: {"reason": "Revisi pagu"},
                                        lambda w: w.plan.work_plan),                               (401, 403,  403,    404,    403,    409, 404, 403)),
    ("work plan PATCH",     DRAFT, send("patch", plan_url, lambda w: {"year": 2019}),             (401, 403,  405,    405,    405,    405, 405, 405)),
    ("programs list",       DRAFT, get(lambda w: "/api/v1/programs/"),                            (401, (R, 0), (R, 2), (R, 0), (R, 2), (R, 2), (R, 0), (R, 2))),
    ("program",             DRAFT, get(program_url),                                              (401, 404,  R,      404,    R,      R, 404, R)),
    ("program create",      DRAFT, send("post", lambda w: "/api/v1/programs/", new_program),     (401, 403,  201,    400,    201,    403, 400, 403)),
    ("program create, submitted plan", SUBMITTED, send("post", lambda w: "/api/v1/programs/", new_program), (401, 403, 409, 400, 409,   403, 400, 403)),
    ("program PATCH",       DRAFT, send("patch", program_url, lambda w: {"name": "Nama baru"},
                                        lambda w: w.plan.program),                                (401, 403,  R,      404,    R,      403, 404, 403)),
    ("program PUT",         DRAFT, send("put", program_url, full_program,
                                        lambda w: w.plan.program),                                (401, 403,  R,      404,    R,      403, 404, 403)),
    ("program PATCH, submitted plan", SUBMITTED, send("patch", program_url, lambda w: {"name": "Nama baru"},
                                        lambda w: w.plan.program),                                (401, 403,  409,    404,    409,    403, 404, 403)),
    ("program DELETE",      DRAFT, send("delete", empty_program_url, if_match=empty_program),    (401, 403,  204,    404,    204,    403, 404, 403)),
    ("program DELETE, with activities", DRAFT, send("delete", program_url, if_match=lambda w: w.plan.program), (401, 403, 409, 404, 409, 403, 404, 403)),
    ("activities list",     DRAFT, get(lambda w: "/api/v1/activities/"),                          (401, (R, 0), (R, 2), (R, 0), (R, 2), (R, 2), (R, 0), (R, 2))),
    ("activity",            DRAFT, get(activity_url),                                             (401, 404,  R,      404,    R,      R, 404, R)),
    ("activity create",     DRAFT, send("post", lambda w: "/api/v1/activities/", new_activity),  (401, 403,  201,    400,    201,    403, 400, 403)),
    ("activity PATCH",      DRAFT, send("patch", activity_url, lambda w: {"budget": "5.00"},
                                        lambda w: w.plan.activity),                               (401, 403,  R,      404,    R,      403, 404, 403)),
    ("activity PUT",        DRAFT, send("put", activity_url, full_activity,
                                        lambda w: w.plan.activity),                               (401, 403,  R,      404,    R,      403, 404, 403)),
    ("activity PATCH, submitted plan", SUBMITTED, send("patch", activity_url, lambda w: {"budget": "5.00"},
                                        lambda w: w.plan.activity),                               (401, 403,  409,    404,    409,    403, 404, 403)),
    ("activity DELETE",     DRAFT, send("delete", activity_url, if_match=lambda w: w.plan.activity), (401, 403, 204,   404,    204,    403, 404, 403)),
    # ?wilayah= names OPD A's region: a list that is not public refuses it to whoever may
    # not see that region (400, as for a code that names nothing); a public one shows anyone
    # its public rows.
    ("activities list, A's region", DRAFT, get(lambda w: f"/api/v1/activities/?wilayah={w.opd.region.code}"), (401, 400, (R, 2), (R, 0), (R, 2), (R, 2), 400, (R, 2))),
    ("work plans list, A's region", DRAFT, get(lambda w: f"/api/v1/work-plans/?wilayah={w.opd.region.code}"), (401, 400, (R, 2), (R, 0), (R, 2), (R, 2), 400, (R, 2))),
    ("contributions list, A's region", DRAFT, get(lambda w: f"/api/v1/contributions/?wilayah={w.opd.region.code}"), ((R, 2), (R, 2), (R, 2), (R, 2), (R, 2), (R, 2), (R, 2), (R, 2))),
    ("renstra list, approved, A's region", DRAFT, get(lambda w: (renstra(w, APPROVED), f"/api/v1/renstra/?wilayah={w.opd.region.code}")[1]), ((R, 1), (R, 1), (R, 1), (R, 1), (R, 1), (R, 1), (R, 1), (R, 1))),
    ("activities list, unknown region", DRAFT, get(lambda w: "/api/v1/activities/?wilayah=00.00"), (401, 400, 400, 400, 400, 400, 400, 400)),
    ("realisations list",   DRAFT, get(lambda w: "/api/v1/realisations/"),                        (401, (R, 0), (R, 1), (R, 0), (R, 1), (R, 1), (R, 0), (R, 1))),
    ("realisation",         DRAFT, get(lambda w: f"/api/v1/realisations/{w.realisation.pk}/"),    (401, 404,  R,      404,    R,      R, 404, R)),
    ("realisation create",  DRAFT, send("post", lambda w: "/api/v1/realisations/",
                                        lambda w: {"activity": w.approved_activity.pk, "quarter": 2,
                                                   "budget_spent": "10.00"}),                      (401, 403,  201,    400,    201,    403, 400, 403)),
    ("realisation create, quarter already reported", DRAFT, send("post", lambda w: "/api/v1/realisations/",
                                        lambda w: {"activity": w.approved_activity.pk,
                                                   "quarter": w.realisation.quarter,
                                                   "budget_spent": "10.00"}),                      (401, 403,  409,    400,    409,    403, 400, 403)),
    ("realisation PATCH",   DRAFT, send("patch", lambda w: f"/api/v1/realisations/{w.realisation.pk}/",
                                        lambda w: {"output_achieved": "30.00"},
                                        lambda w: w.realisation),                                  (401, 403,  R,      404,    R,      403, 404, 403)),
    ("realisation DELETE",  DRAFT, send("delete", lambda w: f"/api/v1/realisations/{w.realisation.pk}/"), (401, 403, 405, 405,  405,    405, 405, 405)),
    ("aspirations list",    DRAFT, get(lambda w: "/api/v1/aspirations/"),                         (401, (R, 0), (R, 1), (R, 1), (R, 1), (R, 1), (R, 0), (R, 1))),
    ("aspiration",          DRAFT, get(lambda w: f"/api/v1/aspirations/{w.aspiration.pk}/"),      (401, 404,  R,      R,      R,      R, 404, R)),
    # OPD A's Renstra: a draft its OPD and Bappeda read; approved, anyone (tests/api/test_renstra.py).
    ("renstra list",        DRAFT, get(lambda w: (renstra(w), "/api/v1/renstra/")[1]),           ((R, 0), (R, 0), (R, 1), (R, 0), (R, 1), (R, 1), (R, 0), (R, 1))),
    ("renstra",             DRAFT, get(lambda w: f"/api/v1/renstra/{renstra(w).pk}/"),           (404, 404,  R,      404,    R,      R, 404, R)),
    ("renstra, approved",   DRAFT, get(lambda w: f"/api/v1/renstra/{renstra(w, APPROVED).pk}/"), (R,   R,    R,      R,      R,      R, R, R)),
    ("renstra list, approved", DRAFT, get(lambda w: (renstra(w, APPROVED), "/api/v1/renstra/")[1]), ((R, 1), (R, 1), (R, 1), (R, 1), (R, 1), (R, 1), (R, 0), (R, 1))),
    ("renstra POST",        DRAFT, send("post", lambda w: "/api/v1/renstra/"),                   (401, 403,  405,    405,    405,    405, 405, 405)),
    ("renstra PATCH",       DRAFT, send("patch", lambda w: f"/api/v1/renstra/{renstra(w).pk}/"), (401, 403,  405,    405,    405,    405, 405, 405)),
    # The cascade: anyone reads it, each their scope (tests/api/test_cascade.py); read only.
    ("cascade",             DRAFT, get(lambda w: (renstra(w), "/api/v1/cascade/")[1]),          (R,   R,    R,      R,      R,      R, R, R)),
    ("cascade, bad year",   DRAFT, get(lambda w: "/api/v1/cascade/?year=20x8"),                  (400, 400,  400,    400,    400,    400, 400, 400)),
    ("cascade POST",        DRAFT, send("post", lambda w: "/api/v1/cascade/"),                   (401, 403,  405,    405,    405,    405, 405, 405)),
]
# fmt: on

CELLS = [
    pytest.param(state, request, role, expected, id=f"{name}-{role}")
    for name, state, request, outcomes in MATRIX
    for role, expected in zip(ROLES, outcomes, strict=True)
]


def _fingerprint() -> tuple[Any, ...]:
    return (
        list(om.WorkPlan.objects.order_by("pk").values_list("status", "version")),
        list(om.Program.objects.order_by("pk").values_list("pk", "version", "name")),
        om.ReviewComment.objects.count(),
        list(om.Activity.objects.order_by("pk").values_list("pk", "version", "budget")),
        list(om.Realisation.objects.order_by("pk").values_list("pk", "version")),
        om.AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(("state", "request_", "role", "expected"), CELLS)
def test_matrix(state: str, request_: Request, role: str, expected: Any) -> None:
    world = build(state)
    method, path, body, headers = request_(world)
    before = _fingerprint()
    response = getattr(world.client(role), method)(path, body, format="json", **headers)
    status, rows = expected if isinstance(expected, tuple) else (expected, None)
    assert response.status_code == status, response.content
    assert status == 204 or response["Content-Type"].startswith("application/json")
    if rows is not None:
        assert response.json()["count"] == rows
    if status >= 400:
        assert _fingerprint() == before


# --- aspirations: the writes, for every kind of caller of tests/aspirations/api_world.py ----

AspirationRequest = Callable[
    [AspirationApiWorld, om.Aspiration], tuple[str, str, dict[str, Any], dict[str, str]]
]


def on_aspiration(
    method: str,
    action: str = "",
    body: Callable[[AspirationApiWorld], dict[str, Any]] | None = None,
) -> AspirationRequest:
    """A write to the aspiration (``action`` its stage action), with its current ETag."""
    return lambda w, a: (
        method,
        f"/api/v1/aspirations/{a.pk}/{action}",
        body(w) if body else {},
        {"HTTP_IF_MATCH": f'"{a.version}"'},
    )


def create_aspiration(w: AspirationApiWorld, a: om.Aspiration) -> tuple[str, str, Any, Any]:
    return ("post", "/api/v1/aspirations/", intake_body(w), {})


def full_aspiration(w: AspirationApiWorld) -> dict[str, Any]:
    return {**intake_body(w), "title": "Judul baru"}


OPD_A = lambda w: {"opd": w.api.opd.pk}  # noqa: E731
ACTIVITY_A = lambda w: {"activity": w.api.plan.activity.pk}  # noqa: E731
REASON = lambda w: {"code": "not_feasible"}  # noqa: E731
TITLE = lambda w: {"title": "Judul baru"}  # noqa: E731

# fmt: off
#   name                         stage          request                                   anon read own  other head  o.head revw  area  o.area
ASPIRATION_MATRIX: list[tuple[str, str, AspirationRequest, tuple[int, ...]]] = [
    ("create",                   "received",    create_aspiration,                          (401, 403, 403, 403, 403, 403,  201,  201,  403)),
    ("PATCH",                    "received",    on_aspiration("patch", body=TITLE),        (401, 403, 403, 403, 403, 403,  R,    R,    404)),
    ("PUT",                      "received",    on_aspiration("put", body=full_aspiration), (401, 403, 403, 403, 403, 403, R,    R,    404)),
    ("PATCH, recommended",       "recommended", on_aspiration("patch", body=TITLE),        (401, 403, 403, 403, 403, 403,  409,  409,  404)),
    ("DELETE",                   "received",    on_aspiration("delete"),                   (401, 403, 405, 405, 405, 405,  405,  405,  405)),
    ("verify",                   "received",    on_aspiration("post", "verify/"),          (401, 403, 403, 403, 403, 403,  R,    R,    404)),
    ("verify, verified",         "verified",    on_aspiration("post", "verify/"),          (401, 403, 403, 403, 403, 403,  409,  409,  404)),
    ("recommend",                "verified",    on_aspiration("post", "recommend/", OPD_A), (401, 403, 403, 403, 403, 403, R,    403,  404)),
    ("recommend, received",      "received",    on_aspiration("post", "recommend/", OPD_A), (401, 403, 403, 403, 403, 403, 409,  403,  404)),
    ("accept",                   "recommended", on_aspiration("post", "accept/", ACTIVITY_A), (401, 403, R,  400, R,   400,  403,  400,  404)),
    ("accept, verified",         "verified",    on_aspiration("post", "accept/", ACTIVITY_A), (401, 403, 403, 400, 403, 400, 403,  400,  404)),
    ("accept, accepted",         "accepted",    on_aspiration("post", "accept/", ACTIVITY_A), (401, 403, 409, 400, 409, 400, 403,  400,  404)),
    ("reject",                   "recommended", on_aspiration("post", "reject/", REASON),  (401, 403, R,   403, R,   403,  R,    403,  404)),
    ("reject, received",         "received",    on_aspiration("post", "reject/", REASON),  (401, 403, 403, 403, 403, 403,  R,    403,  404)),
    # The recommended OPD (its head, its write token) is told the stage, as for acceptance.
    ("reject, accepted",         "accepted",    on_aspiration("post", "reject/", REASON),  (401, 403, 409, 403, 409, 403,  409,  403,  404)),
]
# fmt: on

ASPIRATION_CELLS = [
    pytest.param(stage, request, role, expected, id=f"aspiration {name}-{role}")
    for name, stage, request, outcomes in ASPIRATION_MATRIX
    for role, expected in zip(ASPIRATION_ROLES, outcomes, strict=True)
]


@pytest.mark.parametrize(("stage", "request_", "role", "expected"), ASPIRATION_CELLS)
def test_aspiration_matrix(
    stage: str, request_: AspirationRequest, role: str, expected: int
) -> None:
    world = AspirationApiWorld.build()
    aspiration = world.at(stage)
    method, path, body, headers = request_(world, aspiration)
    before = aspiration_fingerprint()
    response = getattr(world.client(role), method)(path, body, format="json", **headers)
    assert response.status_code == expected, response.content
    assert response["Content-Type"].startswith("application/json")
    if expected >= 400:
        assert aspiration_fingerprint() == before
    else:
        assert response["ETag"] == f'"{response.json()["version"]}"'


def test_anonymous_sees_only_approved_sums_of_contributions() -> None:
    world = build(SUBMITTED)
    public = world.client("anonymous").get(f"/api/v1/contributions/{world.contribution.pk}/").json()
    full = world.client("member").get(f"/api/v1/contributions/{world.contribution.pk}/").json()
    assert "planned_submitted_total" not in public and "coverage" not in public
    assert set(public["rows"][0]) == {"opd", "opd_code", "planned_approved", "achieved_approved"}
    assert "achieved_total" not in public and "achieved_approved_total" in public
    assert full["required"] is not None and "coverage" in full and "status" in full
    assert full["rows"][0]["opd_code"] == "1.06"


def test_revoked_token_is_refused(settings) -> None:
    from opd.clients import services as client_services

    world = build()
    client_services.api_client_revoke(name="sistem-dinsos")
    response = world.client("write_own").get("/api/v1/regions/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_write_token_cannot_change_another_opds_draft_even_knowing_its_id() -> None:
    world = build()
    response = world.client("write_other").patch(
        activity_url(world),
        {"budget": "1.00"},
        format="json",
        HTTP_IF_MATCH=etag(world.plan.activity),
    )
    assert response.status_code == 404
    world.plan.activity.refresh_from_db()
    assert world.plan.activity.budget != Decimal("1.00")


@pytest.mark.parametrize(
    ("path", "name", "hidden"),
    [
        ("programs", "work_plan", lambda w: w.plan.work_plan.pk),
        ("activities", "work_plan", lambda w: w.plan.work_plan.pk),
        ("realisations", "activity", lambda w: w.approved_activity.pk),
    ],
)
def test_a_filter_on_another_opds_record_answers_as_one_that_does_not_exist(
    path: str, name: str, hidden: Callable[[ApiWorld], int]
) -> None:
    """No existence oracle: OPD A's plan (or activity) id, filtered on by OPD B's token, is
    refused exactly as an id that names nothing."""
    world = build()
    api = world.client("write_other")
    other = api.get(f"/api/v1/{path}/", {name: hidden(world)})
    missing = api.get(f"/api/v1/{path}/", {name: 999_999})
    assert other.status_code == missing.status_code == 400, other.content
    assert other.json() == missing.json()


@pytest.mark.parametrize(
    ("role", "full"),
    [("reviewer", True), ("province", True), ("member", True), ("stranger", False)],
)
def test_full_contribution_figures_only_for_the_callers_regions(role: str, full: bool) -> None:
    """Bappeda of another kota reads OPD A's region's figures as the public does; the region's
    and its province's Bappeda, and A's members, read them in full."""
    world = build(SUBMITTED)
    api = world.client(role)
    code = world.opd.region.code
    one = api.get(f"/api/v1/contributions/{world.contribution.pk}/").json()
    listed = api.get("/api/v1/contributions/", {"wilayah": code}).json()["results"]
    for figures in (one, *listed):
        assert ("coverage" in figures) is full
        assert ("planned_submitted_total" in figures) is full
        assert "achieved_approved_total" in figures or full


# The aspirations' writes by the Bappeda of another kota (``stranger``: A's aspirations are
# not its, 404; an intake in A's kelurahan is refused, 403) and of the province above A's
# region (``province``: reads them, records and moves none, 403).
# fmt: off
#   name                  stage          request                                      stranger province
ASPIRATION_CROSS_REGION: list[tuple[str, str, AspirationRequest, tuple[int, int]]] = [
    ("create",            "received",    create_aspiration,                            (403, 403)),
    ("PATCH",             "received",    on_aspiration("patch", body=TITLE),          (404, 403)),
    ("verify",            "received",    on_aspiration("post", "verify/"),            (404, 403)),
    ("recommend",         "verified",    on_aspiration("post", "recommend/", OPD_A),  (404, 403)),
    ("accept",            "recommended", on_aspiration("post", "accept/", ACTIVITY_A), (404, 403)),
    ("reject",            "recommended", on_aspiration("post", "reject/", REASON),    (404, 403)),
]
# fmt: on


@pytest.mark.parametrize(
    ("stage", "request_", "role", "expected"),
    [
        pytest.param(stage, request, role, expected, id=f"aspiration {name}-{role}")
        for name, stage, request, outcomes in ASPIRATION_CROSS_REGION
        for role, expected in zip(("stranger", "province"), outcomes, strict=True)
    ],
)
def test_aspiration_writes_across_regions(
    stage: str, request_: AspirationRequest, role: str, expected: int
) -> None:
    world = AspirationApiWorld.build()
    aspiration = world.at(stage)
    method, path, body, headers = request_(world, aspiration)
    before = aspiration_fingerprint()
    response = getattr(world.api.client(role), method)(path, body, format="json", **headers)
    assert response.status_code == expected, response.content
    assert aspiration_fingerprint() == before
