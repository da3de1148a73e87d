"""Who may open and post to which Renstra page: every Renstra view × every role × the Renstra's
states, the database unchanged on every refusal (the style of ``tests/test_permissions.py``).

Every cell signs in as one role and sends one request about OPD A's Renstra (2016–2021, one
complete program with one complete activity), put in the row's state:

- ``anonymous``: nobody signed in;
- ``member``: head of OPD A, the Renstra's own OPD;
- ``other``: head of OPD B, same region; A's Renstra must stay invisible to them;
- ``reviewer``: Bappeda (``opd.review_workplan``);
- ``signed_in``: signed in, of no OPD, reviewing nothing: sees no Renstra;
- ``stranger``: Bappeda of another kota of the same province: A's Renstra is a 404 to them;
- ``province``: Bappeda of the province above A's region: reads A's Renstra (200), approves
  and returns none (403).

LOGIN 302 to the login page; OK 200; DONE 302 after the write; REFUSED 302 with an error
message (the role may act, the state forbids it); 403 the role sees the Renstra but never takes
this step; 404 the Renstra is not one the user sees; 405 the wrong HTTP method.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from django.contrib import messages
from django.urls import URLPattern, reverse

from opd.renstra import urls as renstra_urls
from targets.models import Plan
from tests.factories import PlanFactory
from tests.renstra import page_world
from tests.renstra.makers import make_program
from tests.renstra.page_world import (
    APPROVED,
    DRAFT,
    RETURNED,
    SUBMITTED,
    RenstraWorld,
    build_renstra_world,
    snapshot,
)

pytestmark = pytest.mark.django_db

# The page world's roles, and the Bappeda of another kota of the province (``stranger``) and
# of the province itself (``province``), from ``tests.permission_world``.
ROLES = (*page_world.ROLES, "stranger", "province")
GET, POST = "GET", "POST"
LOGIN, OK, DONE, REFUSED = "LOGIN", 200, "DONE", "REFUSED"

# fmt: off
#    request            verb  state      anon   member   other reviewer signed_in stranger province
MATRIX: list[tuple[str, str, str, Any, Any, Any, Any, Any, Any, Any]] = [
    ("list",            GET,  DRAFT,     LOGIN, OK,      OK,   OK,      OK,       OK,      OK),
    ("list",            POST, DRAFT,     LOGIN, 405,     405,  405,     405,      405,     405),
    # Creating: the OPD's members, once per RPJMD plan. "other" and "signed_in" cannot see
    # OPD A (404); Bappeda sees it but does not start an OPD's Renstra (403).
    ("create",          POST, DRAFT,     LOGIN, DONE,    404,  403,     404,      404,     403),
    ("create_taken",    POST, DRAFT,     LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("create",          GET,  DRAFT,     LOGIN, 405,     405,  405,     405,      405,     405),
    ("detail",          GET,  DRAFT,     LOGIN, OK,      404,  OK,      404,      404,     OK),
    ("detail",          GET,  SUBMITTED, LOGIN, OK,      404,  OK,      404,      404,     OK),
    ("detail",          GET,  RETURNED,  LOGIN, OK,      404,  OK,      404,      404,     OK),
    ("detail",          GET,  APPROVED,  LOGIN, OK,      404,  OK,      404,      404,     OK),
    ("detail",          POST, DRAFT,     LOGIN, 405,     405,  405,     405,      405,     405),
    ("history",         GET,  SUBMITTED, LOGIN, OK,      404,  OK,      404,      404,     OK),
    ("history",         GET,  APPROVED,  LOGIN, OK,      404,  OK,      404,      404,     OK),
    ("history",         POST, DRAFT,     LOGIN, 405,     405,  405,     405,      405,     405),
    # Submitting: the OPD's own members, from draft or returned only.
    ("submit",          GET,  DRAFT,     LOGIN, 405,     405,  405,     405,      405,     405),
    ("submit",          POST, DRAFT,     LOGIN, DONE,    404,  403,     404,      404,     403),
    ("submit",          POST, RETURNED,  LOGIN, DONE,    404,  403,     404,      404,     403),
    ("submit",          POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("submit",          POST, APPROVED,  LOGIN, REFUSED, 404,  403,     404,      404,     403),
    # Reviewing: Bappeda, a submitted Renstra only.
    ("approve",         GET,  SUBMITTED, LOGIN, 405,     405,  405,     405,      405,     405),
    ("approve",         POST, SUBMITTED, LOGIN, 403,     404,  DONE,    404,      404,     403),
    ("approve",         POST, DRAFT,     LOGIN, 403,     404,  REFUSED, 404,      404,     403),
    ("approve",         POST, RETURNED,  LOGIN, 403,     404,  REFUSED, 404,      404,     403),
    ("approve",         POST, APPROVED,  LOGIN, 403,     404,  REFUSED, 404,      404,     403),
    ("return",          GET,  SUBMITTED, LOGIN, 403,     404,  OK,      404,      404,     403),
    ("return",          GET,  DRAFT,     LOGIN, 403,     404,  REFUSED, 404,      404,     403),
    ("return",          POST, SUBMITTED, LOGIN, 403,     404,  DONE,    404,      404,     403),
    ("return_blank",    POST, SUBMITTED, LOGIN, 403,     404,  422,     404,      404,     403),
    ("return",          POST, RETURNED,  LOGIN, 403,     404,  REFUSED, 404,      404,     403),
    ("return",          POST, APPROVED,  LOGIN, 403,     404,  REFUSED, 404,      404,     403),
    # Editing: the OPD's own members, while draft or returned. A locked Renstra offers no editor.
    ("program_add",     GET,  DRAFT,     LOGIN, OK,      404,  403,     404,      404,     403),
    ("program_add",     GET,  SUBMITTED, LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("program_add",     POST, DRAFT,     LOGIN, DONE,    404,  403,     404,      404,     403),
    ("program_add",     POST, RETURNED,  LOGIN, DONE,    404,  403,     404,      404,     403),
    ("program_add",     POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("program_add",     POST, APPROVED,  LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("program_edit",    GET,  RETURNED,  LOGIN, OK,      404,  403,     404,      404,     403),
    ("program_edit",    GET,  APPROVED,  LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("program_edit",    POST, DRAFT,     LOGIN, DONE,    404,  403,     404,      404,     403),
    ("program_edit",    POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("program_edit",    POST, APPROVED,  LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("program_delete",  GET,  DRAFT,     LOGIN, 405,     405,  405,     405,      405,     405),
    ("program_delete",  POST, DRAFT,     LOGIN, DONE,    404,  403,     404,      404,     403),
    ("program_delete",  POST, RETURNED,  LOGIN, DONE,    404,  403,     404,      404,     403),
    ("program_delete",  POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("program_delete",  POST, APPROVED,  LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("activity_add",    GET,  DRAFT,     LOGIN, OK,      404,  403,     404,      404,     403),
    ("activity_add",    GET,  APPROVED,  LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("activity_add",    POST, DRAFT,     LOGIN, DONE,    404,  403,     404,      404,     403),
    ("activity_add",    POST, RETURNED,  LOGIN, DONE,    404,  403,     404,      404,     403),
    ("activity_add",    POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("activity_edit",   GET,  DRAFT,     LOGIN, OK,      404,  403,     404,      404,     403),
    ("activity_edit",   GET,  SUBMITTED, LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("activity_edit",   POST, RETURNED,  LOGIN, DONE,    404,  403,     404,      404,     403),
    ("activity_edit",   POST, APPROVED,  LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("activity_delete", GET,  DRAFT,     LOGIN, 405,     405,  405,     405,      405,     405),
    ("activity_delete", POST, DRAFT,     LOGIN, DONE,    404,  403,     404,      404,     403),
    ("activity_delete", POST, RETURNED,  LOGIN, DONE,    404,  403,     404,      404,     403),
    ("activity_delete", POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     404,      404,     403),
    ("activity_delete", POST, APPROVED,  LOGIN, REFUSED, 404,  403,     404,      404,     403),
]
# fmt: on

CELLS = [
    pytest.param(name, method, state, role, expected, id=f"{name}-{method}-{state}-{role}")
    for name, method, state, *outcomes in MATRIX
    for role, expected in zip(ROLES, outcomes, strict=True)
]

Request = Callable[[RenstraWorld], tuple[str, dict[str, Any]]]


def _url(name: str, *args: int) -> str:
    return reverse(f"renstra:{name}", args=args)


def _grid(program: bool = True, **overrides: str) -> dict[str, str]:
    data = {}
    for year in range(2016, 2022):
        data[f"target_{year}"] = "120"
        if program:
            data[f"budget_{year}"] = "Rp 2.500.000"
    data.update(overrides)
    return data


def _create_for_new_plan(w: RenstraWorld) -> tuple[str, dict[str, Any]]:
    """The region's next RPJMD: OPD A has no Renstra for it yet."""
    plan = cast(Plan, PlanFactory(region=w.base.opd_a.region, first_year=2022, last_year=2026))
    return _url("create"), {"opd": w.base.opd_a.pk, "plan": plan.pk}


