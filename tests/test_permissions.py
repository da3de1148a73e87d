"""Who may open and post to which page: the permission matrix, then tampering.

Every cell of the matrix signs in as one role and sends one request about OPD A's
2018 work plan, in the state named by the row:

- ``anonymous``: nobody signed in;
- ``member``: head of OPD A, the plan's own OPD;
- ``other``: head of OPD B, same region; A's plan must stay invisible to them;
- ``reviewer``: Bappeda (group "Peninjau Bappeda" with ``opd.review_workplan``);
- ``admin``: a superuser without OPD membership. A superuser has every permission,
  so the admin reviews like Bappeda and, being no OPD's member, edits nothing.

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
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opd import models as om
from opd.workplans import urls as opd_urls
from tests.factories import (
    ActivityFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    KelurahanFactory,
    MembershipFactory,
    OpdFactory,
    PlanFactory,
    ProgramFactory,
    RegionFactory,
    UserFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "other", "reviewer", "admin")
GET, POST = "GET", "POST"
LOGIN, OK, DONE, REFUSED = "LOGIN", 200, "DONE", "REFUSED"
DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"

# fmt: off
#    request                verb  state      anon   member   other reviewer admin
MATRIX: list[tuple[str, str, str, Any, Any, Any, Any, Any]] = [
    ("home",                GET,  DRAFT,     OK,    OK,      OK,   OK,      OK),
    ("work_plans",          GET,  DRAFT,     LOGIN, OK,      OK,   OK,      OK),
    ("work_plans",          POST, DRAFT,     LOGIN, 405,     405,  405,     405),
    # Starting a plan: "other" names OPD A, which they cannot see (404);
    # Bappeda sees OPD A but does not start its plans (403).
    ("work_plan_create",    GET,  DRAFT,     LOGIN, 405,     405,  405,     405),
    ("work_plan_create",    POST, DRAFT,     LOGIN, DONE,    404,  403,     403),
    ("create_year_taken",   POST, DRAFT,     LOGIN, REFUSED, 404,  403,     403),
    ("deadline",            GET,  DRAFT,     LOGIN, 403,     403,  OK,      OK),
    ("deadline",            POST, DRAFT,     LOGIN, 403,     403,  DONE,    DONE),
    ("work_plan",           GET,  DRAFT,     LOGIN, OK,      404,  OK,      OK),
    ("work_plan",           GET,  APPROVED,  LOGIN, OK,      404,  OK,      OK),
    ("work_plan",           POST, DRAFT,     LOGIN, 405,     405,  405,     405),
    ("work_plan_history",   GET,  SUBMITTED, LOGIN, OK,      404,  OK,      OK),
    ("work_plan_history",   POST, SUBMITTED, LOGIN, 405,     405,  405,     405),
    # Submitting: the OPD's own members, from draft or returned only.
    ("work_plan_submit",    GET,  DRAFT,     LOGIN, 405,     405,  405,     405),
    ("work_plan_submit",    POST, DRAFT,     LOGIN, DONE,    404,  403,     403),
    ("work_plan_submit",    POST, RETURNED,  LOGIN, DONE,    404,  403,     403),
    ("work_plan_submit",    POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403),
    ("work_plan_submit",    POST, APPROVED,  LOGIN, REFUSED, 404,  403,     403),
    # Reviewing: Bappeda, a submitted plan only.
    ("work_plan_approve",   GET,  SUBMITTED, LOGIN, 405,     405,  405,     405),
    ("work_plan_approve",   POST, SUBMITTED, LOGIN, 403,     404,  DONE,    DONE),
    ("work_plan_approve",   POST, DRAFT,     LOGIN, 403,     404,  REFUSED, REFUSED),
    ("work_plan_approve",   POST, APPROVED,  LOGIN, 403,     404,  REFUSED, REFUSED),
    ("work_plan_return",    GET,  SUBMITTED, LOGIN, 403,     404,  OK,      OK),
    ("work_plan_return",    GET,  DRAFT,     LOGIN, 403,     404,  REFUSED, REFUSED),
    ("work_plan_return",    POST, SUBMITTED, LOGIN, 403,     404,  DONE,    DONE),
    ("work_plan_return",    POST, RETURNED,  LOGIN, 403,     404,  REFUSED, REFUSED),
    ("work_plan_return",    POST, APPROVED,  LOGIN, 403,     404,  REFUSED, REFUSED),
    # Reopening: Bappeda, an approved plan only.
    ("work_plan_reopen",    GET,  APPROVED,  LOGIN, 403,     404,  OK,      OK),
    ("work_plan_reopen",    GET,  SUBMITTED, LOGIN, 403,     404,  REFUSED, REFUSED),
    ("work_plan_reopen",    POST, APPROVED,  LOGIN, 403,     404,  DONE,    DONE),
    ("work_plan_reopen",    POST, SUBMITTED, LOGIN, 403,     404,  REFUSED, REFUSED),
    ("work_plan_reopen",    POST, DRAFT,     LOGIN, 403,     404,  REFUSED, REFUSED),
    # Editing: the OPD's own members, while draft or returned. A locked plan offers no editor.
    ("program_add",         GET,  DRAFT,     LOGIN, OK,      404,  403,     403),
    ("program_add",         GET,  SUBMITTED, LOGIN, REFUSED, 404,  403,     403),
    ("program_add",         POST, DRAFT,     LOGIN, DONE,    404,  403,     403),
    ("program_add",         POST, RETURNED,  LOGIN, DONE,    404,  403,     403),
    ("program_add",         POST, APPROVED,  LOGIN, REFUSED, 404,  403,     403),
    ("program_edit",        GET,  RETURNED,  LOGIN, OK,      404,  403,     403),
    ("program_edit",        GET,  APPROVED,  LOGIN, REFUSED, 404,  403,     403),
    ("program_edit",        POST, DRAFT,     LOGIN, DONE,    404,  403,     403),
    ("program_edit",        POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403),
    ("program_delete",      GET,  DRAFT,     LOGIN, 405,     405,  405,     405),
    ("program_delete",      POST, DRAFT,     LOGIN, DONE,    404,  403,     403),
    ("program_delete",      POST, APPROVED,  LOGIN, REFUSED, 404,  403,     403),
    ("activity_add",        GET,  DRAFT,     LOGIN, OK,      404,  403,     403),
    ("activity_add",        GET,  APPROVED,  LOGIN, REFUSED, 404,  403,     403),
    ("activity_add",        POST, DRAFT,     LOGIN, DONE,    404,  403,     403),
    ("activity_add",        POST, RETURNED,  LOGIN, DONE,    404,  403,     403),
    ("activity_add",        POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403),
    ("activity_edit",       GET,  DRAFT,     LOGIN, OK,      404,  403,     403),
    ("activity_edit",       GET,  SUBMITTED, LOGIN, REFUSED, 404,  403,     403),
    ("activity_edit",       POST, RETURNED,  LOGIN, DONE,    404,  403,     403),
    ("activity_edit",       POST, APPROVED,  LOGIN, REFUSED, 404,  403,     403),
    ("activity_delete",     GET,  DRAFT,     LOGIN, 405,     405,  405,     405),
    ("activity_delete",     POST, DRAFT,     LOGIN, DONE,    404,  403,     403),
    ("activity_delete",     POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403),
    # Realisation: everyone who sees the plan reads it; its members report, on an approved plan.
    ("realisation",         GET,  APPROVED,  LOGIN, OK,      404,  OK,      OK),
    ("realisation",         GET,  DRAFT,     LOGIN, OK,      404,  OK,      OK),
    ("realisation",         POST, APPROVED,  LOGIN, DONE,    404,  403,     403),
    ("realisation",         POST, DRAFT,     LOGIN, REFUSED, 404,  403,     403),
    ("realisation",         POST, SUBMITTED, LOGIN, REFUSED, 404,  403,     403),
    ("realisation",         POST, RETURNED,  LOGIN, REFUSED, 404,  403,     403),
]
# fmt: on

CELLS = [
    pytest.param(name, method, state, role, expected, id=f"{name}-{method}-{state}-{role}")
    for name, method, state, *outcomes in MATRIX
    for role, expected in zip(ROLES, outcomes, strict=True)
]

# Rows a refused request must leave alone.
WATCHED = (
    om.WorkPlan,
    om.Program,
    om.Activity,
    om.ExpectedContribution,
    om.Realisation,
    om.AchievedContribution,
    om.AuditEntry,
    om.ReviewComment,
    om.SubmissionDeadline,
)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}


# --- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, Any]
    opd_a: om.Opd
    opd_b: om.Opd
    plan_a: om.WorkPlan
    program_a: om.Program
    activity_a: om.Activity
    plan_b: om.WorkPlan
    program_b: om.Program
    activity_b: om.Activity
    indicator: Any
    kelurahan: Any

    def client(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def set_status(self, status: str) -> None:
        om.WorkPlan.objects.filter(pk=self.plan_a.pk).update(
            status=status, submitted_at=None if status == DRAFT else timezone.now()
        )
        self.plan_a.refresh_from_db()


def _complete_activity(program: om.Program, kelurahan: Any, indicator: Any) -> om.Activity:
    """An activity that passes the checklist, contributing to the plan's indicator."""
    activity = ActivityFactory(program=program, kelurahan=kelurahan)
    ExpectedContributionFactory(activity=activity, indicator=indicator, amount=Decimal(120))
    return activity


