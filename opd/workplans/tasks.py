"""The daily deadline reminders, a thin Celery task around ``opd.workplans.reminders``."""

from __future__ import annotations

from celery import shared_task

from opd.workplans.reminders import send_deadline_reminders


@shared_task(
    name="opd.tasks.send_deadline_reminders_task",  # its name before the rooms: see engine.tasks
    acks_late=True,
    time_limit=300,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_deadline_reminders_task() -> dict[str, int]:
    """E-mail today's deadline reminders (scheduled daily by Celery beat)."""
    report = send_deadline_reminders()
    return {"sent": report.sent, "skipped_without_address": report.skipped_without_address}