def _delete_empty_program(w: RenstraWorld) -> tuple[str, dict[str, Any]]:
    """A program with activities cannot be deleted: the request names an empty one."""
    program = make_program(renstra=w.renstra, code="1.06.09")  # whatever the Renstra's state
    return _url("program_delete", w.renstra.pk, program.pk), {
        "seen_version": program.version,
        "confirm": "1",
    }


def _confirmed(w: RenstraWorld) -> dict[str, Any]:
    return {"seen_version": w.renstra.version, "confirm": "1"}


REQUESTS: dict[str, tuple[str, Request]] = {
    "list": ("list", lambda w: (_url("list"), {})),
    "create": ("create", _create_for_new_plan),
    "create_taken": (
        "create",
        lambda w: (_url("create"), {"opd": w.base.opd_a.pk, "plan": w.renstra.plan_id}),
    ),
    "detail": ("detail", lambda w: (_url("detail", w.renstra.pk), {})),
    "history": ("history", lambda w: (_url("history", w.renstra.pk), {})),
    "submit": ("submit", lambda w: (_url("submit", w.renstra.pk), _confirmed(w))),
    "approve": ("approve", lambda w: (_url("approve", w.renstra.pk), _confirmed(w))),
    "return": (
        "return",
        lambda w: (
            _url("return", w.renstra.pk),
            {"seen_version": w.renstra.version, "comment": "Lengkapi target 2020."},
        ),
    ),
    "return_blank": (
        "return",
        lambda w: (
            _url("return", w.renstra.pk),
            {"seen_version": w.renstra.version, "comment": "   "},
        ),
    ),
    "program_add": (
        "program_add",
        lambda w: (
            _url("program_add", w.renstra.pk),
            {"code": "1.06.02", "name": "Program Pemberdayaan Sosial", **_grid()},
        ),
    ),
    "program_edit": (
        "program_edit",
        lambda w: (
            _url("program_edit", w.renstra.pk, w.program.pk),
            {
                "code": w.program.code,
                "name": "Program Perlindungan Sosial (diubah)",
                "seen_version": w.program.version,
                **_grid(),
            },
        ),
    ),
    "program_delete": ("program_delete", _delete_empty_program),
    "activity_add": (
        "activity_add",
        lambda w: (
            _url("activity_add", w.renstra.pk),
            {"program": w.program.pk, "code": "1.06.01.002", "name": "Pelatihan", **_grid(False)},
        ),
    ),
    "activity_edit": (
        "activity_edit",
        lambda w: (
            _url("activity_edit", w.renstra.pk, w.activity.pk),
            {
                "program": w.program.pk,
                "code": w.activity.code,
                "name": "Bantuan sosial (diubah)",
                "seen_version": w.activity.version,
                **_grid(False),
            },
        ),
    ),
    "activity_delete": (
        "activity_delete",
        lambda w: (
            _url("activity_delete", w.renstra.pk, w.activity.pk),
            {"seen_version": w.activity.version, "confirm": "1"},
        ),
    ),
}


