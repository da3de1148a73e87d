"""Who may open and post to which page: the permission matrix (tampering is in test_tampering.py).

Every cell of the matrix signs in as one role and sends one request about OPD A's
2018 work plan, in the state named by the row:

- ``anonymous``: nobody signed in;
- ``member``: head of OPD A, the plan's own OPD;
- ``other``: head of OPD B, same region; A's plan must stay invisible to them;
- ``reviewer``: Bappeda (group "Peninjau Bappeda" with ``opd.review_workplan``);
- ``admin``: a superuser without OPD membership. A superuser has every permission,
  so the admin reviews like Bappeda and, being no OPD's member, edits nothing;
- ``stranger``: Bappeda of another kota of the same province (``BappedaRole``); every one of
  A's pages is a 404 to them, and the deadline they set is their own region's;
- ``province``: Bappeda of the province above A's region: reads A's plans (200), reviews,
  approves, returns, reopens and sets deadlines for none of them (403).

Outcomes (every POST that is not DONE must leave the database as it was):

LOGIN    302 to the login page.
OK       200, the page.
DONE     302 after the write happened (the database changed).
REFUSED  302 with an error message: the role may act, the plan's state forbids it.
403      the role sees the plan but may not act (a reviewer on an edit page, a member
         on approve).
404      the plan is another OPD's: hidden, not merely forbidden.
405      wrong HTTP method (checked before the plan is looked up, so it leaks nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import messages
from django.urls import reverse

from opd.aspirations import urls as aspiration_urls
from opd.cascade import urls as cascade_urls
from opd.workplans import urls as opd_urls
from tests.factories import AspirationFactory, ProgramFactory
from tests.permission_world import (
    APPROVED,
    DRAFT,
    RETURNED,
    SUBMITTED,
    World,
    _url,
    activity_data,
    beneficiary_file,
    beneficiary_list,
    build_world,
    realisation_data,
    snapshot,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "other", "reviewer", "admin", "stranger", "province")
GET, POST = "GET", "POST"
LOGIN, OK, DONE, REFUSED = "LOGIN", 200, "DONE", "REFUSED"

# fmt: off
#    request                verb  state      anon   member   other reviewer admin    stranger province
MATRIX: list[tuple[str, str, str, Any, Any, Any, Any, Any, Any, Any]] = [
    ("home",                GET,  DRAFT,     OK,    OK,      OK,   OK,      OK,      OK,      OK),
    ("work_plans",          GET,  DRAFT,     LOGIN, OK,      OK,   OK,      OK,      OK,      OK),
    ("work_plans",          POST, DRAFT,     LOGIN, 405,     405,  405,     405,     405,     405),
    # Starting a plan: "other" names OPD A, which they cannot see (404);
    # Bappeda sees OPD A but does not start its plans (403).
    ("work_plan_create",    GET,  DRAFT,     LOGIN, 405,     405,  405,     405,     405,     405),
    ("work_plan_create",    POST, DRAFT,     LOGIN, DONE,    404,  403,     403,     404,     403),
    ("create_year_taken",   POST, DRAFT,     LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("deadline",            GET,  DRAFT,     LOGIN, 403,     403,  OK,      OK,      OK,      403),
    ("deadline",            POST, DRAFT,     LOGIN, 403,     403,  DONE,    DONE,    DONE,    403),
    ("work_plan",           GET,  DRAFT,     LOGIN, OK,      404,  OK,      OK,      404,     OK),
    ("work_plan",           GET,  APPROVED,  LOGIN, OK,      404,  OK,      OK,      404,     OK),
    ("work_plan",           POST, DRAFT,     LOGIN, 405,     405,  405,     405,     405,     405),
    ("work_plan_history",   GET,  SUBMITTED, LOGIN, OK,      404,  OK,      OK,      404,     OK),
    ("work_plan_history",   POST, SUBMITTED, LOGIN, 405,     405,  405,     405,     405,     405),
    # Submitting: the OPD's own members, from draft or returned only.
    ("work_plan_submit",    GET,  DRAFT,     LOGIN, 405,     405,  405,     405,     405,     405),
    ("work_plan_submit",    POST, DRAFT,     LOGIN, DONE,    404,  403,     403,     404,     403),
    ("work_plan_submit",    POST, RETURNED,  LOGIN, DONE,    404,  403,     403,     404,     403),
    ("work_plan_submit",    POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("work_plan_submit",    POST, APPROVED,  LOGIN, REFUSED, 404,  403,     403,     404,     403),
    # Reviewing: Bappeda, a submitted plan only.
    ("work_plan_approve",   GET,  SUBMITTED, LOGIN, 405,     405,  405,     405,     405,     405),
    ("work_plan_approve",   POST, SUBMITTED, LOGIN, 403,     404,  DONE,    DONE,    404,     403),
    ("work_plan_approve",   POST, DRAFT,     LOGIN, 403,     404,  REFUSED, REFUSED, 404,     403),
    ("work_plan_approve",   POST, APPROVED,  LOGIN, 403,     404,  REFUSED, REFUSED, 404,     403),
    ("work_plan_return",    GET,  SUBMITTED, LOGIN, 403,     404,  OK,      OK,      404,     403),
    ("work_plan_return",    GET,  DRAFT,     LOGIN, 403,     404,  REFUSED, REFUSED, 404,     403),
    ("work_plan_return",    POST, SUBMITTED, LOGIN, 403,     404,  DONE,    DONE,    404,     403),
    ("work_plan_return",    POST, RETURNED,  LOGIN, 403,     404,  REFUSED, REFUSED, 404,     403),
    ("work_plan_return",    POST, APPROVED,  LOGIN, 403,     404,  REFUSED, REFUSED, 404,     403),
    # Reopening: Bappeda, an approved plan only.
    ("work_plan_reopen",    GET,  APPROVED,  LOGIN, 403,     404,  OK,      OK,      404,     403),
    ("work_plan_reopen",    GET,  SUBMITTED, LOGIN, 403,     404,  REFUSED, REFUSED, 404,     403),
    ("work_plan_reopen",    POST, APPROVED,  LOGIN, 403,     404,  DONE,    DONE,    404,     403),
    ("work_plan_reopen",    POST, SUBMITTED, LOGIN, 403,     404,  REFUSED, REFUSED, 404,     403),
    ("work_plan_reopen",    POST, DRAFT,     LOGIN, 403,     404,  REFUSED, REFUSED, 404,     403),
    # Editing: the OPD's own members, while draft or returned. A locked plan offers no editor.
    ("program_add",         GET,  DRAFT,     LOGIN, OK,      404,  403,     403,     404,     403),
    ("program_add",         GET,  SUBMITTED, LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("program_add",         POST, DRAFT,     LOGIN, DONE,    404,  403,     403,     404,     403),
    ("program_add",         POST, RETURNED,  LOGIN, DONE,    404,  403,     403,     404,     403),
    ("program_add",         POST, APPROVED,  LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("program_edit",        GET,  RETURNED,  LOGIN, OK,      404,  403,     403,     404,     403),
    ("program_edit",        GET,  APPROVED,  LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("program_edit",        POST, DRAFT,     LOGIN, DONE,    404,  403,     403,     404,     403),
    ("program_edit",        POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("program_delete",      GET,  DRAFT,     LOGIN, 405,     405,  405,     405,     405,     405),
    ("program_delete",      POST, DRAFT,     LOGIN, DONE,    404,  403,     403,     404,     403),
    ("program_delete",      POST, APPROVED,  LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("activity_add",        GET,  DRAFT,     LOGIN, OK,      404,  403,     403,     404,     403),
    ("activity_add",        GET,  APPROVED,  LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("activity_add",        POST, DRAFT,     LOGIN, DONE,    404,  403,     403,     404,     403),
    ("activity_add",        POST, RETURNED,  LOGIN, DONE,    404,  403,     403,     404,     403),
    ("activity_add",        POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("activity_edit",       GET,  DRAFT,     LOGIN, OK,      404,  403,     403,     404,     403),
    ("activity_edit",       GET,  SUBMITTED, LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("activity_edit",       POST, RETURNED,  LOGIN, DONE,    404,  403,     403,     404,     403),
    ("activity_edit",       POST, APPROVED,  LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("activity_delete",     GET,  DRAFT,     LOGIN, 405,     405,  405,     405,     405,     405),
    ("activity_delete",     POST, DRAFT,     LOGIN, DONE,    404,  403,     403,     404,     403),
    ("activity_delete",     POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403,     404,     403),
    # Realisation: everyone who sees the plan reads it; its members report, on an approved plan.
    ("realisation",         GET,  APPROVED,  LOGIN, OK,      404,  OK,      OK,      404,     OK),
    ("realisation",         GET,  DRAFT,     LOGIN, OK,      404,  OK,      OK,      404,     OK),
    ("realisation",         POST, APPROVED,  LOGIN, DONE,    404,  403,     403,     404,     403),
    ("realisation",         POST, DRAFT,     LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("realisation",         POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("realisation",         POST, RETURNED,  LOGIN, REFUSED, 404,  403,     403,     404,     403),
    # Beneficiary lists: an activity edit (the OPD's own members, while draft or returned);
    # the blank templates: everyone who sees the plan, in any state.
    ("beneficiary_upload",  GET,  DRAFT,     LOGIN, OK,      404,  403,     403,     404,     403),
    ("beneficiary_upload",  GET,  SUBMITTED, LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("beneficiary_upload",  POST, DRAFT,     LOGIN, DONE,    404,  403,     403,     404,     403),
    ("beneficiary_upload",  POST, RETURNED,  LOGIN, DONE,    404,  403,     403,     404,     403),
    ("beneficiary_upload",  POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("beneficiary_upload",  POST, APPROVED,  LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("list_replace",        POST, DRAFT,     LOGIN, DONE,    404,  403,     403,     404,     403),
    ("list_replace",        POST, APPROVED,  LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("beneficiary_delete",  GET,  DRAFT,     LOGIN, OK,      404,  403,     403,     404,     403),
    ("beneficiary_delete",  GET,  APPROVED,  LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("beneficiary_delete",  POST, DRAFT,     LOGIN, DONE,    404,  403,     403,     404,     403),
    ("beneficiary_delete",  POST, RETURNED,  LOGIN, DONE,    404,  403,     403,     404,     403),
    ("beneficiary_delete",  POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("beneficiary_delete",  POST, APPROVED,  LOGIN, REFUSED, 404,  403,     403,     404,     403),
    ("template_xlsx",       GET,  DRAFT,     LOGIN, OK,      404,  OK,      OK,      404,     OK),
    ("template_xlsx",       GET,  APPROVED,  LOGIN, OK,      404,  OK,      OK,      404,     OK),
    ("template_xlsx",       POST, DRAFT,     LOGIN, 405,     405,  405,     405,     405,     405),
    ("template_csv",        GET,  SUBMITTED, LOGIN, OK,      404,  OK,      OK,      404,     OK),
    ("template_csv",        POST, DRAFT,     LOGIN, 405,     405,  405,     405,     405,     405),
    # An aspiration's public status: everyone, signed in or not; nothing to post.
    ("aspiration_lookup",   GET,  DRAFT,     OK,    OK,      OK,   OK,      OK,      OK,      OK),
    ("aspiration_lookup",   POST, DRAFT,     405,   405,     405,  405,     405,     405,     405),
    ("aspiration_status",   GET,  DRAFT,     OK,    OK,      OK,   OK,      OK,      OK,      OK),
    ("aspiration_status",   POST, DRAFT,     405,   405,     405,  405,     405,     405,     405),
    # The cascade: everyone signed in; "other" sees the tree without A's activity, whose own
    # page is then a 404 to them. Read-only: no POST.
    ("cascade",             GET,  DRAFT,     LOGIN, OK,      OK,   OK,      OK,      OK,      OK),
    ("cascade",             POST, DRAFT,     405,   405,     405,  405,     405,     405,     405),
    ("cascade_activity",    GET,  DRAFT,     LOGIN, OK,      404,  OK,      OK,      404,     OK),
    ("cascade_activity",    GET,  APPROVED,  LOGIN, OK,      404,  OK,      OK,      404,     OK),
    ("cascade_activity",    POST, DRAFT,     405,   405,     405,  405,     405,     405,     405),
    ("public_cascade",      GET,  DRAFT,     OK,    OK,      OK,   OK,      OK,      OK,      OK),
    ("public_cascade",      POST, DRAFT,     405,   405,     405,  405,     405,     405,     405),
]
# fmt: on

CELLS = [
    pytest.param(name, method, state, role, expected, id=f"{name}-{method}-{state}-{role}")
    for name, method, state, *outcomes in MATRIX
    for role, expected in zip(ROLES, outcomes, strict=True)
]


@pytest.fixture
def world() -> World:
    return build_world()


def _delete_empty_program(w: World) -> tuple[str, dict[str, Any]]:
    """A program with activities cannot be deleted: give the request an empty one."""
    program = ProgramFactory(work_plan=w.plan_a)
    return _url("program_delete", w.plan_a.pk, program.pk), {"seen_version": program.version}


Request = Callable[[World], tuple[str, dict[str, Any]]]


def _replace_list(w: World) -> tuple[str, dict[str, Any]]:
    """A new file for an activity that has a list already: the old one is replaced."""
    beneficiary_list(w)
    url = _url("beneficiary_upload", w.plan_a.pk, w.activity_a.pk)
    return url, {"file": beneficiary_file(w, first=10), "seen_version": w.activity_a.version}


def _delete_list(w: World) -> tuple[str, dict[str, Any]]:
    """Only a list can be deleted: give the activity one first."""
    beneficiary_list(w)
    url = _url("beneficiary_delete", w.plan_a.pk, w.activity_a.pk)
    return url, {"seen_version": w.activity_a.version, "confirm": "1"}


def _aspiration_status(w: World) -> tuple[str, dict[str, Any]]:
    aspiration = AspirationFactory(region=w.opd_a.region, kelurahan=w.kelurahan)
    return reverse("aspirations:public_detail", args=[aspiration.reference]), {}


# For each request of the matrix: its URL name, and the URL and POST data it sends.
REQUESTS: dict[str, tuple[str, Request]] = {
    "home": ("home", lambda w: (_url("home"), {})),
    "work_plans": ("work_plans", lambda w: (_url("work_plans"), {})),
    "work_plan_create": (
        "work_plan_create",
        lambda w: (_url("work_plan_create"), {"opd": w.opd_a.pk, "year": 2019}),
    ),
    "create_year_taken": (
        "work_plan_create",
        lambda w: (_url("work_plan_create"), {"opd": w.opd_a.pk, "year": 2018}),
    ),
    "deadline": (
        "deadline",
        lambda w: (_url("deadline"), {"year": 2018, "due_date": "2018-03-31"}),
    ),
    "work_plan": ("work_plan", lambda w: (_url("work_plan", w.plan_a.pk), {})),
    "work_plan_history": (
        "work_plan_history",
        lambda w: (_url("work_plan_history", w.plan_a.pk), {}),
    ),
    "work_plan_submit": (
        "work_plan_submit",
        lambda w: (
            _url("work_plan_submit", w.plan_a.pk),
            {"seen_version": w.plan_a.version, "confirm": "1"},
        ),
    ),
    "work_plan_approve": (
        "work_plan_approve",
        lambda w: (
            _url("work_plan_approve", w.plan_a.pk),
            {"seen_version": w.plan_a.version, "confirm": "1"},
        ),
    ),
    "work_plan_return": (
        "work_plan_return",
        lambda w: (
            _url("work_plan_return", w.plan_a.pk),
            {"seen_version": w.plan_a.version, "comment": "Lengkapi sasaran kegiatan."},
        ),
    ),
    "work_plan_reopen": (
        "work_plan_reopen",
        lambda w: (
            _url("work_plan_reopen", w.plan_a.pk),
            {"seen_version": w.plan_a.version, "reason": "Perubahan anggaran."},
        ),
    ),
    "program_add": (
        "program_add",
        lambda w: (
            _url("program_add", w.plan_a.pk),
            {"code": "1.06.09", "name": "Program Pemberdayaan Sosial", "outcome_indicator": ""},
        ),
    ),
    "program_edit": (
        "program_edit",
        lambda w: (
            _url("program_edit", w.plan_a.pk, w.program_a.pk),
            {
                "code": w.program_a.code,
                "name": "Program Perlindungan Sosial (diubah)",
                "outcome_indicator": "",
                "seen_version": w.program_a.version,
            },
        ),
    ),
    "program_delete": ("program_delete", _delete_empty_program),
    "activity_add": (
        "activity_add",
        lambda w: (_url("activity_add", w.plan_a.pk), activity_data(w)),
    ),
    "activity_edit": (
        "activity_edit",
        lambda w: (
            _url("activity_edit", w.plan_a.pk, w.activity_a.pk),
            activity_data(w, w.activity_a),
        ),
    ),
    "activity_delete": (
        "activity_delete",
        lambda w: (
            _url("activity_delete", w.plan_a.pk, w.activity_a.pk),
            {"seen_version": w.activity_a.version},
        ),
    ),
    "realisation": (
        "realisation",
        lambda w: (_url("realisation", w.plan_a.pk, w.activity_a.pk), realisation_data(w)),
    ),
    "beneficiary_upload": (
        "beneficiary_upload",
        lambda w: (
            _url("beneficiary_upload", w.plan_a.pk, w.activity_a.pk),
            {"file": beneficiary_file(w), "seen_version": w.activity_a.version},
        ),
    ),
    "list_replace": ("beneficiary_upload", _replace_list),
    "beneficiary_delete": ("beneficiary_delete", _delete_list),
    "template_xlsx": (
        "beneficiary_template_xlsx",
        lambda w: (_url("beneficiary_template_xlsx", w.plan_a.pk), {}),
    ),
    "template_csv": (
        "beneficiary_template_csv",
        lambda w: (_url("beneficiary_template_csv", w.plan_a.pk), {}),
    ),
    "aspiration_lookup": (
        "aspirations:public_lookup",
        lambda w: (reverse("aspirations:public_lookup"), {}),
    ),
    "aspiration_status": ("aspirations:public_detail", _aspiration_status),
    "cascade": ("cascade:cascade", lambda w: (reverse("cascade:cascade"), {})),
    "public_cascade": ("cascade:public", lambda w: (reverse("cascade:public"), {})),
    "cascade_activity": (
        "cascade:activity",
        lambda w: (reverse("cascade:activity", args=[w.activity_a.pk]), {}),
    ),
}


# --- the matrix ----------------------------------------------------------------------------------


def test_the_matrix_covers_every_view() -> None:
    names = {pattern.name for pattern in opd_urls.urlpatterns} | {"home"}
    # The staff's aspiration pages have their own matrix (tests/aspirations): here the public ones.
    names |= {
        f"aspirations:{pattern.name}"
        for pattern in aspiration_urls.urlpatterns
        if str(pattern.name).startswith("public_")
    }
    names |= {f"cascade:{pattern.name}" for pattern in cascade_urls.urlpatterns}
    in_matrix = {REQUESTS[row[0]][0] for row in MATRIX}
    assert in_matrix == names
    assert {row[0] for row in MATRIX} == set(REQUESTS)


def error_messages(response: Any) -> list[str]:
    return [
        str(m) for m in messages.get_messages(response.wsgi_request) if m.level == messages.ERROR
    ]


@pytest.mark.parametrize(("name", "method", "state", "role", "expected"), CELLS)
def test_permission_matrix(
    world: World, name: str, method: str, state: str, role: str, expected: Any
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
