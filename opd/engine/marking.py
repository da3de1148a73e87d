"""Mark (indicator, year) pairs dirty and enqueue their recomputation once the change commits.

A change that feeds a result (a work plan's status, an activity's budget or contributions, a
realisation, an actual, a target, a population figure) calls a ``mark_*`` function inside its
transaction: the state row is flagged, and the recomputation is enqueued once the transaction
commits. The enqueue is bounded and robust: with the broker down the save still succeeds and
the flag stays set, and the periodic sweep catches up.

A page that finds a figure missing calls :func:`request_recompute` instead, which only
enqueues: a GET never writes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from kombu import Connection

from opd.models import ContributionState, WorkPlan
from targets.models import Indicator

log = logging.getLogger(__name__)


def mark_dirty(*, indicator_ids: Iterable[int], years: Iterable[int]) -> int:
    """Flag every (indicator, year) pair of ``indicator_ids`` × ``years`` for recomputation
    and enqueue it after commit; returns how many pairs."""
    years = list(years)
    return mark_pairs_dirty({(i, y) for i in indicator_ids for y in years})


def mark_pairs_dirty(pairs: Iterable[tuple[int, int]]) -> int:
    """Flag (indicator, year) pairs for recomputation and enqueue it after commit.

    The flag is written even when it is already set: a recomputation running now may
    have read the inputs before this change and be about to clear it. The write waits
    for that recomputation's row lock and sets the flag again after it, so the change is
    never left out of every snapshot. Pairs are written in ascending order, so two changes
    marking the same pairs cannot deadlock (a change marks all its pairs in one call: see
    the lock order in ``opd.transactions``).
    """
    pairs = sorted(set(pairs))
    now = timezone.now()
    for indicator_id, year in pairs:
        _state, created = ContributionState.objects.get_or_create(
            indicator_id=indicator_id, year=year, defaults={"dirty": True, "dirty_since": now}
        )
        if not created:
            ContributionState.objects.filter(indicator_id=indicator_id, year=year).update(
                dirty=True, dirty_since=Coalesce("dirty_since", Value(now))
            )
    if pairs:
        transaction.on_commit(lambda: _enqueue(pairs), robust=True)
    return len(pairs)


def request_recompute(pairs: Iterable[tuple[int, int]]) -> int:
    """Enqueue the recomputation of (indicator, year) pairs a page found without a snapshot,
    writing nothing to the database; returns how many pairs were asked for.

    For reads (house style 11: a GET never writes): no state row is flagged or created, and
    the publish is the request's bounded one (:func:`request_broker_connection`, 0.5 s, no
    retry). It never raises: a broker error is logged and the page still answers.

    Nothing is lost when the publish fails, because nothing depends on it. A pair whose state
    row is flagged is recomputed by the sweep within minutes; one without a flag (never marked,
    or its snapshot deleted) by the nightly ``recompute_all``, which covers every indicator for
    every year of its plan, the only pairs a page asks for. Every later view of the page
    publishes again, and a duplicate recomputation stores nothing new (``compute.recompute``
    is serialised per pair and keeps a snapshot only when the inputs changed). With
    ``CELERY_TASK_ALWAYS_EAGER`` (development without Redis) the task runs at once, here, as
    every enqueue does there.
    """
    pairs = sorted(set(pairs))
    if pairs:
        try:
            _enqueue(pairs)
        except Exception:
            log.warning(
                "Could not enqueue the recomputation of %s; the sweep or the nightly "
                "recomputation computes it.",
                pairs,
                exc_info=True,
            )
    return len(pairs)


def mark_work_plan_dirty(work_plan: WorkPlan) -> int:
    """Mark the pairs of :func:`pairs_for_work_plan`; returns how many."""
    return mark_pairs_dirty(pairs_for_work_plan(work_plan))


def mark_indicator_dirty(indicator: Indicator) -> int:
    """Mark the pairs of :func:`pairs_for_indicator`; returns how many."""
    return mark_pairs_dirty(pairs_for_indicator(indicator))


def mark_region_dirty(region_id: int, from_year: int) -> int:
    """Mark the pairs of :func:`pairs_for_region`; returns how many."""
    return mark_pairs_dirty(pairs_for_region(region_id, from_year))


def pairs_for_work_plan(work_plan: WorkPlan) -> set[tuple[int, int]]:
    """A work plan's change touches every indicator of its RPJMD plan for its year."""
    indicator_ids = Indicator.objects.filter(plan_id=work_plan.plan_id).values_list("pk", flat=True)
    return {(indicator_id, work_plan.year) for indicator_id in indicator_ids}


def pairs_for_indicator(indicator: Indicator) -> set[tuple[int, int]]:
    """A target, actual or baseline change can move every year of the plan."""
    return {(indicator.pk, year) for year in indicator.plan.years()}


def pairs_for_region(region_id: int, from_year: int) -> set[tuple[int, int]]:
    """A population figure feeds every population-share indicator from its year on."""
    indicators = Indicator.objects.filter(
        plan__region_id=region_id, is_population_share=True
    ).select_related("plan")
    return {
        (indicator.pk, year)
        for indicator in indicators
        for year in indicator.plan.years()
        if year >= from_year
    }


#: The longest a save waits for the broker: to connect, or for any one answer.
REQUEST_BROKER_TIMEOUT = 0.5


def request_broker_connection() -> Connection:
    """A broker connection for publishing from a request, which gives up rather than wait.

    It waits at most :data:`REQUEST_BROKER_TIMEOUT` to connect or for an answer, and never
    retries (kombu's ``max_retries``): with a broker that is down or frozen, the state row
    stays dirty and the sweep catches up. kombu's Redis transport ignores ``connect_timeout``
    for its sockets, hence ``socket_connect_timeout`` and ``socket_timeout``. The worker keeps
    the app's own, longer timeouts (settings): it waits on BRPOP.
    """
    from opd.engine.tasks import recompute_contribution

    return recompute_contribution.app.connection_for_write(
        connect_timeout=REQUEST_BROKER_TIMEOUT,
        transport_options={
            "socket_connect_timeout": REQUEST_BROKER_TIMEOUT,
            "socket_timeout": REQUEST_BROKER_TIMEOUT,
            "max_retries": 0,
        },
    )


def _enqueue(pairs: list[tuple[int, int]]) -> None:
    """Publish a recomputation per pair, on a connection of its own (see above), with no
    publish retry; the first broker error ends it (and is raised, for ``on_commit`` to log)."""
    from opd.engine.tasks import recompute_contribution

    with request_broker_connection() as connection:
        for indicator_id, year in pairs:
            recompute_contribution.apply_async(
                args=[indicator_id, year], connection=connection, retry=False
            )
