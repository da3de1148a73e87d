"""The database refuses bad OPD, work plan and contribution rows by itself.

Same approach as ``tests/targets/test_constraints.py`` (whose helpers this uses):
a bad row written through the ORM is refused by name, the nearest good row is
accepted. The meta-tests at the end make an untested new constraint or rule fail.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import factory
import pytest
from django.apps import apps
from django.db import connection

from magelang.db_rules import installed_names
from opd import models as om
from targets import models as tm
from tests.factories import (
    AchievedContributionFactory,
    ActivityFactory,
    ApiClientFactory,
    AspirationFactory,
    AuditEntryFactory,
    ContributionRowFactory,
    ContributionStateFactory,
    DeadlineReminderFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    KelurahanFactory,
    MembershipFactory,
    OpdFactory,
    PlanFactory,
    ProgramFactory,
    RealisationFactory,
    RegionFactory,
    ReviewCommentFactory,
    SnapshotFactory,
    SubmissionDeadlineFactory,
    WorkPlanFactory,
)
from tests.targets.test_constraints import (
    RULES,
    assert_unique,
    refused,
    refused_duplicate,
    rule_suspended,
)

CENT = Decimal("0.01")

CHECKS = [
    # constraint, factory, nearest good row, bad row
    ("opd_kind_valid", OpdFactory, {"kind": "kecamatan"}, {"kind": "desa"}),
    ("opd_code_not_empty", OpdFactory, {"code": "1"}, {"code": ""}),
    ("opd_membership_role_valid", MembershipFactory, {"role": "staff"}, {"role": "owner"}),
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
    ("aspiration_forum_valid", AspirationFactory, {"forum": "fgd"}, {"forum": "rapat_rt"}),
    ("aspiration_status_valid", AspirationFactory, {"status": "received"}, {"status": "pending"}),
    (
        "aspiration_rejection_has_reason",
        AspirationFactory,
        {"status": "rejected", "rejection_reason": "Bukan kewenangan kota"},
        {"status": "rejected", "rejection_reason": ""},
    ),
    (
        "aspiration_accepted_has_activity",
        AspirationFactory,
        {
            "status": "accepted",
            "activity": factory.LazyAttribute(
                lambda aspiration: ActivityFactory(
                    program__work_plan__opd__region=aspiration.region
                )
            ),
        },
        {"status": "accepted", "activity": None},
    ),
    ("aspiration_year_plausible", AspirationFactory, {"year": 2100}, {"year": 2101}),
    ("aspiration_year_plausible", AspirationFactory, {"year": 1945}, {"year": 1944}),
    ("aspiration_reference_not_empty", AspirationFactory, {"reference": "1"}, {"reference": ""}),
    ("snapshot_status_valid", SnapshotFactory, {"status": "no_data"}, {"status": "unknown"}),
    ("snapshot_year_plausible", SnapshotFactory, {"year": 2100}, {"year": 2101}),
    ("snapshot_sequence_positive", SnapshotFactory, {"sequence": 1}, {"sequence": 0}),
    ("api_client_scope_valid", ApiClientFactory, {"scope": "read"}, {"scope": "admin"}),
    (
        "api_client_write_has_opd",
        ApiClientFactory,
        {"scope": "write", "opd": factory.SubFactory(OpdFactory)},
        {"scope": "write", "opd": None},
    ),
    ("api_client_name_not_empty", ApiClientFactory, {"name": "sistem-keuangan"}, {"name": ""}),
    (
        "contribution_state_year_plausible",
        ContributionStateFactory,
        {"year": 2100},
        {"year": 2101},
    ),
    (
        "contribution_state_dirty_has_time",
        ContributionStateFactory,
        {"dirty": False, "dirty_since": None},
        {"dirty": True, "dirty_since": None},
    ),
    ("snapshot_year_plausible", SnapshotFactory, {"year": 1945}, {"year": 1944}),
    (
        "snapshot_totals_not_negative",
        SnapshotFactory,
        {"planned_total": 0, "achieved_total": 0},
        {"planned_total": -CENT},
    ),
    (
        "snapshot_totals_not_negative",
        SnapshotFactory,
        {"achieved_total": 0},
        {"achieved_total": -CENT},
    ),
    *(
        ("contribution_row_not_negative", ContributionRowFactory, {field: 0}, {field: -CENT})
        for field in (
            "planned",
            "achieved",
            "aligned_budget",
            "total_budget",
            "plan_aligned_budget",
            "plan_total_budget",
        )
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
    ("opd_unique_code", OpdFactory, ["region"], {"code": "1.01"}, {"code": "1.02"}),
    ("opd_unique_name", OpdFactory, ["region"], {"name": "Dinas Sosial"}, {}),
    ("opd_membership_unique_user", MembershipFactory, ["opd"], ["user"], {}),
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
        "snapshot_unique_sequence",
        SnapshotFactory,
        ["indicator", "year"],
        {"sequence": 1},
        {"sequence": 2},
    ),
    ("contribution_row_unique_opd", ContributionRowFactory, ["snapshot"], ["opd"], {}),
    (
        "contribution_state_unique_year",
        ContributionStateFactory,
        ["indicator"],
        {"year": 2018},
        {"year": 2019},
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


@pytest.mark.django_db
def test_aspiration_reference_is_unique():
    assert AspirationFactory(reference="USL-2018-0001").pk
    assert AspirationFactory(reference="USL-2018-0002").pk
    with refused_duplicate(om.Aspiration, "reference"):
        AspirationFactory(reference="USL-2018-0001")


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
def test_opd_region_keeps_work_plans():
    other_region = RegionFactory()
    free = OpdFactory()
    assert om.Opd.objects.filter(pk=free.pk).update(region=other_region) == 1
    planning = WorkPlanFactory().opd
    assert om.Opd.objects.filter(pk=planning.pk).update(name="Dinas Sosial") == 1
    with refused("opd_region_keeps_work_plans"):
        om.Opd.objects.filter(pk=planning.pk).update(region=other_region)


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


# --- a parent row changed under its children ---------------------------------------

CONTRIBUTIONS = [
    # contribution factory, path from the contribution to its activity
    pytest.param(ExpectedContributionFactory, "activity", id="expected"),
    pytest.param(AchievedContributionFactory, "realisation.activity", id="achieved"),
]


def _activity(contribution, path: str) -> om.Activity:
    row = contribution
    for field in path.split("."):
        row = getattr(row, field)
    return row


@pytest.mark.django_db
def test_plan_region_keeps_work_plans():
    other_region = RegionFactory()
    free = PlanFactory()
    assert tm.Plan.objects.filter(pk=free.pk).update(region=other_region) == 1
    plan = WorkPlanFactory().plan
    assert tm.Plan.objects.filter(pk=plan.pk).update(name="RPJMD 2016–2021 (perubahan)") == 1
    with refused("plan_region_keeps_work_plans"):
        tm.Plan.objects.filter(pk=plan.pk).update(region=other_region)
    plan.refresh_from_db()
    plan.region = other_region
    with refused("plan_region_keeps_work_plans"):
        plan.save()


@pytest.mark.django_db
@pytest.mark.parametrize(("factory", "path"), CONTRIBUTIONS)
def test_indicator_plan_keeps_contributions(factory, path):
    free = IndicatorFactory()
    assert tm.Indicator.objects.filter(pk=free.pk).update(plan=PlanFactory()) == 1

    contribution = factory()
    indicator = contribution.indicator
    # Another plan of the same region: the work plan's region rule would not object.
    other_plan = PlanFactory(region=indicator.plan.region, first_year=2017, last_year=2022)
    with refused("indicator_plan_keeps_contributions"):
        tm.Indicator.objects.filter(pk=indicator.pk).update(plan=other_plan)
    indicator.plan = other_plan
    with refused("indicator_plan_keeps_contributions"):
        indicator.save()


@pytest.mark.django_db
def test_activity_stays_in_work_plan():
    activity = ActivityFactory()
    work_plan = activity.program.work_plan
    same_work_plan = ProgramFactory(work_plan=work_plan)
    other_work_plan = ProgramFactory(
        work_plan=WorkPlanFactory(opd=work_plan.opd, plan=work_plan.plan, year=2019)
    )
    activity.program = same_work_plan
    activity.save()
    with refused("activity_stays_in_work_plan"):
        om.Activity.objects.filter(pk=activity.pk).update(program=other_work_plan)
    activity.program = other_work_plan
    with refused("activity_stays_in_work_plan"):
        activity.save()


@pytest.mark.django_db
def test_program_stays_in_work_plan():
    program = ProgramFactory()
    other = WorkPlanFactory(opd=program.work_plan.opd, plan=program.work_plan.plan, year=2019)
    assert om.Program.objects.filter(pk=program.pk).update(name="Program Rehabilitasi Sosial") == 1
    with refused("program_stays_in_work_plan"):
        om.Program.objects.filter(pk=program.pk).update(work_plan=other)
    program.work_plan = other
    with refused("program_stays_in_work_plan"):
        program.save()


@pytest.mark.django_db
def test_realisation_stays_with_activity():
    realisation = RealisationFactory()
    other = ActivityFactory(program=realisation.activity.program)
    assert om.Realisation.objects.filter(pk=realisation.pk).update(quarter=2) == 1
    with refused("realisation_stays_with_activity"):
        om.Realisation.objects.filter(pk=realisation.pk).update(activity=other)
    realisation.activity = other
    with refused("realisation_stays_with_activity"):
        realisation.save()


@pytest.mark.django_db
@pytest.mark.parametrize(("factory", "path"), CONTRIBUTIONS)
def test_work_plan_plan_keeps_contributions(factory, path):
    # A work plan with activities and a realisation, but no contribution, may change plan.
    free = RealisationFactory().activity.program.work_plan
    free_plan = PlanFactory(region=free.plan.region, first_year=2017, last_year=2022)
    assert om.WorkPlan.objects.filter(pk=free.pk).update(plan=free_plan) == 1

    work_plan = _activity(factory(), path).program.work_plan
    other_plan = PlanFactory(region=work_plan.plan.region, first_year=2017, last_year=2022)
    assert om.WorkPlan.objects.filter(pk=work_plan.pk).update(version=2) == 1
    with refused("work_plan_plan_keeps_contributions"):
        om.WorkPlan.objects.filter(pk=work_plan.pk).update(plan=other_plan)
    work_plan.refresh_from_db()
    work_plan.plan = other_plan
    with refused("work_plan_plan_keeps_contributions"):
        work_plan.save()


# --- every constraint and rule is tested, and installed ------------------------------


def _all_names() -> set[str]:
    names = {
        constraint.name
        for label in ("targets", "opd")
        for model in apps.get_app_config(label).get_models()
        for constraint in model._meta.constraints
    }
    return names | set(RULES)


def test_every_constraint_and_rule_has_a_test():
    tests = Path(__file__).parent.parent
    source = "\n".join(
        (tests / app / "test_constraints.py").read_text() for app in ("targets", "opd")
    )
    quoted = set(re.findall(r'"([a-z0-9_]+)"', source))
    untested = sorted(_all_names() - quoted)
    assert not untested, f"constraints or rules without a test: {untested}"


@pytest.mark.django_db
def test_every_rule_is_installed_after_migrate():
    missing = sorted(set(RULES) - installed_names(connection))
    assert not missing, f"rules without a trigger: {missing}"


@pytest.mark.django_db
def test_aspiration_places_in_region():
    activity = ActivityFactory()
    region = activity.program.work_plan.opd.region
    own = KelurahanFactory(kecamatan__region=region)
    aspiration = AspirationFactory(region=region, kelurahan=own, activity=activity)
    assert aspiration.pk
    with refused("aspiration_places_in_region"):
        AspirationFactory(region=region, kelurahan=KelurahanFactory())
    other_activity = ActivityFactory()  # an OPD of another region
    with refused("aspiration_places_in_region"):
        om.Aspiration.objects.filter(pk=aspiration.pk).update(activity=other_activity)


@pytest.mark.django_db
def test_contribution_row_opd_in_region():
    snapshot = SnapshotFactory()
    own = OpdFactory(region=snapshot.indicator.plan.region)
    assert ContributionRowFactory(snapshot=snapshot, opd=own).pk
    with refused("contribution_row_opd_in_region"):
        ContributionRowFactory(snapshot=snapshot, opd=OpdFactory())


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


@pytest.mark.django_db
def test_opd_region_keeps_reminders():
    other_region = RegionFactory()
    free = OpdFactory()
    assert om.Opd.objects.filter(pk=free.pk).update(region=other_region) == 1
    reminded = DeadlineReminderFactory().opd
    assert om.Opd.objects.filter(pk=reminded.pk).update(name="Dinas Sosial") == 1
    with refused("opd_region_keeps_reminders"):
        om.Opd.objects.filter(pk=reminded.pk).update(region=other_region)
    reminded.region = other_region
    with refused("opd_region_keeps_reminders"):
        reminded.save()


@pytest.mark.django_db
def test_deadline_region_keeps_reminders():
    other_region = RegionFactory()
    free = SubmissionDeadlineFactory()
    assert om.SubmissionDeadline.objects.filter(pk=free.pk).update(region=other_region) == 1
    deadline = DeadlineReminderFactory().deadline
    moved = {"due_date": deadline.due_date.replace(day=15)}
    assert om.SubmissionDeadline.objects.filter(pk=deadline.pk).update(**moved) == 1
    with refused("deadline_region_keeps_reminders"):
        om.SubmissionDeadline.objects.filter(pk=deadline.pk).update(region=other_region)
    deadline.region = other_region
    with refused("deadline_region_keeps_reminders"):
        deadline.save()