@pytest.fixture
def world() -> World:
    region = RegionFactory(code=settings.DEFAULT_REGION_CODE, name="Kota Magelang")
    rpjmd = PlanFactory(region=region)
    indicator = IndicatorFactory(plan=rpjmd)
    kelurahan = KelurahanFactory(kecamatan__region=region)
    opd_a = OpdFactory(region=region, code="1.06", name="Dinas Sosial")
    opd_b = OpdFactory(region=region, code="2.07", name="Dinas Tenaga Kerja")

    member = MembershipFactory(opd=opd_a, user__username="kepala.a").user
    other = MembershipFactory(opd=opd_b, user__username="kepala.b").user
    reviewer = UserFactory(username="bappeda")
    group, _ = Group.objects.get_or_create(name="Peninjau Bappeda")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="opd", codename="review_workplan")
    )
    reviewer.groups.add(group)
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)

    plan_a = WorkPlanFactory(opd=opd_a, plan=rpjmd, year=2018)
    program_a = ProgramFactory(work_plan=plan_a)
    activity_a = _complete_activity(program_a, kelurahan, indicator)
    plan_b = WorkPlanFactory(opd=opd_b, plan=rpjmd, year=2018)
    program_b = ProgramFactory(work_plan=plan_b)
    activity_b = _complete_activity(program_b, kelurahan, indicator)
    return World(
        users={
            "anonymous": None,
            "member": member,
            "other": other,
            "reviewer": reviewer,
            "admin": admin,
        },
        opd_a=opd_a,
        opd_b=opd_b,
        plan_a=plan_a,
        program_a=program_a,
        activity_a=activity_a,
        plan_b=plan_b,
        program_b=program_b,
        activity_b=activity_b,
        indicator=indicator,
        kelurahan=kelurahan,
    )


