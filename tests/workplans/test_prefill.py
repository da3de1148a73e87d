"""Starting a Renja from the Renstra: the year's figures and the links copied exactly, the trail
written, a plain empty plan when there is nothing to start from, a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from opd import models as om
from opd.seeding import load_magelang
from opd.workplans import services
from opd.workplans.history import describe_changes
from opd.workplans.services import WorkflowError
from tests.factories import OpdFactory, PlanFactory
from tests.workplans.plan_world import World, member
from tests.workplans.renstra_world import (
    activity_line,
    approved_renstra,
    program_line,
    renstra_with_lines,
)
from tests.workplans.service_checks import audit, nothing_changes

pytestmark = pytest.mark.django_db

Status = om.Renstra.Status


@pytest.fixture
def world() -> World:
    return World.build()  # a 2018 Renja of Dinas Sosial under RPJMD 2016–2021


def _start(world: World, year: int = 2019, **kwargs: object) -> services.StartedPlan:
    kwargs.setdefault("from_renstra", True)
    kwargs.setdefault("by", world.head)
    return services.work_plan_start(opd=world.work_plan.opd, year=year, **kwargs)  # type: ignore[arg-type]


def test_the_plan_takes_the_years_lines_figures_and_links(world):
    renstra = approved_renstra(world.work_plan.opd, world.work_plan.plan)
    social = program_line(renstra, "1.06.01")
    aid = activity_line(social, "1.06.01.001")
    visits = activity_line(social, "1.06.01.002", years=(2018, 2020))  # none for 2019
    jobs = program_line(renstra, "1.06.02", years=(2020,))
    training = activity_line(jobs, "1.06.02.001")

    started = _start(world)

    assert (started.renstra, started.programs, started.activities) == (renstra, 2, 3)
    work_plan = started.work_plan
    assert (work_plan.year, work_plan.status, work_plan.plan_id) == (2019, "draft", renstra.plan_id)
    programs = {p.code: p for p in om.Program.objects.filter(work_plan=work_plan)}
    assert set(programs) == {"1.06.01", "1.06.02"}
    first = programs["1.06.01"]
    assert (first.renstra_program, first.name, first.outcome_indicator, first.outcome_unit) == (
        social,
        social.name,
        social.outcome_indicator,
        social.outcome_unit,
    )
    assert first.outcome_target == Decimal(2019)  # 2019's, not 2018's nor 2020's
    second = programs["1.06.02"]
    assert (second.renstra_program, second.outcome_target) == (jobs, None)  # no 2019 row
    activities = {a.code: a for a in om.Activity.objects.filter(program__work_plan=work_plan)}
    assert set(activities) == {"1.06.01.001", "1.06.01.002", "1.06.02.001"}
    # 1.06.01's 2019 pagu, Rp 2,019,000,000, split over its two activities; 1.06.02 has none.
    for code, line, program, target, ahead, budget in (
        ("1.06.01.001", aid, first, Decimal("201.9"), Decimal("202.0"), Decimal(1_009_500_000)),
        ("1.06.01.002", visits, first, None, Decimal("202.0"), Decimal(1_009_500_000)),
        ("1.06.02.001", training, second, Decimal("201.9"), Decimal("202.0"), Decimal(0)),
    ):
        activity = activities[code]
        assert activity.renstra_activity == line and activity.program == program
        assert (activity.name, activity.output_indicator, activity.output_unit) == (
            line.name,
            line.output_indicator,
            line.output_unit,
        )
        assert activity.output_target == target
        assert activity.budget == budget
        # What the Renstra does not hold stays empty for the OPD.
        assert (activity.funding_source, activity.kelurahan, activity.target_group) == (
            "",
            None,
            "",
        )
        # The forward estimate is the line's 2020 target; the Renstra has no activity budget.
        assert (activity.next_year_target, activity.next_year_budget, activity.notes) == (
            ahead,
            None,
            "",
        )
        assert not activity.expected_contributions.exists()
    # The Renstra itself is untouched, and the year's other plan too.
    assert renstra.programs.count() == 2
    assert om.Program.objects.filter(work_plan=world.work_plan).count() == 1


def test_each_line_is_audited_as_a_creation_in_page_order(world):
    renstra = renstra_with_lines(
        world.work_plan.opd, world.work_plan.plan, programs=2, activities_each=2
    )
    started = _start(world)
    entries = audit(started.work_plan)
    assert [(e.object_type, e.object_label.split()[0]) for e in entries] == [
        ("workplan", "Renja"),
        ("program", "1.06.01"),
        ("activity", "1.06.01.001"),
        ("activity", "1.06.01.002"),
        ("program", "1.06.02"),
        ("activity", "1.06.02.001"),
        ("activity", "1.06.02.002"),
    ]
    assert {e.action for e in entries} == {"create"}
    assert {e.actor for e in entries} == {world.head}
    # Each creation raises the plan's version, as one program_create or activity_create does.
    assert [e.plan_version for e in entries] == list(range(1, 8))
    started.work_plan.refresh_from_db()
    assert started.work_plan.version == 7
    program_entry = entries[1]
    line = renstra.programs.get(code="1.06.01")
    assert program_entry.version == 1
    assert program_entry.changes["renstra_program"] == {"old": None, "new": str(line)}
    assert program_entry.changes["outcome_target"] == {"old": None, "new": "2019"}
    activity_entry = entries[2]
    assert activity_entry.changes["output_target"] == {"old": None, "new": "201.9"}
    assert activity_entry.changes["budget"] == {"old": None, "new": "1009500000"}
    assert "kelurahan" not in activity_entry.changes  # empty values are not recorded
    with translation.override("en"):
        labels = {change.field: change.label for change in describe_changes(activity_entry)}
    assert labels["renstra_activity"] == "Renstra activity"


@pytest.mark.parametrize(
    "situation",
    ["no_renstra", "draft", "submitted", "returned", "other_opd", "not_asked"],
)
def test_without_an_approved_renstra_of_its_own_the_plan_starts_empty(world, situation):
    opd, plan = world.work_plan.opd, world.work_plan.plan
    if situation in ("draft", "submitted", "returned"):
        renstra = approved_renstra(opd, plan, status=situation)
        activity_line(program_line(renstra, "1.06.01"), "1.06.01.001")
    elif situation == "other_opd":
        renstra_with_lines(OpdFactory(region=opd.region), plan, programs=1)
    elif situation == "not_asked":
        renstra_with_lines(opd, plan, programs=1)
    started = _start(world, from_renstra=situation != "not_asked")
    assert (started.renstra, started.programs, started.activities) == (None, 0, 0)
    assert not om.Program.objects.filter(work_plan=started.work_plan).exists()
    assert [e.object_type for e in audit(started.work_plan)] == ["workplan"]
    assert started.work_plan.version == 1


def test_a_year_of_another_rpjmd_does_not_take_this_renstras_lines(world):
    """The 2016–2021 Renstra does not fill a 2022 plan, which follows the next RPJMD."""
    region = world.work_plan.opd.region
    PlanFactory(region=region, name="RPJMD 2022–2026", first_year=2022, last_year=2026)
    renstra_with_lines(world.work_plan.opd, world.work_plan.plan, programs=1)
    started = _start(world, year=2022)
    assert started.work_plan.plan.first_year == 2022
    assert (started.renstra, started.programs) == (None, 0)


@pytest.mark.parametrize(
    ("who", "year", "error"),
    [
        ("outsider", 2019, PermissionDenied),
        ("reviewer", 2019, PermissionDenied),
        ("head", 2018, WorkflowError),  # the year's plan exists
        ("head", 2030, WorkflowError),  # no RPJMD covers it
    ],
)
def test_a_refused_start_writes_nothing(world, who, year, error):
    renstra_with_lines(world.work_plan.opd, world.work_plan.plan, programs=2)
    with nothing_changes(), pytest.raises(error):
        _start(world, year=year, by=getattr(world, who))


@pytest.mark.parametrize("lines", [2, 20])
def test_the_prefill_runs_a_fixed_number_of_queries(world, lines, django_assert_num_queries):
    renstra_with_lines(world.work_plan.opd, world.work_plan.plan, programs=lines)
    opd = om.Opd.objects.get(pk=world.work_plan.opd_id)
    # Two savepoints (the start, and work_plan_create inside it), membership, region, covering
    # plan, the insert in its own savepoint (3: the unique constraint decides a year taken),
    # the dirty mark (indicators, state, and its savepoint around the insert: 5), audit, two
    # releases; then the Renstra, its lines (4), next year's targets, programs, activities, the
    # version, the trail.
    with django_assert_num_queries(26):
        started = services.work_plan_start(opd=opd, year=2019, by=world.head, from_renstra=True)
    assert (started.programs, started.activities) == (lines, lines)


# --- the pages --------------------------------------------------------------------------------


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_list_offers_the_renstra_start_and_says_when_there_is_none(client, world):
    opd = world.work_plan.opd
    renstra_with_lines(opd, world.work_plan.plan, programs=1)
    bare = OpdFactory(region=opd.region, code="2.07", name="Dinas Tenaga Kerja")
    member(bare, username="kepala.disnaker")
    # The head of both OPDs sees both rows without a 2019 plan.
    om.OpdMembership.objects.create(opd=bare, user=world.head, role="head")
    client.force_login(world.head)
    html = _english(client).get(reverse("opd:work_plans"), {"tahun": 2019}).content.decode()
    row = html[html.index(f'data-opd="{opd.code}"') :]
    row = row[: row.index("</tr>")]
    assert 'name="from_renstra" value="1"' in row and " checked" in row
    assert "Start from the Renstra 2016–2021" in row
    other = html[html.index('data-opd="2.07"') :]
    other = other[: other.index("</tr>")]
    assert "from_renstra" not in other
    assert "No approved Renstra covers 2019: the plan starts empty." in other


def test_starting_from_the_renstra_through_the_page(client, world):
    renstra_with_lines(world.work_plan.opd, world.work_plan.plan, programs=2, activities_each=3)
    client.force_login(world.head)
    response = _english(client).post(
        reverse("opd:work_plan_create"),
        {"opd": world.work_plan.opd_id, "year": 2019, "from_renstra": "1"},
    )
    work_plan = om.WorkPlan.objects.get(opd=world.work_plan.opd, year=2019)
    assert response.status_code == 302 and response.url == reverse(
        "opd:work_plan", args=[work_plan.pk]
    )
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(
        "The draft work plan was created from the Renstra 2016–2021: programs 2, activities 6, "
        "with their 2019 targets."
    )
    assert om.Activity.objects.filter(program__work_plan=work_plan).count() == 6
    page = client.get(response.url).content.decode()
    assert page.count('data-testid="renstra-line"') == 8  # every row shows its Renstra code
    assert "Renstra 1.06.01.003" in page
    assert page.count('data-testid="renstra-pagu"') == 2
    assert "Rp\u00a02,019,000,000" in page  # each program's 2019 pagu as guidance


def test_asking_without_a_renstra_says_the_plan_starts_empty(client, world):
    client.force_login(world.head)
    response = _english(client).post(
        reverse("opd:work_plan_create"),
        {"opd": world.work_plan.opd_id, "year": 2019, "from_renstra": "1"},
    )
    assert response.status_code == 302
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == [
        "The draft work plan was created.",
        "It starts empty: Dinas Sosial has no approved Renstra covering 2019.",
    ]
    assert not om.Program.objects.filter(work_plan__year=2019).exists()


def test_unticked_the_plan_starts_empty_even_with_a_renstra(client, world):
    renstra_with_lines(world.work_plan.opd, world.work_plan.plan, programs=1)
    client.force_login(world.head)
    response = _english(client).post(
        reverse("opd:work_plan_create"), {"opd": world.work_plan.opd_id, "year": 2019}
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The draft work plan was created."
    ]
    assert not om.Program.objects.filter(work_plan__year=2019).exists()


def test_the_demo_opd_starts_its_2019_plan_from_its_demo_renstra():
    """The demo shows the prefill at work: Dinas Sosial's 2019 Renja from its Renstra."""
    load_magelang(demo=True)
    head = get_user_model().objects.get(username="kepala.dinsos")
    opd = om.Opd.objects.get(code="1.06")
    started = services.work_plan_start(opd=opd, year=2019, by=head, from_renstra=True)
    renstra = om.Renstra.objects.get(opd=opd)
    assert started.renstra == renstra and started.programs == renstra.programs.count()
    for program in om.Program.objects.filter(work_plan=started.work_plan):
        line = program.renstra_program
        assert line.code == program.code
        assert program.outcome_target == line.years.get(year=2019).target
        for activity in program.activities.all():
            own = activity.renstra_activity
            assert own.program == line and own.code == activity.code
            assert activity.output_target == own.years.get(year=2019).target
    assert started.activities == om.RenstraActivity.objects.filter(program__renstra=renstra).count()