@pytest.fixture
def world() -> RenstraWorld:
    built = build_renstra_world()
    built.users.update(stranger=built.base.users["stranger"], province=built.base.users["province"])
    return built


def test_the_matrix_covers_every_renstra_page() -> None:
    """Every page of ``opd.renstra.urls`` (the import's pages have their own tests)."""
    names = {p.name for p in renstra_urls.urlpatterns if isinstance(p, URLPattern)}
    assert {REQUESTS[row[0]][0] for row in MATRIX} == names
    assert {row[0] for row in MATRIX} == set(REQUESTS)


def error_messages(response: Any) -> list[str]:
    return [
        str(m) for m in messages.get_messages(response.wsgi_request) if m.level == messages.ERROR
    ]


@pytest.mark.parametrize(("name", "method", "state", "role", "expected"), CELLS)
def test_permission_matrix(
    world: RenstraWorld, name: str, method: str, state: str, role: str, expected: Any
) -> None:
    world.set_status(state)
    url, data = REQUESTS[name][1](world)
    client = world.client(role)
    before = snapshot()

    response = client.post(url, data) if method == POST else client.get(url)

    after = snapshot()
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif expected == DONE:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert not response["Location"].startswith(reverse("login"))
        assert error_messages(response) == []
        assert after != before, "the write did not happen"
    elif expected == REFUSED:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert not response["Location"].startswith(reverse("login"))
        assert error_messages(response), "a refusal says why"
    else:
        assert response.status_code == expected
    if expected != DONE:
        assert after == before, "a refused or read-only request changed the database"
