"""Bappeda's verification checklist: one test per rule, with the link to what must be fixed.

Each rule is shown to fire on the nearest bad activity (and to stay quiet on the
complete one built by ``World``), and each problem carries the ids the plan page
links to. The last tests read the page itself: the list and its anchors.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from opd import models as om
from opd.workplans.checklist import check_work_plan, load_programs, problems_for
from tests.factories import ExpectedContributionFactory, IndicatorFactory, ProgramFactory
from tests.workplans.plan_world import World, complete_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return World.build()


def _row(html: str, anchor: str) -> str:
    """The opening tag of the element the checklist links to."""
    (tag,) = re.findall(rf'<[a-z]+ [^>]*\bid="{anchor}"[^>]*>', html)
    return tag


def _codes(work_plan: om.WorkPlan) -> list[str]:
    return [problem.code for problem in check_work_plan(work_plan)]


def test_a_complete_plan_has_no_problem(world):
    assert check_work_plan(world.work_plan) == []


def test_plan_empty(world):
    world.activity.delete()
    world.program.delete()
    (problem,) = check_work_plan(world.work_plan)
    assert problem.code == "plan_empty"
    assert (problem.activity_id, problem.program_id) == (None, None)


def test_program_empty_links_to_the_program(world):
    empty = ProgramFactory(work_plan=world.work_plan, code="1.06.02", name="Program Kosong")
    (problem,) = check_work_plan(world.work_plan)
    assert problem.code == "program_empty"
    assert problem.program_id == empty.pk
    assert problem.activity_id is None
    assert "1.06.02 Program Kosong" in problem.message


def test_a_plan_whose_programs_are_all_empty_says_so_first(world):
    world.activity.delete()
    assert _codes(world.work_plan) == ["plan_empty", "program_empty"]


ACTIVITY_RULES = [
    # code, the nearest bad activity (changes to the complete one)
    ("output_indicator", {"output_indicator": ""}),
    ("output_indicator", {"output_indicator": "   "}),
    ("output_target", {"output_target": None}),
    ("location", {"kelurahan": None}),
    ("target_group", {"target_group": ""}),
    ("target_group", {"target_group": " \n"}),
    ("funding_source", {"funding_source": ""}),
    ("budget", {"budget": Decimal(0)}),
]


@pytest.mark.parametrize(("code", "bad"), ACTIVITY_RULES, ids=[rule[0] for rule in ACTIVITY_RULES])
def test_activity_rule_links_to_the_activity(world, code, bad):
    ok = complete_activity(world.program, code="1.06.01.000", name="Baik")
    bad_activity = complete_activity(world.program, code="1.06.01.009", name="Pendataan", **bad)
    (problem,) = check_work_plan(world.work_plan)
    assert problem.code == code
    assert problem.activity_id == bad_activity.pk != ok.pk
    assert problem.program_id == world.program.pk
    assert problem.activity_label == "1.06.01.009 Pendataan"
    assert problem.activity_label in problem.message


def test_nearest_good_values_pass(world):
    # One sen is above zero.
    complete_activity(world.program, budget=Decimal("0.01"))
    assert check_work_plan(world.work_plan) == []


def test_contribution_amount_must_be_positive(world):
    world.contribution.amount = Decimal(0)
    world.contribution.save()
    (problem,) = check_work_plan(world.work_plan)
    assert problem.code == "contribution_amount"
    assert problem.activity_id == world.activity.pk
    assert "KMS" in problem.message  # names the indicator


def test_contribution_to_a_population_share_is_whole_persons(world):
    world.contribution.amount = Decimal("2.5")
    world.contribution.save()
    (problem,) = check_work_plan(world.work_plan)
    assert problem.code == "contribution_persons"
    assert problem.activity_id == world.activity.pk
    assert "KMS" in problem.message


def test_a_fraction_is_fine_for_an_indicator_not_counted_in_persons(world):
    rate = IndicatorFactory(plan=world.work_plan.plan, code="IPM", is_population_share=False)
    ExpectedContributionFactory(activity=world.activity, indicator=rate, amount=Decimal("0.25"))
    assert check_work_plan(world.work_plan) == []


def test_every_problem_of_an_activity_is_listed_in_page_order(world):
    later = ProgramFactory(work_plan=world.work_plan, code="1.06.09")
    second = complete_activity(later, code="1.06.09.001", budget=0)
    first = complete_activity(world.program, code="1.06.01.002", target_group="", kelurahan=None)
    problems = check_work_plan(world.work_plan)
    assert [(p.activity_id, p.code) for p in problems] == [
        (first.pk, "location"),
        (first.pk, "target_group"),
        (second.pk, "budget"),
    ]


def test_problems_for_adds_no_query(world, django_assert_num_queries):
    complete_activity(world.program, funding_source="")
    with django_assert_num_queries(3):  # programs, activities with places, contributions
        programs = load_programs(world.work_plan)
    with django_assert_num_queries(0):
        assert [p.code for p in problems_for(programs)] == ["funding_source"]


def test_plan_page_lists_the_problems_and_links_to_each_activity(world, client):
    bad = complete_activity(world.program, code="1.06.01.002", budget=0)
    empty = ProgramFactory(work_plan=world.work_plan, code="1.06.03")
    client.force_login(world.head)
    html = client.get(f"/renja/{world.work_plan.pk}/").content.decode()
    checklist = html.split('data-testid="checklist"', 1)[1].split("</ul>", 1)[0]
    assert f'href="#activity-{bad.pk}"' in checklist
    assert f'href="#program-{empty.pk}"' in checklist
    assert f'href="#activity-{world.activity.pk}"' not in checklist
    # The targets exist on the page, and the offending row is marked.
    assert "has-problem" in _row(html, f"activity-{bad.pk}")
    assert "has-problem" not in _row(html, f"activity-{world.activity.pk}")
    assert _row(html, f"program-{empty.pk}")


def test_plan_page_says_so_when_the_checklist_is_met(world, client):
    client.force_login(world.head)
    html = client.get(f"/renja/{world.work_plan.pk}/").content.decode()
    assert 'data-testid="checklist-ok"' in html
    assert 'data-testid="checklist"' not in html


def test_checklist_is_not_shown_once_submitted(world, client):
    world.activity.budget = 0
    world.activity.save()
    om.WorkPlan.objects.filter(pk=world.work_plan.pk).update(
        status="submitted", submitted_at=timezone.now()
    )
    client.force_login(world.reviewer)
    html = client.get(f"/renja/{world.work_plan.pk}/").content.decode()
    assert "has-problem" not in html
    assert 'data-testid="checklist' not in html


def test_an_output_target_of_zero_passes(world):
    # Zero is a target (e.g. no new building, only services); only a missing one is a problem.
    complete_activity(world.program, code="1.06.01.002", output_target=Decimal(0))
    assert check_work_plan(world.work_plan) == []
