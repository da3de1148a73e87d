"""Deadline reminders: the right OPDs, the right days, never twice."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from magelang.celery import app
from opd.models import DeadlineReminder, Opd, SubmissionDeadline, WorkPlan
from opd.workplans.reminders import send_deadline_reminders
from opd.workplans.tasks import send_deadline_reminders_task
from targets.models import Region

pytestmark = pytest.mark.django_db
TODAY = date(2017, 9, 1)


@pytest.fixture
def deadline(settings):
    settings.DEADLINE_REMINDER_DAYS = [7, 1]
    call_command("load_magelang", "--demo", stdout=StringIO())
    return SubmissionDeadline.objects.create(
        region=Region.objects.get(code="33.71"), year=2018, due_date=TODAY + timedelta(days=7)
    )


def test_reminds_opds_whose_plan_is_not_submitted_seven_days_before(deadline):
    report = send_deadline_reminders(today=TODAY)
    # Demo: Dinkes and Disperkim have drafts (heads with e-mail); Dinsos approved, Disnaker
    # submitted;
    # the other OPDs have no member with an address.
    assert report.sent == 2
    assert report.skipped_without_address == Opd.objects.count() - 4
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == [
        "kepala.dinkes@demo.magelangkota.go.id",
        "kepala.disperkim@demo.magelangkota.go.id",
    ]
    message = mail.outbox[0]
    assert "2018" in message.subject and "7" in message.subject
    assert "Renja" in message.body and "8 September 2017" in message.body
    assert DeadlineReminder.objects.count() == 2


def test_running_twice_sends_nothing_more(deadline):
    send_deadline_reminders(today=TODAY)
    again = send_deadline_reminders(today=TODAY)
    assert again.sent == 0
    assert len(mail.outbox) == 2


def test_no_reminder_on_other_days_and_after_submission(deadline):
    assert send_deadline_reminders(today=TODAY + timedelta(days=1)).sent == 0  # 6 days before
    WorkPlan.objects.filter(year=2018).update(status="submitted", submitted_at=timezone.now())
    assert send_deadline_reminders(today=TODAY + timedelta(days=6)).sent == 0  # 1 day before
    assert mail.outbox == []


def test_the_task_calls_the_service_and_is_scheduled_daily(deadline, settings, monkeypatch):
    import opd.workplans.reminders

    monkeypatch.setattr(opd.workplans.reminders.timezone, "localdate", lambda: TODAY)
    assert send_deadline_reminders_task.apply().get() == {
        "sent": 2,
        "skipped_without_address": Opd.objects.count() - 4,
    }
    schedule = app.conf.beat_schedule["deadline-reminders"]
    assert schedule["task"] == send_deadline_reminders_task.name
