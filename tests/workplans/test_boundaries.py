"""Boundaries that mutation testing showed unpinned: the deadline day, who sees nothing.

Each test names the mutant it kills.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from opd import models as om
from opd.workplans.selectors import is_overdue
from tests.workplans.plan_world import World

DUE = date(2017, 9, 8)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("today", "status", "overdue"),
    [
        (DUE - DAY, "draft", False),
        (DUE, "draft", False),  # the deadline day itself is still in time (kills `>=`)
        (DUE, None, False),
        (DUE + DAY, "draft", True),  # the day after is overdue
        (DUE + DAY, "returned", True),
        (DUE + DAY, None, True),  # a plan not started yet is not submitted either
        (DUE + DAY, "submitted", False),
        (DUE + DAY, "approved", False),
    ],
)
def test_overdue_from_the_day_after_the_deadline(today, status, overdue):
    deadline = om.SubmissionDeadline(year=2018, due_date=DUE)
    assert is_overdue(status, deadline, today) is overdue
    assert is_overdue(status, None, today) is False  # no deadline, nothing is overdue


@pytest.mark.django_db
def test_an_anonymous_users_visible_to_is_empty():
    world = World.build(om.WorkPlan.Status.SUBMITTED)
    anonymous = AnonymousUser()
    assert list(om.WorkPlan.objects.visible_to(anonymous)) == []
    assert list(om.Opd.objects.visible_to(anonymous)) == []
    # The rows are there: a reviewer sees them all, the OPD's member its own.
    assert list(om.WorkPlan.objects.visible_to(world.reviewer)) == [world.work_plan]
    assert list(om.WorkPlan.objects.visible_to(world.staff)) == [world.work_plan]
    assert list(om.Opd.objects.visible_to(world.head)) == [world.work_plan.opd]