# --- what each request sends ---------------------------------------------------------------------


def activity_data(
    w: World, activity: om.Activity | None = None, **overrides: Any
) -> dict[str, Any]:
    """A complete, valid activity form for A's plan (a new activity unless one is given)."""
    data = {
        "program": w.program_a.pk,
        "code": activity.code if activity else "1.06.01.900",
        "name": "Pelatihan keterampilan kerja",
        "output_indicator": "Warga miskin terlatih",
        "output_target": "40",
        "output_unit": "orang",
        "budget": "150000000",
        "funding_source": om.Activity.FundingSource.APBD_KOTA,
        "kelurahan": w.kelurahan.pk,
        "target_group": "Warga miskin usia kerja",
        "next_year_target": "",
        "next_year_budget": "",
        "notes": "",
        f"contribution_{w.indicator.pk}": "30",
    }
    if activity is not None:
        data["seen_version"] = activity.version
    data.update(overrides)
    return data


def realisation_data(w: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "quarter": 1,
        "budget_spent": "50000000",
        "output_achieved": "10",
        "notes": "",
        f"contribution_{w.indicator.pk}": "12",
    }
    data.update(overrides)
    return data


def _url(name: str, *args: int) -> str:
    return reverse(name if name == "home" else f"opd:{name}", args=args)


