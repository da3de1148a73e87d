"""A save that changes nothing writes nothing: no new version, no empty history entry.

Before, pressing Save on an untouched form raised the record's version and wrote a "changed"
entry listing nothing, so anyone else with the form open got a conflict about no change at
all. Now the services compare what would be stored with what is stored and leave the record,
its plan's version and the history alone when they are equal; a second person who loaded the
same version saves without a conflict.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from opd import models as om
from opd.workplans import services
from opd.workplans.services import ActivityData
from tests.workplans.plan_world import World

pytestmark = pytest.mark.django_db


def history(world: World) -> int:
    return om.AuditEntry.objects.filter(work_plan=world.work_plan).count()


def activity_values(world: World, **changes: object) -> dict[str, object]:
    world.activity.refresh_from_db()
    return {**{n: getattr(world.activity, n) for n in services.ACTIVITY_FIELDS}, **changes}


def save_activity(world: World, by: object, seen: int, **changes: object) -> om.Activity:
    contributions = changes.pop("contributions", {world.indicator.pk: Decimal(40)})
    return services.activity_update(
        activity_id=world.activity.pk,
        by=by,
        data=ActivityData(values=activity_values(world, **changes), contributions=contributions),
        seen_version=seen,
    )


def test_an_unchanged_activity_save_writes_nothing_and_costs_nobody_a_conflict() -> None:
    world = World.build()
    seen, plan_version, entries = world.activity.version, world.work_plan.version, history(world)

    save_activity(world, world.head, seen)  # the same values, the same contribution
    world.refresh()
    assert (world.activity.version, world.work_plan.version) == (seen, plan_version)
    assert history(world) == entries
    assert not om.ContributionState.objects.filter(dirty=True).exists()

    # Someone who opened the form at the same version saves a real change without a conflict.
    saved = save_activity(world, world.staff, seen, name="Bantuan pangan lansia")
    assert saved.version == seen + 1
    assert history(world) == entries + 1


def test_a_change_of_the_contribution_alone_is_a_change() -> None:
    world = World.build()
    seen = world.activity.version
    save_activity(world, world.head, seen, contributions={world.indicator.pk: Decimal(41)})
    world.refresh()
    assert world.activity.version == seen + 1
    last = om.AuditEntry.objects.filter(work_plan=world.work_plan).latest("pk")
    assert last.changes == {"contribution:KMS": {"old": "40", "new": "41"}}


def test_an_unchanged_program_save_writes_nothing() -> None:
    world = World.build()
    seen, plan_version, entries = world.program.version, world.work_plan.version, history(world)
    values = {name: getattr(world.program, name) for name in services.PROGRAM_FIELDS}
    services.program_update(
        program_id=world.program.pk, by=world.head, values=values, seen_version=seen
    )
    world.refresh()
    assert (world.program.version, world.work_plan.version, history(world)) == (
        seen,
        plan_version,
        entries,
    )
    services.program_update(
        program_id=world.program.pk,
        by=world.staff,
        values={**values, "name": "Program perlindungan sosial"},
        seen_version=seen,
    )
    world.refresh()
    assert world.program.version == seen + 1


def test_an_unchanged_realisation_save_writes_nothing() -> None:
    world = World.build(status=om.WorkPlan.Status.APPROVED)

    def report(seen: int | None, spent: int) -> om.Realisation:
        return services.realisation_save(
            activity_id=world.activity.pk,
            quarter=1,
            by=world.head,
            values={"budget_spent": Decimal(spent), "output_achieved": Decimal(3), "notes": ""},
            contributions={world.indicator.pk: Decimal(5)},
            seen_version=seen,
        ).realisation

    first = report(None, 1000)
    plan_version, entries = om.WorkPlan.objects.get(pk=world.work_plan.pk).version, history(world)
    again = report(first.version, 1000)
    assert again.version == first.version
    assert om.WorkPlan.objects.get(pk=world.work_plan.pk).version == plan_version
    assert history(world) == entries
    assert report(first.version, 2000).version == first.version + 1
