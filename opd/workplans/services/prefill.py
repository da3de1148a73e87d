"""Starting a Renja from the OPD's Renstra (issue 14): the draft plan and, in the same
transaction, one program per Renstra program and one activity per Renstra activity, each linked
to its Renstra line and carrying that year's figures.

What lands where:

- a program takes its line's code, name, outcome indicator and unit, and the year's outcome
  target;
- an activity takes its line's code, name, output indicator and unit, and the year's output
  target;
- budgets: a Renstra activity has no budget of its own; the indicative budget (pagu) of the year
  belongs to the Renstra program, and a Renja program has no budget field (its budget is the sum
  of its activities'). So the program's pagu is split evenly over its activities, to the sen,
  the first ones taking the odd sen (:func:`split_evenly`), so the program's total is the
  Renstra's exactly; a starting point the OPD re-splits (the page says so, and the program
  form, the activity form and the plan page show the Renstra pagu beside the program). A year
  without a pagu leaves its activities at Rp 0, which the checklist refuses;
- an activity's forward estimate (prakiraan maju) takes its line's target for the next year,
  when the period has one; the next year's budget stays empty (the Renstra holds none per
  activity);
- what the Renstra does not hold (location, target group, funding source, notes, the
  contributions claimed) stays empty for the OPD: the checklist asks for it.

Only an approved Renstra of the plan's OPD and RPJMD plan is copied: a draft may still change.
Without one the plan starts empty, and the result says so. The lines are written with
``bulk_create`` and their trail entries likewise, so the prefill runs a fixed number of queries
however many lines the Renstra has; the trail reads as if each line were created in turn (one
``create`` entry each, in page order, each raising the plan's version by one).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from opd.models import Activity, AuditEntry, Opd, Program, Renstra, RenstraActivityYear, WorkPlan
from opd.renstra.selectors import ProgramLine, renja_lines_for_year
from opd.transactions import atomic_retrying_once
from opd.workplans.services.audit import _diff, _entry, _snapshot
from opd.workplans.services.editing import ACTIVITY_AUDITED, PROGRAM_AUDITED
from opd.workplans.services.workflow import work_plan_create


@dataclass(frozen=True)
class StartedPlan:
    """A new draft plan; the Renstra it was filled from (None: it starts empty) and how many
    programs and activities it received."""

    work_plan: WorkPlan
    renstra: Renstra | None = None
    programs: int = 0
    activities: int = 0


def renstra_to_start_from(work_plan: WorkPlan) -> Renstra | None:
    """The approved Renstra of the plan's OPD under the plan's RPJMD, or None."""
    return (
        Renstra.objects.filter(
            opd_id=work_plan.opd_id, plan_id=work_plan.plan_id, status=Renstra.Status.APPROVED
        )
        .select_related("plan")
        .first()
    )


@atomic_retrying_once
def work_plan_start(*, opd: Opd, year: int, by: Any, from_renstra: bool) -> StartedPlan:
    """Start the OPD's draft plan for ``year`` (``work_plan_create``'s rules and refusals), filled
    from its approved Renstra when ``from_renstra`` and there is one (see the module).

    All or nothing: a refusal leaves no plan and no line.
    """
    work_plan = work_plan_create(opd=opd, year=year, by=by)
    renstra = renstra_to_start_from(work_plan) if from_renstra else None
    if renstra is None:
        return StartedPlan(work_plan)
    lines = renja_lines_for_year(renstra, year)
    ahead = _next_year_targets(lines, year + 1)
    programs = [
        Program(
            work_plan=work_plan,
            code=line.program.code,
            name=line.program.name,
            outcome_indicator=line.program.outcome_indicator,
            outcome_target=line.target,
            outcome_unit=line.program.outcome_unit,
            renstra_program=line.program,
        )
        for line in lines
    ]
    Program.objects.bulk_create(programs)
    shares = {
        own.activity.pk: share
        for line in lines
        for own, share in zip(
            line.activities, split_evenly(line.budget, len(line.activities)), strict=True
        )
    }
    activities = [
        Activity(
            program=program,
            code=own.activity.code,
            name=own.activity.name,
            output_indicator=own.activity.output_indicator,
            output_target=own.target,
            output_unit=own.activity.output_unit,
            budget=shares[own.activity.pk],
            next_year_target=ahead.get(own.activity.pk),
            renstra_activity=own.activity,
        )
        for program, line in zip(programs, lines, strict=True)
        for own in line.activities
    ]
    Activity.objects.bulk_create(activities)
    _record(work_plan, by, programs, activities)
    return StartedPlan(work_plan, renstra, len(programs), len(activities))


def split_evenly(total: Decimal | None, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` shares of whole sen that add up to it exactly, the first shares
    taking the odd sen (Rp 100 in 3: 33.34, 33.33, 33.33); zeros when there is no total."""
    if not parts:
        return []
    if total is None:
        return [Decimal(0)] * parts
    sen, odd = divmod(int(total * 100), parts)
    return [Decimal(sen + (i < odd)) / 100 for i in range(parts)]


def _next_year_targets(lines: list[ProgramLine], year: int) -> dict[int, Decimal | None]:
    """The Renstra activities' targets for ``year`` (the forward estimate, prakiraan maju) by
    activity id: one query; none past the period's last year, since the Renstra has no row there."""
    ids = [own.activity.pk for line in lines for own in line.activities]
    rows = RenstraActivityYear.objects.filter(activity_id__in=ids, year=year)
    return dict(rows.values_list("activity_id", "target"))


def _record(
    work_plan: WorkPlan, by: Any, programs: list[Program], activities: list[Activity]
) -> None:
    """One ``create`` entry per new line, a program before its activities, each raising the
    plan's version by one as ``program_create`` and ``activity_create`` do: two queries."""
    under: dict[int, list[Activity]] = {}
    for activity in activities:
        under.setdefault(activity.program_id, []).append(activity)
    entries = []
    for program in programs:
        rows: list[tuple[Program | Activity, tuple[str, ...]]] = [(program, PROGRAM_AUDITED)]
        rows += [(activity, ACTIVITY_AUDITED) for activity in under.get(program.pk, [])]
        for row, fields in rows:
            work_plan.version += 1
            entries.append(
                _entry(
                    work_plan=work_plan,
                    by=by,
                    action=AuditEntry.Action.CREATE,
                    obj=row,
                    changes=_diff({}, _snapshot(row, fields)),
                    version=row.version,
                )
            )
    # The plan was created in this transaction: nobody else can have raised its version.
    WorkPlan.objects.filter(pk=work_plan.pk).update(version=work_plan.version)
    AuditEntry.objects.bulk_create(entries)
