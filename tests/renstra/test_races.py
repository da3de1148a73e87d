"""Races on a Renstra, on PostgreSQL: a line deleted while a Renja row is linked to it, and two
people starting the same Renstra, at the same moment. One wins, the other is told why; never an
IntegrityError (a 500)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from opd import models as om
from opd.errors import WorkflowError
from opd.renstra import services as renstra_services
from opd.workplans import services
from tests.workplans.plan_world import World
from tests.workplans.renstra_world import approved_renstra, program_line

ROUNDS = 4


def _race(world: World, renstra: om.Renstra, line: om.RenstraProgram) -> dict[str, Any]:
    """Link the world's Renja program to ``line`` and delete ``line`` at the same moment."""
    program = om.Program.objects.get(pk=world.program.pk)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, Any] = {}

    def run(name: str, call: Any) -> None:
        try:
            barrier.wait()
            call()
            outcomes[name] = "done"
        except Exception as error:  # reported by the assertions of the test
            outcomes[name] = error
        finally:
            connection.close()

    def link() -> None:
        services.program_update(
            program_id=program.pk,
            by=world.head,
            values={"renstra_program": line},
            seen_version=program.version,
        )

    def delete() -> None:
        renstra_services.renstra_program_delete(
            renstra_id=renstra.pk, program_id=line.pk, by=world.staff, seen_version=1
        )

    threads = [
        threading.Thread(target=run, args=pair) for pair in (("link", link), ("delete", delete))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_linking_and_deleting_one_line_at_once_one_wins_the_other_is_told() -> None:
    world = World.build()
    renstra = approved_renstra(
        world.work_plan.opd, world.work_plan.plan, status=om.Renstra.Status.DRAFT
    )
    for round_ in range(ROUNDS):
        line = program_line(renstra, f"1.06.9{round_}")
        outcomes = _race(world, renstra, line)

        assert len(outcomes) == 2, outcomes
        won = [name for name, outcome in outcomes.items() if outcome == "done"]
        told = [o for o in outcomes.values() if isinstance(o, WorkflowError)]
        assert len(won) == len(told) == 1, outcomes
        linked = om.Program.objects.get(pk=world.program.pk).renstra_program_id
        exists = om.RenstraProgram.objects.filter(pk=line.pk).exists()
        assert (linked, exists) == ((line.pk, True) if won == ["link"] else (None, False))
        # Unlinked for the next round, which races over a new line.
        om.Program.objects.filter(pk=world.program.pk).update(renstra_program=None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_starting_the_same_renstra_at_once_one_wins_one_is_told() -> None:
    world = World.build()
    opd, plan = world.work_plan.opd, world.work_plan.plan
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, Any] = {}

    def start(who: str) -> None:
        try:
            barrier.wait()
            renstra_services.renstra_create(opd=opd, plan=plan, by=getattr(world, who))
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
    assert om.Renstra.objects.filter(opd=opd, plan=plan).count() == 1
    assert om.RenstraAuditEntry.objects.filter(renstra__opd=opd, action="create").count() == 1
