"""Deadline reminders: e-mail the OPDs whose work plan is not yet submitted.

Runs daily from Celery beat. A reminder goes out ``DEADLINE_REMINDER_DAYS``
days before a deadline (e.g. 7 and 1). Each (deadline, OPD, days) is recorded
before the mail is sent, in the same transaction, so a retried or duplicated
run never mails twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opd.models import DeadlineReminder, Opd, OpdMembership, SubmissionDeadline, WorkPlan
from targets.formats import day

DONE = (WorkPlan.Status.SUBMITTED, WorkPlan.Status.APPROVED)


@dataclass(frozen=True)
class ReminderReport:
    sent: int
    skipped_without_address: int


def send_deadline_reminders(*, today: date | None = None) -> ReminderReport:
    """Send today's reminders; returns how many OPDs were mailed and how many had no address."""
    today = today or timezone.localdate()
    days_list = sorted(set(settings.DEADLINE_REMINDER_DAYS))
    due_dates = [today + timedelta(days=days) for days in days_list]
    sent = skipped = 0
    deadlines = SubmissionDeadline.objects.filter(due_date__in=due_dates).select_related("region")
    for deadline in deadlines:
        days = (deadline.due_date - today).days
        done = WorkPlan.objects.filter(year=deadline.year, status__in=DONE).values("opd_id")
        for opd in Opd.objects.filter(region=deadline.region).exclude(pk__in=done):
            addresses = sorted(
                set(
                    OpdMembership.objects.filter(opd=opd, user__is_active=True)
                    .exclude(user__email="")
                    .values_list("user__email", flat=True)
                )
            )
            if not addresses:
                skipped += 1
                continue
            if _send_once(deadline=deadline, opd=opd, days=days, addresses=addresses):
                sent += 1
    return ReminderReport(sent=sent, skipped_without_address=skipped)


def _send_once(*, deadline: SubmissionDeadline, opd: Opd, days: int, addresses: list[str]) -> bool:
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(
                deadline=deadline,
                opd=opd,
                days_before=days,
                sent_at=timezone.now(),
                recipients=", ".join(addresses),
            )
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Reminder: the %(year)s work plan is due in %(days)s day(s)") % {
                    "year": deadline.year,
                    "days": days,
                }
                body = _(
                    "Dear %(opd)s,\n\nThe work plan (Renja) %(year)s must be submitted to Bappeda "
                    "by %(date)s. Your OPD has not submitted it yet.\n\nOpen the portal to complete "
                    "and submit it.\n"
                ) % {
                    "opd": opd.name,
                    "year": deadline.year,
                    "date": day(deadline.due_date),
                }
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    except IntegrityError:
        return False  # already reminded for this deadline and day
    return True
