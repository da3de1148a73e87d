"""Probes shared by the tests of the work-plan write services (``test_services_*.py``).

``nothing_changes`` compares every row of the work-plan tables before and after a
refused call; ``audit`` and ``last_audit`` read what a write recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opd import models as om
from opd.workplans import services
from opd.workplans.services import ActivityData
from tests.workplans.plan_world import World

STATE_MODELS = (
    om.WorkPlan,
    om.Program,
    om.Activity,
    om.ExpectedContribution,
    om.Realisation,
    om.AchievedContribution,
    om.ReviewComment,
    om.AuditEntry,
    om.SubmissionDeadline,
)


def db_state() -> dict[str, list[dict[str, Any]]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in STATE_MODELS}


@contextmanager
def nothing_changes() -> Iterator[None]:
    """The block (a refused call) leaves every work-plan row as it was."""
    before = db_state()
    yield
    assert db_state() == before


def audit(work_plan: om.WorkPlan) -> list[om.AuditEntry]:
    """The plan's audit entries, oldest first."""
    return list(om.AuditEntry.objects.filter(work_plan=work_plan).order_by("at", "pk"))


def last_audit() -> om.AuditEntry:
    return om.AuditEntry.objects.order_by("-pk").first()


def plan_version(world: World) -> int:
    return om.WorkPlan.objects.values_list("version", flat=True).get(pk=world.work_plan.pk)


def _activity_values(world: World, **changes: Any) -> dict[str, Any]:
    """The activity's editable values as the form hands them to the service."""
    activity = world.activity
    values = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    return {**values, **changes}


def _update_activity(world: World, by: Any, seen_version: int, **changes: Any) -> om.Activity:
    contributions = changes.pop("contributions", {})
    return services.activity_update(
        activity_id=world.activity.pk,
        by=by,
        data=ActivityData(values=_activity_values(world, **changes), contributions=contributions),
        seen_version=seen_version,
    )
