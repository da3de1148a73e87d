"""The database refuses bad work plan, contribution, deadline and review rows by itself.

Same approach as ``tests/targets/test_constraints.py``, with the helpers of
``tests/constraints.py``: a bad row written through the ORM is refused by name, the
nearest good row is accepted. The meta-tests in ``tests/test_constraints.py`` make an untested
new constraint or rule fail.
A parent row changed under its children is in ``test_constraints_parents.py``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from opd import models as om
from targets import models as tm
from tests.constraints import assert_unique, refused, rule_suspended
from tests.factories import (
    AchievedContributionFactory,
    ActivityFactory,
    AuditEntryFactory,
    DeadlineReminderFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    KelurahanFactory,
    OpdFactory,
    PlanFactory,
    ProgramFactory,
    RealisationFactory,
    ReviewCommentFactory,
    SubmissionDeadlineFactory,
    WorkPlanFactory,
)

CENT = Decimal("0.01")

CHECKS = [
    # constraint, factory, nearest good row, bad row
    ("work_plan_status_valid", WorkPlanFactory, {"status": "approved"}, {"status": "archived"}),
    ("work_plan_version_positive", WorkPlanFactory, {"version": 1}, {"version": 0}),
    (
        "work_plan_submitted_has_time",
        WorkPlanFactory,
        {"status": "draft", "submitted_at": None},
        {"status": "submitted", "submitted_at": None},
    ),
    ("program_code_not_empty", ProgramFactory, {"code": "1"}, {"code": ""}),
    ("program_version_positive", ProgramFactory, {"version": 1}, {"version": 0}),
    (
        "program_outcome_target_not_negative",
        ProgramFactory,
        {"outcome_target": 0},
        {"outcome_target": -CENT},
    ),
    ("activity_code_not_empty", ActivityFactory, {"code": "1"}, {"code": ""}),
    ("activity_budget_not_negative", ActivityFactory, {"budget": 0}, {"budget": -CENT}),
    (
        "activity_next_year_budget_not_negative",
        ActivityFactory,
        {"next_year_budget": 0},
        {"next_year_budget": -CENT},
    ),
    (
        "activity_output_target_not_negative",
        ActivityFactory,
        {"output_target": 0},
        {"output_target": -CENT},
    ),
    (
        "activity_next_year_target_not_negative",
        ActivityFactory,
        {"next_year_target": 0},
        {"next_year_target": -CENT},
    ),
    (
        "activity_funding_source_valid",
        ActivityFactory,
        {"funding_source": ""},
        {"funding_source": "hibah"},
    ),
    ("activity_version_positive", ActivityFactory, {"version": 1}, {"version": 0}),
    (
        "expected_contribution_not_negative",
        ExpectedContributionFactory,
        {"amount": 0},
        {"amount": -CENT},
    ),
    ("realisation_quarter_1_4", RealisationFactory, {"quarter": 1}, {"quarter": 0}),
    ("realisation_quarter_1_4", RealisationFactory, {"quarter": 4}, {"quarter": 5}),
    (
        "realisation_budget_spent_not_negative",
        RealisationFactory,
        {"budget_spent": 0},
        {"budget_spent": -CENT},
    ),
    (
        "realisation_output_not_negative",
        RealisationFactory,
        {"output_achieved": 0},
        {"output_achieved": -CENT},
    ),
    ("realisation_version_positive", RealisationFactory, {"version": 1}, {"version": 0}),
    (
        "achieved_contribution_not_negative",
        AchievedContributionFactory,
        {"amount": 0},
        {"amount": -CENT},
    ),
    ("deadline_year_plausible", SubmissionDeadlineFactory, {"year": 2100}, {"year": 2101}),
    ("deadline_year_plausible", SubmissionDeadlineFactory, {"year": 1945}, {"year": 1944}),
    ("review_comment_not_empty", ReviewCommentFactory, {"text": "."}, {"text": ""}),
    ("review_comment_kind_valid", ReviewCommentFactory, {"kind": "reopen"}, {"kind": "reject"}),
    ("audit_action_valid", AuditEntryFactory, {"action": "reopen"}, {"action": "publish"}),
    ("audit_action_valid", AuditEntryFactory, {"action": "delete"}, {"action": ""}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "factory", "good", "bad"), CHECKS, ids=[check[0] for check in CHECKS]
)
def test_check_constraint_refuses_bad_row(name, factory, good, bad):
    assert factory(**good).pk
    with refused(name):
        factory(**bad)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "model", "field", "good", "bad"),
    [
        ("activity_budget_not_negative", om.Activity, "budget", 0, -CENT),
        ("realisation_quarter_1_4", om.Realisation, "quarter", 4, 5),
        ("work_plan_submitted_has_time", om.WorkPlan, "status", "draft", "returned"),
    ],
)
def test_check_constraint_refuses_bad_update(name, model, field, good, bad):
    factory = {om.Activity: ActivityFactory, om.Realisation: RealisationFactory}.get(
        model, WorkPlanFactory
    )
    row = factory(submitted_at=None) if model is om.WorkPlan else factory()
    assert model.objects.filter(pk=row.pk).update(**{field: good}) == 1
    with refused(name):
        model.objects.filter(pk=row.pk).update(**{field: bad})


@pytest.mark.django_db
def test_work_plan_year_plausible_behind_plan_period_rule():
    opd = OpdFactory()
    plan = PlanFactory(region=opd.region)
    with rule_suspended("work_plan_year_in_plan_period"):
        assert WorkPlanFactory(opd=opd, plan=plan, year=2100).pk
        with refused("work_plan_year_plausible"):
            WorkPlanFactory(opd=opd, plan=plan, year=2101)


@pytest.mark.django_db
@pytest.mark.parametrize("budget", [CENT, Decimal("123456789012.34")])
def test_budget_round_trips_as_exact_decimal(budget):
    activity = ActivityFactory(budget=budget, next_year_budget=budget)
    RealisationFactory(activity=activity, budget_spent=budget)
    activity.refresh_from_db()
    stored = om.Activity.objects.values_list("budget", "next_year_budget").get(pk=activity.pk)
    spent = om.Realisation.objects.values_list("budget_spent", flat=True).get(activity=activity)
    for value in (activity.budget, *stored, spent):
        assert type(value) is Decimal
        assert value == budget  # a float 0.01 would differ from Decimal("0.01")
        assert str(value) == str(budget)


# --- uniqueness ---------------------------------------------------------------------

UNIQUES = [
    # constraint, factory, scope, key (values, or fields copied from the first row), another key
    ("work_plan_unique_opd_year", WorkPlanFactory, ["opd", "plan"], {"year": 2018}, {"year": 2019}),
    ("program_unique_code", ProgramFactory, ["work_plan"], {"code": "1.02"}, {}),
    ("activity_unique_code", ActivityFactory, ["program"], {"code": "1.02.01"}, {}),
    (
        "expected_contribution_unique_indicator",
        ExpectedContributionFactory,
        ["activity"],
        ["indicator"],
        {},
    ),
    (
        "realisation_unique_quarter",
        RealisationFactory,
        ["activity"],
        {"quarter": 1},
        {"quarter": 2},
    ),
    (
        "achieved_contribution_unique_indicator",
        AchievedContributionFactory,
        ["realisation"],
        ["indicator"],
        {},
    ),
    (
        "deadline_unique_year",
        SubmissionDeadlineFactory,
        ["region"],
        {"year": 2018},
        {"year": 2019},
    ),
    (
        "deadline_reminder_once",
        DeadlineReminderFactory,
        ["deadline", "opd"],
        {"days_before": 7},
        {"days_before": 1},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "factory", "scope", "key", "other_key"), UNIQUES, ids=[u[0] for u in UNIQUES]
)
def test_unique_constraint_refuses_duplicate(name, factory, scope, key, other_key):
    assert_unique(name, factory, scope=scope, key=key, other_key=other_key)


# --- cross-row rules -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("bad_year", [2015, 2022])
def test_work_plan_year_in_plan_period(bad_year):
    plan = PlanFactory(first_year=2016, last_year=2021)
    opd = OpdFactory(region=plan.region)
    assert WorkPlanFactory(opd=opd, plan=plan, year=2016).pk
    work_plan = WorkPlanFactory(opd=opd, plan=plan, year=2021)
    with refused("work_plan_year_in_plan_period"):
        WorkPlanFactory(opd=opd, plan=plan, year=bad_year)
    with refused("work_plan_year_in_plan_period"):
        om.WorkPlan.objects.filter(pk=work_plan.pk).update(year=bad_year)


@pytest.mark.django_db
def test_work_plan_plan_of_opd_region():
    work_plan = WorkPlanFactory()
    foreign_plan = PlanFactory()
    with refused("work_plan_plan_of_opd_region"):
        WorkPlanFactory(opd=work_plan.opd, plan=foreign_plan, year=2019)
    work_plan.plan = foreign_plan
    with refused("work_plan_plan_of_opd_region"):
        work_plan.save()


@pytest.mark.django_db
def test_plan_period_covers_work_plans():
    plan = PlanFactory(first_year=2016, last_year=2021)
    WorkPlanFactory(opd__region=plan.region, plan=plan, year=2020)
    with refused("plan_period_covers_work_plans"):
        tm.Plan.objects.filter(pk=plan.pk).update(last_year=2019)
    plan.first_year = 2021
    with refused("plan_period_covers_work_plans"):
        plan.save()
    assert tm.Plan.objects.filter(pk=plan.pk).update(first_year=2017, last_year=2020) == 1


@pytest.mark.django_db
def test_activity_kelurahan_in_region():
    program = ProgramFactory()
    own = KelurahanFactory(kecamatan__region=program.work_plan.opd.region)
    foreign = KelurahanFactory()
    activity = ActivityFactory(program=program, kelurahan=own)
    assert ActivityFactory(program=program, kelurahan=None).pk
    with refused("activity_kelurahan_in_region"):
        ActivityFactory(program=program, kelurahan=foreign)
    with refused("activity_kelurahan_in_region"):
        om.Activity.objects.filter(pk=activity.pk).update(kelurahan=foreign)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "factory", "owner"),
    [
        ("expected_contribution_indicator_in_plan", ExpectedContributionFactory, "activity"),
        ("achieved_contribution_indicator_in_plan", AchievedContributionFactory, "realisation"),
    ],
)
def test_contribution_indicator_in_plan(rule, factory, owner):
    contribution = factory()  # the factory picks an indicator of the work plan's plan
    foreign = IndicatorFactory()
    with refused(rule):
        factory(**{owner: getattr(contribution, owner)}, indicator=foreign)
    with refused(rule):
        type(contribution).objects.filter(pk=contribution.pk).update(indicator=foreign)


@pytest.mark.django_db
def test_review_comment_activity_in_plan():
    comment = ReviewCommentFactory()
    work_plan = comment.work_plan
    own = ActivityFactory(program__work_plan=work_plan)
    on_activity = ReviewCommentFactory(work_plan=work_plan, activity=own)
    # An activity of another plan of the same OPD: the region alone would not tell.
    other = ActivityFactory(
        program__work_plan=WorkPlanFactory(opd=work_plan.opd, plan=work_plan.plan, year=2019)
    )
    with refused("review_comment_activity_in_plan"):
        ReviewCommentFactory(work_plan=work_plan, activity=other)
    with refused("review_comment_activity_in_plan"):
        om.ReviewComment.objects.filter(pk=on_activity.pk).update(activity=other)
    with refused("review_comment_activity_in_plan"):
        om.ReviewComment.objects.filter(pk=on_activity.pk).update(work_plan=other.program.work_plan)
    # A comment on the plan as a whole may move; the activity's comment follows its plan.
    assert om.ReviewComment.objects.filter(pk=comment.pk).update(work_plan=other.program.work_plan)
    assert om.ReviewComment.objects.filter(pk=on_activity.pk).update(
        activity=other, work_plan=other.program.work_plan
    )


@pytest.mark.django_db
def test_deadline_reminder_opd_in_region():
    reminder = DeadlineReminderFactory()
    neighbour = OpdFactory(region=reminder.deadline.region)
    assert DeadlineReminderFactory(deadline=reminder.deadline, opd=neighbour).pk
    foreign = OpdFactory()
    with refused("deadline_reminder_opd_in_region"):
        DeadlineReminderFactory(deadline=reminder.deadline, opd=foreign)
    with refused("deadline_reminder_opd_in_region"):
        om.DeadlineReminder.objects.filter(pk=reminder.pk).update(opd=foreign)
    with refused("deadline_reminder_opd_in_region"):
        om.DeadlineReminder.objects.filter(pk=reminder.pk).update(
            deadline=SubmissionDeadlineFactory(region=foreign.region)
        )
