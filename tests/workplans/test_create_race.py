"""Starting a plan that exists already, even at the same moment as someone else, is a refusal
naming the year, never a database error: the unique constraint decides, not a prior check."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import translation

from opd import models as om
from opd.errors import WorkflowError
from opd.workplans import services
from tests.workplans.plan_world import World

YEAR = 2019


def _creations(opd: om.Opd) -> int:
    return om.AuditEntry.objects.filter(
        work_plan__opd=opd, work_plan__year=YEAR, object_type="workplan", action="create"
    ).count()


@pytest.mark.django_db
def test_a_second_start_is_refused_and_the_callers_transaction_survives() -> None:
    world = World.build()
    opd = world.work_plan.opd
    first = services.work_plan_create(opd=opd, year=YEAR, by=world.head)
    with transaction.atomic():  # a caller's own transaction: the refusal must not poison it
        with (
            translation.override("en"),
            pytest.raises(WorkflowError, match="already has a work plan for 2019"),
        ):
            services.work_plan_create(opd=opd, year=YEAR, by=world.staff)
        assert om.WorkPlan.objects.filter(opd=opd, year=YEAR).get() == first  # still usable
    assert _creations(opd) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_starting_the_same_plan_at_once_one_wins_one_is_told() -> None:
    world = World.build()
    opd = world.work_plan.opd
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, Any] = {}

    def start(who: str) -> None:
        try:
            barrier.wait()
            services.work_plan_create(opd=opd, year=YEAR, by=getattr(world, who))
            outcomes[who] = "created"
        except Exception as error:  # reported by the assertions below
            outcomes[who] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(who,)) for who in ("head", "staff")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(type(o).__name__ for o in outcomes.values()) == ["WorkflowError", "str"], outcomes
    assert om.WorkPlan.objects.filter(opd=opd, year=YEAR).count() == 1
    assert _creations(opd) == 1