def test_without_a_next_year_line_the_forward_estimate_stays_empty(world):
    renstra = approved_renstra(world.work_plan.opd, world.work_plan.plan)
    activity_line(program_line(renstra, "1.06.01"), "1.06.01.001")  # 2018–2020, nothing for 2021

    started = _start(world, year=2020)

    activity = om.Activity.objects.get(program__work_plan=started.work_plan)
    assert (activity.output_target, activity.next_year_target) == (Decimal("202.0"), None)


def test_where_two_plans_share_a_year_the_offer_and_the_start_use_the_same_plan(client, world):
    """2021 ends RPJMD 2016–2021 and begins 2021–2026: a new Renja joins the earlier plan, so
    only that plan's Renstra is offered and copied, never the later one's."""
    opd = world.work_plan.opd
    later = PlanFactory(region=opd.region, first_year=2021, last_year=2026)
    program_line(approved_renstra(opd, later), "9.99.01", years=(2021,))
    client.force_login(world.head)

    def offer() -> str:
        html = _english(client).get(reverse("opd:work_plans"), {"tahun": 2021}).content.decode()
        row = html[html.index(f'data-opd="{opd.code}"') :]
        return row[: row.index("</tr>")]

    assert "from_renstra" not in offer()  # the later plan's Renstra would not be used
    earlier = approved_renstra(opd, world.work_plan.plan)
    program_line(earlier, "1.06.01", years=(2021,))
    assert "Start from the Renstra 2016–2021" in offer()

    started = _start(world, year=2021)

    assert started.work_plan.plan == world.work_plan.plan and started.renstra == earlier
    codes = om.Program.objects.filter(work_plan=started.work_plan).values_list("code", flat=True)
    assert list(codes) == ["1.06.01"]


@pytest.mark.parametrize(
    ("total", "parts", "shares"),
    [
        (Decimal(100), 3, ["33.34", "33.33", "33.33"]),  # the odd sen to the first
        (Decimal("0.02"), 3, ["0.01", "0.01", "0"]),
        (Decimal("2019000000"), 2, ["1009500000", "1009500000"]),
        (Decimal("10.01"), 1, ["10.01"]),
        (None, 2, ["0", "0"]),  # no pagu for the year: nothing to split
        (Decimal(5), 0, []),
    ],
)
def test_a_pagu_splits_evenly_to_the_sen_and_adds_up_exactly(total, parts, shares):
    split = services.split_evenly(total, parts)
    assert split == [Decimal(s) for s in shares]
    assert sum(split, Decimal(0)) == (total or 0 if parts else 0)
