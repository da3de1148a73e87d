"""An aspiration follows the plan that took it up, and the calendar.

:func:`mark_funded` runs inside a work plan's approval, :func:`mark_realised` inside a
realisation report, :func:`release_activity` inside an activity's deletion (each in the
caller's transaction, after the caller locked the plan), and :func:`carry_over` at the year's
start (beat). Re-exported by :mod:`opd.aspirations.services`, which the work-plan services call.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F

from opd.aspirations.models import Aspiration, AspirationEvent, AspirationStatus
from opd.aspirations.steps import locked, move_all
from opd.models import Activity, WorkPlan
from opd.transactions import atomic_retrying_once

Status = AspirationStatus
#: The stages a carry-over leaves alone: decided for good.
SETTLED = (Status.FUNDED, Status.REALISED, Status.REJECTED)


def mark_funded(work_plan: WorkPlan, *, by: Any = None) -> int:
    """Inside a plan's approval (its row locked): its accepted aspirations become funded.

    Returns how many moved."""
    rows = Aspiration.objects.filter(activity__program__work_plan=work_plan, status=Status.ACCEPTED)
    return move_all(locked(rows), by=by, to=Status.FUNDED)


def mark_realised(activity: Activity, *, by: Any = None) -> int:
    """Inside a realisation report of ``activity``: its funded aspirations become realised.

    Returns how many moved."""
    rows = locked(Aspiration.objects.filter(activity=activity, status=Status.FUNDED))
    return move_all(rows, by=by, to=Status.REALISED)


def release_activity(activity: Activity, *, by: Any) -> int:
    """Inside the deletion of ``activity`` (its plan locked): the aspirations it took up go back
    to recommended, to their OPD, to be accepted into another activity. Returns how many."""
    rows = locked(Aspiration.objects.filter(activity=activity))
    return move_all(rows, by=by, to=Status.RECOMMENDED, activity=None)


@atomic_retrying_once
def carry_over(*, to_year: int) -> int:
    """Carry every aspiration of a plan year before ``to_year`` that is not funded, realised or
    rejected into the intake of ``to_year``: same row and reference, ``first_year`` kept, one
    event each.

    A received aspiration stays received. A verified, recommended or accepted one becomes
    verified: its place and facts were checked and a year does not change them, but the
    recommendation and the acceptance were for a plan that did not fund it, so they are
    cleared for next year's round. Running it again changes nothing (nothing is left before
    ``to_year``); a missed run is caught up by the next (every year before, not only the last).
    The plans of the accepted ones are locked first, in ascending order, as every writer of a
    plan's aspirations does. Returns how many were carried.
    """
    unsettled = Aspiration.objects.filter(year__lt=to_year).exclude(status__in=SETTLED)
    plan_ids = sorted(
        set(
            unsettled.exclude(activity=None).values_list(
                "activity__program__work_plan_id", flat=True
            )
        )
    )
    list(WorkPlan.objects.filter(pk__in=plan_ids).select_for_update(of=("self",)).order_by("pk"))
    rows = locked(unsettled)
    events = []
    for aspiration in rows:
        to = Status.RECEIVED if aspiration.status == Status.RECEIVED else Status.VERIFIED
        events.append(
            AspirationEvent(
                aspiration=aspiration,
                kind=AspirationEvent.Kind.CARRY_OVER,
                from_status=aspiration.status,
                to_status=to,
                year=to_year,
            )
        )
    for to, moving in (
        (Status.RECEIVED, [row.pk for row in rows if row.status == Status.RECEIVED]),
        (Status.VERIFIED, [row.pk for row in rows if row.status != Status.RECEIVED]),
    ):
        if moving:
            Aspiration.objects.filter(pk__in=moving).update(
                year=to_year,
                status=to,
                recommended_opd=None,
                activity=None,
                version=F("version") + 1,
            )
    AspirationEvent.objects.bulk_create(events)
    return len(events)
