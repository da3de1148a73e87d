"""Reads shaped for the work-plan pages; each runs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Sum
from django.utils import timezone

from targets.models import Indicator

from . import permissions
from .checklist import Problem, load_programs, problems_for
from .models import (
    AchievedContribution,
    Activity,
    AuditEntry,
    Opd,
    Program,
    Realisation,
    ReviewComment,
    SubmissionDeadline,
    WorkPlan,
)


@dataclass
class ProgramRow:
    program: Program
    activities: list[Activity]
    budget: Decimal
    contributions: dict[int, Decimal]


@dataclass
class PlanPage:
    work_plan: WorkPlan
    programs: list[ProgramRow]
    indicators: list[Indicator]
    budget: Decimal
    contributions: dict[int, Decimal]
    achieved: dict[int, Decimal]
    problems: list[Problem]
    comments: list[ReviewComment]
    activity_comments: dict[int, list[ReviewComment]]
    deadline: SubmissionDeadline | None
    overdue: bool
    can_edit: bool
    can_review: bool
    can_reopen: bool
    can_report: bool
    problem_activity_ids: set[int] = field(default_factory=set)


def is_overdue(
    work_plan_status: str | None, deadline: SubmissionDeadline | None, today: date
) -> bool:
    """Past the deadline and not submitted (a plan not started yet counts as not submitted)."""
    return (
        deadline is not None
        and today > deadline.due_date
        and (work_plan_status is None or work_plan_status in permissions.EDITABLE_STATUSES)
    )


def work_plan_page(*, work_plan: WorkPlan, user: Any) -> PlanPage:
    """Everything the plan page shows: a fixed number of queries whatever the plan's size."""
    programs = load_programs(work_plan)
    indicators = list(Indicator.objects.filter(plan_id=work_plan.plan_id).order_by("code"))
    rows = []
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for program in programs:
        activities = list(program.activities.all())
        sums: dict[int, Decimal] = defaultdict(Decimal)
        for activity in activities:
            for contribution in activity.expected_contributions.all():
                sums[contribution.indicator_id] += contribution.amount
        for indicator_id, amount in sums.items():
            totals[indicator_id] += amount
        rows.append(
            ProgramRow(
                program=program,
                activities=activities,
                budget=sum((a.budget for a in activities), Decimal(0)),
                contributions=dict(sums),
            )
        )
    achieved = dict(
        AchievedContribution.objects.filter(realisation__activity__program__work_plan=work_plan)
        .values_list("indicator_id")
        .annotate(total=Sum("amount"))
    )
    comments = list(
        ReviewComment.objects.filter(work_plan=work_plan).select_related("author", "activity")
    )
    activity_comments: dict[int, list[ReviewComment]] = defaultdict(list)
    for comment in comments:
        if comment.activity_id is not None:
            activity_comments[comment.activity_id].append(comment)
    deadline = SubmissionDeadline.objects.filter(
        region_id=work_plan.opd.region_id, year=work_plan.year
    ).first()
    problems = problems_for(programs) if work_plan.status in permissions.EDITABLE_STATUSES else []
    return PlanPage(
        work_plan=work_plan,
        programs=rows,
        indicators=indicators,
        budget=sum((row.budget for row in rows), Decimal(0)),
        contributions=dict(totals),
        achieved=achieved,
        problems=problems,
        comments=[c for c in comments if c.activity_id is None],
        activity_comments=dict(activity_comments),
        deadline=deadline,
        overdue=is_overdue(work_plan.status, deadline, timezone.localdate()),
        can_edit=permissions.can_edit(user, work_plan),
        can_review=permissions.can_review(user, work_plan),
        can_reopen=permissions.can_reopen(user, work_plan),
        can_report=permissions.can_report(user, work_plan),
        problem_activity_ids={p.activity_id for p in problems if p.activity_id},
    )


@dataclass
class PlanListRow:
    opd: Opd
    work_plan: WorkPlan | None
    budget: Decimal | None
    activities: int
    overdue: bool


def work_plan_list(*, user: Any, year: int) -> tuple[list[PlanListRow], SubmissionDeadline | None]:
    """The OPDs a user sees with their plan for the year (or none yet): three queries."""
    opds = list(Opd.objects.visible_to(user).select_related("region").order_by("code"))
    plans = {
        wp.opd_id: wp
        for wp in WorkPlan.objects.filter(opd__in=opds, year=year).annotate(
            budget=Sum("programs__activities__budget")
        )
    }
    today = timezone.localdate()
    region_ids = {opd.region_id for opd in opds}
    deadline = SubmissionDeadline.objects.filter(region_id__in=region_ids, year=year).first()
    counts = (
        dict(
            Activity.objects.filter(program__work_plan__in=plans.values())
            .values_list("program__work_plan__opd_id")
            .annotate(n=Count("pk"))
        )
        if plans
        else {}
    )
    return (
        [
            PlanListRow(
                opd=opd,
                work_plan=plans.get(opd.pk),
                budget=getattr(plans.get(opd.pk), "budget", None),
                activities=counts.get(opd.pk, 0),
                overdue=is_overdue(
                    plans[opd.pk].status if opd.pk in plans else None, deadline, today
                ),
            )
            for opd in opds
        ],
        deadline,
    )


def realisations_of(activity: Activity) -> dict[int, Realisation]:
    """An activity's realisations by quarter, with their achieved contributions."""
    return {
        r.quarter: r
        for r in Realisation.objects.filter(activity=activity).prefetch_related(
            Prefetch(
                "achieved_contributions",
                queryset=AchievedContribution.objects.select_related("indicator"),
            )
        )
    }


def history_of(work_plan: WorkPlan) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(work_plan=work_plan).select_related("actor"))
