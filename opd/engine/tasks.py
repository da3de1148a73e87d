"""Thin Celery tasks of the engine: each calls one function of ``opd.engine.compute``.

Each task keeps the name it was first published under (``opd.tasks.*``, before the engine had
a room of its own), so messages queued by a web process of an earlier release still reach a
worker of this one.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from opd.engine import compute
from targets.models import Indicator


@shared_task(
    name="opd.tasks.recompute_contribution",
    acks_late=True,
    time_limit=120,
    soft_time_limit=100,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def recompute_contribution(indicator_id: int, year: int) -> int | None:
    """Recompute one indicator's year; returns the current snapshot's id.

    An indicator deleted since the task was queued (deleting one marks its years first)
    has nothing left to compute: None, not an error.
    """
    try:
        return compute.recompute(indicator_id=indicator_id, year=year).pk
    except Indicator.DoesNotExist:
        return None


@shared_task(
    name="opd.tasks.sweep_contributions", acks_late=True, time_limit=1800, soft_time_limit=1700
)
def sweep_contributions() -> int:
    """Recompute whatever is still dirty (every few minutes, from Celery beat)."""
    return compute.sweep_dirty()


@shared_task(
    name="opd.tasks.recompute_all_contributions",
    acks_late=True,
    time_limit=3600,
    soft_time_limit=3500,
)
def recompute_all_contributions() -> int:
    """Recompute every indicator and year (nightly, from Celery beat)."""
    return compute.recompute_all()
