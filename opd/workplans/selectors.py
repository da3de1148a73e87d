"""Reads shaped for the work-plan pages and the home page; each runs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from opd.agencies import roles
from opd.beneficiaries.selectors import ListSummary, plan_lists
from opd.engine.models import is_pending
from opd.models import (
    AchievedContribution,
    Activity,
    Aspiration,
    AuditEntry,
    ContributionRow,
    ContributionSnapshot,
    ContributionState,
    Opd,
    Program,
    Realisation,
    ReviewComment,
    SubmissionDeadline,
    WorkPlan,
)
from opd.workplans import permissions
from opd.workplans.checklist import Problem, load_programs, problems_for
from targets.models import Indicator, Plan, Region


@dataclass
class ProgramRow:
    program: Program
    activities: list[Activity]
    budget: Decimal
    contributions: dict[int, Decimal]


@dataclass
class ContributionSummary:
    """One indicator's figures for an OPD, from the current snapshot of the year."""

    indicator: Indicator
    snapshot: ContributionSnapshot | None
    row: ContributionRow | None
    pending: bool


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
    contributions_summary: list[ContributionSummary] = field(default_factory=list)
    #: Per activity, the references of the aspirations it took up.
    activity_aspirations: dict[int, list[str]] = field(default_factory=dict)
    #: For the OPD's members: how many aspirations recommended to the OPD for the plan's year
    #: no activity has taken up yet; None for anyone else.
    aspirations_awaiting: int | None = None
    #: Per activity with a beneficiary list: its counts, desil mix and overlap with other OPDs.
    beneficiary_lists: dict[int, ListSummary] = field(default_factory=dict)

    @property
    def contributions_pending(self) -> bool:
        return any(item.pending for item in self.contributions_summary)


def is_overdue(
    work_plan_status: str | None, deadline: SubmissionDeadline | None, today: date
) -> bool:
    """Past the deadline and not submitted (a plan not started yet counts as not submitted)."""
    return (
        deadline is not None
        and today > deadline.due_date
        and (work_plan_status is None or work_plan_status in permissions.EDITABLE_STATUSES)
    )


def plan_indicators(work_plan: WorkPlan) -> list[Indicator]:
    """The indicators of the plan's RPJMD, by code: what an activity may contribute to."""
    return list(Indicator.objects.filter(plan_id=work_plan.plan_id).order_by("code"))


def work_plan_page(*, work_plan: WorkPlan, user: Any) -> PlanPage:
    """Everything the plan page shows: a fixed number of queries whatever the plan's size."""
    programs = load_programs(work_plan)
    indicators = plan_indicators(work_plan)
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
    taken, awaiting = _plan_aspirations(work_plan)
    lists = plan_lists(work_plan=work_plan, activities=(a for row in rows for a in row.activities))
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
        contributions_summary=contribution_summary(
            opd_id=work_plan.opd_id, year=work_plan.year, indicators=indicators
        ),
        activity_aspirations=taken,
        aspirations_awaiting=awaiting if roles.is_member(user, work_plan.opd_id) else None,
        beneficiary_lists=lists,
    )


def _awaiting_decision(work_plan: WorkPlan) -> Q:
    """The aspirations recommended to the plan's OPD for its year that no activity took up."""
    return Q(
        status=Aspiration.Status.RECOMMENDED,
        recommended_opd_id=work_plan.opd_id,
        year=work_plan.year,
        activity__isnull=True,
    )


def _plan_aspirations(work_plan: WorkPlan) -> tuple[dict[int, list[str]], int]:
    """The references of the aspirations each activity of the plan took up, and how many
    recommended to its OPD await a decision: one query."""
    rows = (
        Aspiration.objects.filter(
            Q(activity__program__work_plan=work_plan) | _awaiting_decision(work_plan)
        )
        .order_by("reference")
        .values_list("activity_id", "reference")
    )
    taken: dict[int, list[str]] = defaultdict(list)
    awaiting = 0
    for activity_id, reference in rows:
        if activity_id is None:
            awaiting += 1
        else:
            taken[activity_id].append(reference)
    return dict(taken), awaiting


def activity_aspirations(*, work_plan: WorkPlan, activity: Activity | None) -> list[Aspiration]:
    """What an activity's form lists: the aspirations ``activity`` took up, then those
    recommended to the plan's OPD for its year that no activity has taken up yet, each by
    reference: one query (none of the proposer's fields)."""
    taken = Q(activity=activity) if activity is not None else Q(pk__in=[])
    rows = (
        Aspiration.objects.filter(taken | _awaiting_decision(work_plan))
        .only("reference", "title", "status", "version", "activity_id", "year")
        .order_by("reference", "pk")
    )
    return sorted(rows, key=lambda row: row.activity_id is None)


def contribution_summary(
    *, opd_id: int, year: int, indicators: list[Indicator]
) -> list[ContributionSummary]:
    """The OPD's planned and achieved contribution and share per indicator: two queries.

    ``pending`` shows while a recomputation is due (or none has run yet).
    """
    states = {
        state.indicator_id: state
        for state in ContributionState.objects.filter(
            indicator__in=indicators, year=year
        ).select_related("snapshot")
    }
    snapshot_ids = [s.snapshot_id for s in states.values() if s.snapshot_id]
    rows = {
        row.snapshot_id: row
        for row in ContributionRow.objects.filter(snapshot_id__in=snapshot_ids, opd_id=opd_id)
    }
    summaries = []
    for indicator in indicators:
        state = states.get(indicator.pk)
        snapshot = state.snapshot if state else None
        summaries.append(
            ContributionSummary(
                indicator=indicator,
                snapshot=snapshot,
                row=rows.get(snapshot.pk) if snapshot else None,
                pending=is_pending(state),
            )
        )
    return summaries