def _delete_empty_program(w: World) -> tuple[str, dict[str, Any]]:
    """A program with activities cannot be deleted: give the request an empty one."""
    program = ProgramFactory(work_plan=w.plan_a)
    return _url("program_delete", w.plan_a.pk, program.pk), {"seen_version": program.version}


Request = Callable[[World], tuple[str, dict[str, Any]]]

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
}


# --- the matrix ----------------------------------------------------------------------------------


def test_the_matrix_covers_every_view() -> None:
    names = {pattern.name for pattern in opd_urls.urlpatterns} | {"home"}
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


# --- tampering: member of A, posting into or through A's plan --------------------------------------


@pytest.fixture
def member(world: World) -> Client:
    return world.client("member")


def assert_refused_unchanged(
    client: Client, url: str, data: dict[str, Any] | None, status: int
) -> Any:
    before = snapshot()
    response = client.post(url, data or {}) if data is not None else client.get(url)
    assert response.status_code == status
    assert snapshot() == before
    return response


def test_an_activity_cannot_move_into_another_plans_program(world: World, member: Client) -> None:
    stranger = world.program_b.pk
    assert_refused_unchanged(
        member,
        _url("activity_add", world.plan_a.pk),
        activity_data(world, program=stranger),
        422,
    )
    response = assert_refused_unchanged(
        member,
        _url("activity_edit", world.plan_a.pk, world.activity_a.pk),
        activity_data(world, world.activity_a, program=stranger),
        422,
    )
    assert "program" in response.context["form"].errors


def test_an_activity_cannot_be_placed_in_another_regions_kelurahan(
    world: World, member: Client
) -> None:
    elsewhere = KelurahanFactory()  # a kelurahan of a new region
    assert elsewhere.kecamatan.region_id != world.opd_a.region_id
    assert_refused_unchanged(
        member,
        _url("activity_add", world.plan_a.pk),
        activity_data(world, kelurahan=elsewhere.pk),
        422,
    )
    response = assert_refused_unchanged(
        member,
        _url("activity_edit", world.plan_a.pk, world.activity_a.pk),
        activity_data(world, world.activity_a, kelurahan=elsewhere.pk),
        422,
    )
    assert "kelurahan" in response.context["form"].errors


def test_no_contribution_to_an_indicator_of_another_plan(world: World, member: Client) -> None:
    foreign = IndicatorFactory()  # an indicator of another RPJMD plan
    tampered = {f"contribution_{foreign.pk}": "500"}
    assert_refused_unchanged(
        member,
        _url("activity_add", world.plan_a.pk),
        activity_data(world, **tampered),
        422,
    )
    response = assert_refused_unchanged(
        member,
        _url("activity_edit", world.plan_a.pk, world.activity_a.pk),
        activity_data(world, world.activity_a, **tampered),
        422,
    )
    assert response.context["form"].non_field_errors()
    world.set_status(APPROVED)
    assert_refused_unchanged(
        member,
        _url("realisation", world.plan_a.pk, world.activity_a.pk),
        realisation_data(world, **tampered),
        422,
    )


