"""Bappeda's verification checklist, automated: what blocks a work plan's submission.

``problems_for`` works on programs already loaded with their activities and
contributions (the plan page has them), so it adds no query;
``check_work_plan`` loads them itself for the submit service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _

from opd.models import Activity, ExpectedContribution, Program, RenstraProgramYear, WorkPlan
from opd.workplans.validators import NOT_POSITIVE, NOT_WHOLE_PERSONS, contribution_problem


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    activity_id: int | None = None
    activity_label: str = ""
    program_id: int | None = None


def load_programs(work_plan: WorkPlan) -> list[Program]:
    """The plan's programs with activities, places, beneficiary lists' counts and
    contributions: three queries. Each row comes with its Renstra line, and a program with its
    line's pagu for the plan's year as ``renstra_budget`` (None without one), joined into the
    same queries."""
    activities = Activity.objects.select_related(
        "kelurahan__kecamatan", "beneficiary_list", "renstra_activity"
    ).prefetch_related(
        Prefetch(
            "expected_contributions",
            queryset=ExpectedContribution.objects.select_related("indicator"),
        )
    )
    pagu = RenstraProgramYear.objects.filter(
        program_id=OuterRef("renstra_program_id"), year=work_plan.year
    ).values("budget")[:1]
    return list(
        Program.objects.filter(work_plan=work_plan)
        .select_related("renstra_program")
        .annotate(renstra_budget=Subquery(pagu))
        .prefetch_related(Prefetch("activities", queryset=activities))
    )


def check_work_plan(work_plan: WorkPlan) -> list[Problem]:
    return problems_for(load_programs(work_plan))


def problems_for(programs: Sequence[Program]) -> list[Problem]:
    """Every reason the plan cannot be submitted yet, in page order; empty when it can."""
    problems: list[Problem] = []
    activity_count = 0
    for program in programs:
        activities = list(program.activities.all())
        activity_count += len(activities)
        if not activities:
            problems.append(
                Problem(
                    "program_empty",
                    _("Program %(program)s has no activity.") % {"program": program},
                    program_id=program.pk,
                )
            )
        for activity in activities:
            problems += _activity_problems(activity)
    if activity_count == 0:
        problems.insert(0, Problem("plan_empty", _("The plan has no activity yet.")))
    return problems


def listed_persons(activity: Activity) -> int | None:
    """The size of the activity's beneficiary list, None without one (loaded with it: no query
    when ``load_programs`` loaded the activity)."""
    try:
        return activity.beneficiary_list.persons
    except ObjectDoesNotExist:
        return None


def _evidence_problems(
    contribution: ExpectedContribution, listed: int | None
) -> list[tuple[str, str]]:
    """Design section 7: nobody lifts more persons out of poverty than the activity reaches,
    a claim said to be backed by a list has one, and an estimate states its basis."""
    found: list[tuple[str, str]] = []
    code = contribution.indicator.code
    evidence = contribution.evidence
    if evidence == ExpectedContribution.Evidence.LIST and not listed:
        found.append(
            (
                "evidence_list_missing",
                _(
                    "the contribution to %(indicator)s says it is backed by a beneficiary list, "
                    "but the activity has none"
                )
                % {"indicator": code},
            )
        )
    if (
        listed is not None
        and contribution.indicator.is_population_share
        and contribution.amount > listed
    ):
        found.append(
            (
                "claim_above_list",
                _(
                    "the contribution to %(indicator)s (%(claim)s persons) is larger than the "
                    "activity's beneficiary list (%(listed)s persons)"
                )
                % {
                    "indicator": code,
                    "claim": format(contribution.amount.normalize(), "f"),
                    "listed": listed,
                },
            )
        )
    if (
        evidence == ExpectedContribution.Evidence.ESTIMATE
        and not contribution.evidence_basis.strip()
    ):
        found.append(
            (
                "estimate_basis_missing",
                _("the estimated contribution to %(indicator)s needs its basis in words")
                % {"indicator": code},
            )
        )
    return found


def _activity_problems(activity: Activity) -> list[Problem]:
    found: list[tuple[str, str]] = []
    if not activity.output_indicator.strip():
        found.append(("output_indicator", _("the output indicator is missing")))
    if activity.output_target is None:
        found.append(("output_target", _("the output target is missing")))
    if activity.kelurahan_id is None:
        found.append(("location", _("the location (kelurahan) is missing")))
    if not activity.target_group.strip():
        found.append(("target_group", _("the target group is missing")))
    if not activity.funding_source:
        found.append(("funding_source", _("the funding source is missing")))
    if activity.budget is None or activity.budget <= 0:
        found.append(("budget", _("the budget must be above zero")))
    listed = listed_persons(activity)
    for contribution in activity.expected_contributions.all():
        indicator = contribution.indicator
        found += _evidence_problems(contribution, listed)
        # The rule the forms and the API apply; a row stored before it (or by the admin) lands here.
        problem = contribution_problem(
            contribution.amount, in_persons=indicator.is_population_share
        )
        if problem == NOT_POSITIVE:
            found.append(
                (
                    problem,
                    _("the contribution to %(indicator)s must be a positive amount")
                    % {"indicator": indicator.code},
                )
            )
        elif problem == NOT_WHOLE_PERSONS:
            found.append(
                (
                    problem,
                    _("the contribution to %(indicator)s is counted in whole persons")
                    % {"indicator": indicator.code},
                )
            )
    label = f"{activity.code} {activity.name}"
    return [
        Problem(
            code,
            _("Activity %(activity)s: %(problem)s.") % {"activity": label, "problem": text},
            activity_id=activity.pk,
            activity_label=label,
            program_id=activity.program_id,
        )
        for code, text in found
    ]
