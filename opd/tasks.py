"""Thin Celery tasks: each calls one service."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from opd import snapshots
from opd.reminders import send_deadline_reminders
from targets.models import Indicator


@shared_task(
    acks_late=True, time_limit=300, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def send_deadline_reminders_task() -> dict[str, int]:
    """E-mail today's deadline reminders (scheduled daily by Celery beat)."""
    report = send_deadline_reminders()
    return {"sent": report.sent, "skipped_without_address": report.skipped_without_address}


@shared_task(
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
        return snapshots.recompute(indicator_id=indicator_id, year=year).pk
    except Indicator.DoesNotExist:
        return None


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def sweep_contributions() -> int:
    """Recompute whatever is still dirty (every few minutes, from Celery beat)."""
    return snapshots.sweep_dirty()


@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3500)
def recompute_all_contributions() -> int:
    """Recompute every indicator and year (nightly, from Celery beat)."""
    return snapshots.recompute_all()
