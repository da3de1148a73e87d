"""The Renstra's write services: the workflow, the checklist, stale versions, the audit trail,
who may do what (the OPD's member, another OPD's member, a Bappeda reviewer), and the read that
prefills a Renja, in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from opd import models as om
from opd.errors import ChecklistFailed, StaleEdit, WorkflowError
from opd.renstra import services
from tests import factories as f
from tests.workplans.plan_world import member, reviewer

pytestmark = pytest.mark.django_db

PERIOD = range(2016, 2022)  # PlanFactory's plan


def full_years(target: str = "100", budget: str = "1000000") -> dict[int, tuple[Decimal, Decimal]]:
    return {year: (Decimal(target), Decimal(budget)) for year in PERIOD}


class World:
    def __init__(self) -> None:
        self.opd = f.OpdFactory(code="1.06", name="Dinas Sosial")
        self.plan = f.PlanFactory(region=self.opd.region)
        self.head = member(self.opd)
        self.outsider = member(f.OpdFactory(region=self.opd.region))
        self.reviewer = reviewer(region=self.opd.region)
        self.renstra = services.renstra_create(opd=self.opd, plan=self.plan, by=self.head)

    def program(self, code: str = "1.06.01", **years: Any) -> om.RenstraProgram:
        return services.renstra_program_save(
            renstra_id=self.renstra.pk,
            by=self.head,
            values={"code": code, "name": "Program Perlindungan Sosial", "outcome_unit": "KK"},
            years=years.get("years", full_years()),
        )

    def activity(
        self, program: om.RenstraProgram, code: str = "1.06.01.001", by: Any = None
    ) -> Any:
        return services.renstra_activity_save(
            renstra_id=self.renstra.pk,
            by=by or self.head,
            values={"program": program, "code": code, "name": "Bantuan sosial"},
            years={year: Decimal("10") for year in PERIOD},
        )

    def version(self) -> int:
        return om.Renstra.objects.values_list("version", flat=True).get(pk=self.renstra.pk)

    def submit(self, by: Any = None) -> om.Renstra:
        return services.renstra_submit(
            renstra_id=self.renstra.pk, by=by or self.head, seen_version=self.version()
        )


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world() -> World:
    return World()


def state() -> dict[str, list[dict[str, Any]]]:
    models = (om.Renstra, om.RenstraProgram, om.RenstraProgramYear, om.RenstraActivity)
    return {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (*models, om.RenstraActivityYear, om.RenstraAuditEntry)
    }


def trail(world: World) -> list[tuple[str, str]]:
    rows = om.RenstraAuditEntry.objects.filter(renstra=world.renstra).order_by("at", "pk")
    return [(row.action, row.object_type) for row in rows]


def test_only_a_member_of_the_opd_starts_its_renstra_once_for_its_regions_plan(world):
    other = f.OpdFactory(region=world.opd.region)
    with pytest.raises(PermissionDenied):
        services.renstra_create(opd=other, plan=world.plan, by=world.head)
    with pytest.raises(WorkflowError, match="already has a Renstra"):
        services.renstra_create(opd=world.opd, plan=world.plan, by=world.head)
    with pytest.raises(WorkflowError, match="not one of the OPD's region"):
        services.renstra_create(opd=world.opd, plan=f.PlanFactory(), by=world.head)
    assert world.renstra.status == om.Renstra.Status.DRAFT
    assert trail(world) == [("create", "renstra")]


def test_a_program_is_saved_with_its_years_and_audited(world):
    program = world.program()
    rows = {y.year: (y.target, y.budget) for y in program.years.all()}
    assert rows == full_years()
    entry = om.RenstraAuditEntry.objects.get(object_type="renstraprogram")
    assert entry.action == "create"
    assert entry.changes["budget:2018"] == {"old": None, "new": "1000000"}
    assert entry.renstra_version == world.version() == 2  # the Renstra's version was raised


def test_a_year_outside_the_period_changes_nothing(world):
    before = state()
    with pytest.raises(WorkflowError, match="2022 is outside"):
        world.program(years={2018: (Decimal(1), Decimal(1)), 2022: (Decimal(1), Decimal(1))})
    assert state() == before


def test_a_missing_or_repeated_code_is_refused_clearly(world):
    program = world.program(code="1.06.01")
    world.activity(program, code="1.06.01.001")
    before = state()
    with pytest.raises(WorkflowError, match=r"already has the code 1\.06\.01\."):
        world.program(code="1.06.01")
    with pytest.raises(WorkflowError, match="a code"):
        world.program(code="  ")
    with pytest.raises(WorkflowError, match=r"already has the code 1\.06\.01\.001\."):
        world.activity(program, code="1.06.01.001")
    assert state() == before
    assert world.activity(world.program(code="1.06.02"), code="1.06.01.001").pk  # another parent


def test_an_indicator_of_another_plan_is_refused(world):
    before = state()
    with pytest.raises(WorkflowError, match="indicator"):
        services.renstra_program_save(
            renstra_id=world.renstra.pk,
            by=world.head,
            values={"code": "1.06.01", "name": "P", "indicator": f.IndicatorFactory()},
            years={},
        )
    assert state() == before


def test_a_stale_edit_is_refused_with_the_changes_since(world):
    program = world.program()
    seen = program.version
    values = {"code": "1.06.01", "name": "Nama baru", "outcome_unit": "KK"}
    kwargs = {"renstra_id": world.renstra.pk, "by": world.head, "program_id": program.pk}
    services.renstra_program_save(**kwargs, values=values, years={}, seen_version=seen)
    before = state()
    with pytest.raises(StaleEdit) as caught:
        services.renstra_program_save(
            **kwargs, values={**values, "name": "Lain"}, years={}, seen_version=seen
        )
    assert caught.value.current_version == seen + 1
    assert [entry.changes["name"]["new"] for entry in caught.value.changes] == ["Nama baru"]
    assert state() == before


def test_an_unchanged_save_raises_no_version_and_writes_no_entry(world):
    program = world.program()
    before = state()
    services.renstra_program_save(
        renstra_id=world.renstra.pk,
        by=world.head,
        program_id=program.pk,
        values={"code": program.code, "name": program.name, "outcome_unit": "KK"},
        years={2018: (Decimal("100"), Decimal("1000000"))},
        seen_version=program.version,
    )
    assert state() == before


def test_an_activity_must_sit_under_a_program_of_the_same_renstra(world):
    strange = World().program()
    before = state()
    with pytest.raises(PermissionDenied):
        world.activity(strange)
    assert state() == before


def test_the_checklist_refuses_missing_years_then_the_workflow_runs(world):
    with pytest.raises(ChecklistFailed) as caught:
        world.submit()
    assert [p.code for p in caught.value.problems] == ["no_programs"]
    years = full_years()
    years[2019] = (Decimal("5"), None)  # a target without a budget
    del years[2021]
    program = world.program(years=years)
    activity = world.activity(program)
    with pytest.raises(ChecklistFailed) as caught:
        world.submit()
    assert [(p.code, p.message) for p in caught.value.problems] == [
        ("program_year", "1.06.01 has no target or budget for 2019."),
        ("program_year", "1.06.01 has no target or budget for 2021."),
    ]
    assert world.renstra.status == om.Renstra.Status.DRAFT
    services.renstra_program_save(
        renstra_id=world.renstra.pk,
        by=world.head,
        program_id=program.pk,
        values={},
        years=full_years(),
        seen_version=program.version,
    )
    submitted = world.submit()
    assert submitted.status == om.Renstra.Status.SUBMITTED and submitted.submitted_at

    # Submitted: no more edits, by anyone.
    with pytest.raises(WorkflowError, match="submitted and cannot be changed"):
        world.activity(program, code="1.06.01.002")
    with pytest.raises(WorkflowError, match="submitted and cannot be changed"):
        world.submit()  # twice
    with pytest.raises(WorkflowError, match="comment is required"):
        services.renstra_return(
            renstra_id=world.renstra.pk,
            by=world.reviewer,
            seen_version=world.version(),
            comment=" ",
        )
    services.renstra_return(
        renstra_id=world.renstra.pk,
        by=world.reviewer,
        seen_version=world.version(),
        comment="Target 2020 terlalu rendah",
    )
    # Returned: editable again, then submitted and approved.
    world.activity(program, code="1.06.01.002")
    world.submit()
    approved = services.renstra_approve(
        renstra_id=world.renstra.pk, by=world.reviewer, seen_version=world.version()
    )
    assert approved.status == om.Renstra.Status.APPROVED and approved.reviewed_by == world.reviewer
    before = state()
    with pytest.raises(WorkflowError, match="approved and cannot be changed"):
        services.renstra_activity_save(
            renstra_id=world.renstra.pk,
            by=world.head,
            activity_id=activity.pk,
            values={"name": "Lain"},
            years={},
            seen_version=activity.version,
        )
    with pytest.raises(WorkflowError):
        world.submit()
    assert state() == before
    actions = [action for action, kind in trail(world) if kind == "renstra"]
    assert actions == ["create", "submit", "return", "submit", "approve"]
    note = om.RenstraAuditEntry.objects.get(renstra=world.renstra, action="return").note
    assert note == "Target 2020 terlalu rendah"


def test_a_stale_review_is_refused(world):
    world.program()
    world.submit()
    stale = world.version() - 1
    before = state()
    with pytest.raises(StaleEdit):
        services.renstra_approve(renstra_id=world.renstra.pk, by=world.reviewer, seen_version=stale)
    assert state() == before


def test_who_may_do_what(world):
    program = world.program()
    before = state()
    for person in (world.outsider, world.reviewer):
        with pytest.raises(PermissionDenied):
            world.activity(program, by=person)
        with pytest.raises(PermissionDenied):
            world.submit(by=person)
    assert state() == before
    world.submit()
    for person in (world.head, world.outsider):
        with pytest.raises(PermissionDenied):
            services.renstra_approve(
                renstra_id=world.renstra.pk, by=person, seen_version=world.version()
            )
        with pytest.raises(PermissionDenied):
            services.renstra_return(
                renstra_id=world.renstra.pk, by=person, seen_version=world.version(), comment="x"
            )
    assert services.can_review(world.reviewer, world.renstra) is False  # the stale copy: a draft
    world.renstra.refresh_from_db()
    assert services.can_review(world.reviewer, world.renstra)
    assert not services.can_edit(world.head, world.renstra)


@pytest.mark.parametrize("programs", [1, 5])
def test_renja_lines_for_a_year_in_four_queries(world, programs):
    for n in range(programs):
        years = {year: (Decimal(n + year - 2000), Decimal(1000 * year)) for year in PERIOD}
        program = world.program(code=f"1.06.{n + 1:02d}", years=years)
        for m in range(2):
            world.activity(program, code=f"1.06.{n + 1:02d}.00{m + 1}")
    with CaptureQueriesContext(connection) as queries:
        lines = services.renja_lines_for_year(world.renstra, 2018)
        codes = [(line.program.code, [a.activity.code for a in line.activities]) for line in lines]
    assert len(queries) == 4
    assert codes[0] == ("1.06.01", ["1.06.01.001", "1.06.01.002"])
    assert len(codes) == programs
    first = lines[0]
    assert (first.target, first.budget) == (Decimal(18), Decimal(2018000))
    assert first.activities[0].target == Decimal(10)
    assert services.renja_lines_for_year(world.renstra, 2030)[0].budget is None