@dataclass
class PlanListRow:
    opd: Opd
    work_plan: WorkPlan | None
    budget: Decimal | None
    activities: int
    overdue: bool


def activity_comments(activity: Activity) -> list[ReviewComment]:
    """Bappeda's comments on one activity, oldest first, with their authors: one query."""
    return list(
        ReviewComment.objects.filter(activity=activity)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def work_plan_years(*, user: Any, region: Region | None = None) -> list[int]:
    """The years a work plan can be made for: those of the RPJMD plans of the regions of the
    OPDs ``user`` sees (of ``region`` alone when given), in order (empty when no plan is
    loaded)."""
    opds = Opd.objects.visible_to(user)
    if region is not None:
        opds = opds.filter(region=region)
    periods = Plan.objects.filter(region__opds__in=opds).values_list("first_year", "last_year")
    return sorted({year for first, last in periods.distinct() for year in range(first, last + 1)})


def work_plan_list(
    *, user: Any, year: int, region: Region | None = None
) -> tuple[list[PlanListRow], SubmissionDeadline | None]:
    """The OPDs a user sees (of ``region`` alone when given) with their plan for the year (or
    none yet), and the region's deadline: three queries."""
    shown = Opd.objects.visible_to(user)
    if region is not None:
        shown = shown.filter(region=region)
    opds = list(shown.select_related("region").order_by("code"))
    plans = {
        wp.opd_id: wp
        for wp in WorkPlan.objects.filter(opd__in=opds, year=year).annotate(
            budget=Sum("programs__activities__budget")
        )
    }
    today = timezone.localdate()
    region_ids = {opd.region_id for opd in opds} if region is None else {region.pk}
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


@dataclass
class OwnPlan:
    """One of the user's OPDs with its plan for the year (or none yet), for the home page."""

    opd: Opd
    work_plan: WorkPlan | None
    deadline: SubmissionDeadline | None
    overdue: bool
    # Bappeda's word on a returned or reopened plan: the plan's comment of the latest return
    # (or reopening) and how many of its activities that return commented on.
    comment: ReviewComment | None = None
    activity_comments: int = 0


@dataclass
class NextSteps:
    """What the signed-in home page tells a user to do next in the year."""

    year: int
    own_plans: list[OwnPlan]
    deadline: SubmissionDeadline | None
    awaiting_review: int | None  # None unless the user reviews plans

    @property
    def empty(self) -> bool:
        return not self.own_plans and self.awaiting_review is None


def next_steps(*, user: Any, year: int, region_code: str) -> NextSteps:
    """The user's OPDs (as a member) with their plans of ``year``, the deadlines, Bappeda's
    comments on a returned or reopened plan and, for a reviewer, the count of submitted plans:
    at most five queries."""
    opds = list(Opd.objects.filter(memberships__user=user).order_by("code"))
    plans = (
        {wp.opd_id: wp for wp in WorkPlan.objects.filter(opd__in=opds, year=year)} if opds else {}
    )
    region_ids = {opd.region_id for opd in opds}
    deadlines = list(
        SubmissionDeadline.objects.filter(
            Q(region_id__in=region_ids) | Q(region__code=region_code), year=year
        ).select_related("region")
    )
    by_region = {deadline.region_id: deadline for deadline in deadlines}
    answered = [
        wp.pk
        for wp in plans.values()
        if wp.status in (WorkPlan.Status.RETURNED, WorkPlan.Status.REOPENED)
    ]
    comments: dict[int, list[ReviewComment]] = defaultdict(list)
    if answered:
        for comment in ReviewComment.objects.filter(
            work_plan_id__in=answered,
            kind__in=(ReviewComment.Kind.RETURN, ReviewComment.Kind.REOPEN),
        ).order_by("-created_at", "-pk"):
            comments[comment.work_plan_id].append(comment)
    today = timezone.localdate()
    own_plans = []
    for opd in opds:
        work_plan = plans.get(opd.pk)
        deadline = by_region.get(opd.region_id)
        own = OwnPlan(
            opd=opd,
            work_plan=work_plan,
            deadline=deadline,
            overdue=is_overdue(work_plan.status if work_plan else None, deadline, today),
        )
        said = comments.get(work_plan.pk, []) if work_plan else []
        latest = next((c for c in said if c.activity_id is None), None)
        if latest is not None:
            own.comment = latest
            own.activity_comments = sum(
                1 for c in said if c.activity_id is not None and c.created_at >= latest.created_at
            )
        own_plans.append(own)
    reviewed = roles.reviewed_region_id(user)
    awaiting = (
        WorkPlan.objects.filter(
            year=year, status=WorkPlan.Status.SUBMITTED, opd__region_id=reviewed
        ).count()
        if reviewed is not None
        else None
    )
    home_deadline = next((d for d in deadlines if d.region.code == region_code), None)
    return NextSteps(
        year=year, own_plans=own_plans, deadline=home_deadline, awaiting_review=awaiting
    )