def test_rows_of_another_plan_are_not_reachable_through_ones_own(
    world: World, member: Client
) -> None:
    a, b_activity, b_program = world.plan_a.pk, world.activity_b.pk, world.program_b.pk
    empty_b = ProgramFactory(work_plan=world.plan_b)
    for url in (
        _url("activity_edit", a, b_activity),
        _url("program_edit", a, b_program),
        _url("realisation", a, b_activity),
    ):
        assert_refused_unchanged(member, url, None, 404)  # GET
    cases = [
        (_url("activity_edit", a, b_activity), activity_data(world, world.activity_b)),
        (_url("activity_delete", a, b_activity), {"seen_version": world.activity_b.version}),
        (
            _url("program_edit", a, b_program),
            {"code": "X", "name": "Dibajak", "seen_version": world.program_b.version},
        ),
        (_url("program_delete", a, empty_b.pk), {"seen_version": empty_b.version}),
    ]
    for url, data in cases:
        assert_refused_unchanged(member, url, data, 404)
    world.set_status(APPROVED)
    om.WorkPlan.objects.filter(pk=world.plan_b.pk).update(
        status=APPROVED, submitted_at=timezone.now()
    )
    assert_refused_unchanged(
        member, _url("realisation", a, b_activity), realisation_data(world), 404
    )


def test_another_opds_plan_cannot_be_submitted_reviewed_or_reopened(world: World) -> None:
    """A member of A acting on B's plan: 404 for every action, whatever B's state."""
    member = world.client("member")
    b = world.plan_b
    for status, action, extra, on_get in (
        (DRAFT, "work_plan_submit", {}, 405),  # POST-only: the method is checked first
        (SUBMITTED, "work_plan_approve", {}, 405),
        (SUBMITTED, "work_plan_return", {"comment": "Dikembalikan."}, 404),
        (APPROVED, "work_plan_reopen", {"reason": "Dibuka."}, 404),
    ):
        om.WorkPlan.objects.filter(pk=b.pk).update(
            status=status, submitted_at=None if status == DRAFT else timezone.now()
        )
        b.refresh_from_db()
        data = {"seen_version": b.version, **extra}
        assert_refused_unchanged(member, _url(action, b.pk), data, 404)
        assert_refused_unchanged(member, _url(action, b.pk), None, on_get)


def test_a_plan_cannot_be_started_for_another_opd(world: World, member: Client) -> None:
    url = _url("work_plan_create")
    assert_refused_unchanged(member, url, {"opd": world.opd_b.pk, "year": 2019}, 404)
    assert_refused_unchanged(member, url, {"opd": "1 OR 1=1", "year": 2019}, 404)
    assert_refused_unchanged(member, url, {"year": 2019}, 404)


def test_a_work_plan_field_does_not_redirect_a_new_program(world: World, member: Client) -> None:
    """Fields the form does not know are ignored: the program lands in the URL's plan."""
    b_rows = list(om.Program.objects.filter(work_plan=world.plan_b).values())
    response = member.post(
        _url("program_add", world.plan_a.pk),
        {"code": "9.99", "name": "Program Titipan", "work_plan": world.plan_b.pk},
    )
    assert response.status_code == 302
    assert om.Program.objects.get(code="9.99").work_plan_id == world.plan_a.pk
    assert list(om.Program.objects.filter(work_plan=world.plan_b).values()) == b_rows


def test_a_return_comment_cannot_land_on_another_plans_activity(world: World) -> None:
    world.set_status(SUBMITTED)
    reviewer = world.client("reviewer")
    response = reviewer.post(
        _url("work_plan_return", world.plan_a.pk),
        {
            "seen_version": world.plan_a.version,
            "comment": "Perbaiki.",
            f"activity_{world.activity_b.pk}": "Komentar nyasar.",
        },
    )
    assert response.status_code == 302
    assert not om.ReviewComment.objects.filter(activity=world.activity_b).exists()
    assert om.ReviewComment.objects.filter(work_plan=world.plan_b).count() == 0


def test_a_refusal_over_htmx_swaps_the_plan_body_with_409(world: World, member: Client) -> None:
    world.set_status(APPROVED)
    before = snapshot()
    response = member.post(
        _url("activity_delete", world.plan_a.pk, world.activity_a.pk),
        {"seen_version": world.activity_a.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#plan-body"
    assert snapshot() == before
