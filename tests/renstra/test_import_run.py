"""The confirmation's own guards, below the pages: who may import, in which state, an indicator
gone since the check, and a session holding something else than a staged file."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from opd.errors import WorkflowError
from opd.renstra import import_run
from opd.renstra.import_check import check_rows, load_existing
from opd.renstra.import_rows import read_file
from tests.renstra.import_world import PERIOD, World, plan_rows, state, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def staged(world: World, rows: list[dict[str, Any]]) -> import_run.Staged:
    world.renstra.refresh_from_db()
    lines, bad = check_rows(read_file("r.xlsx", xlsx(rows), PERIOD), load_existing(world.renstra))
    assert bad == []
    session: dict[str, Any] = {}
    import_run.stage(session, renstra=world.renstra, file_name="r.xlsx", lines=lines)
    found = import_run.staged_for(session, world.renstra.pk)
    assert found is not None
    return found


@pytest.mark.parametrize("role", ["other", "reviewer", "user"])
def test_only_the_opds_members_import(role: str) -> None:
    world = World.build()
    file = staged(world, plan_rows(1, 1))
    before = state(world.renstra)
    with pytest.raises(PermissionDenied):
        import_run.run_import(renstra_id=world.renstra.pk, by=world.who(role), staged=file)
    assert state(world.renstra) == before


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_locked_renstra_takes_no_import(status: str) -> None:
    world = World.build()
    file = staged(world, plan_rows(1, 1))
    world.set_status(status)
    before = state(world.renstra)
    with pytest.raises(WorkflowError, match=f"The Renstra is {status} and cannot be changed."):
        import_run.run_import(renstra_id=world.renstra.pk, by=world.head, staged=file)
    assert state(world.renstra) == before


def test_an_indicator_gone_since_the_check_stops_the_import() -> None:
    world = World.build()
    file = staged(world, plan_rows(2))
    world.indicator.delete()
    before = state(world.renstra)
    with pytest.raises(WorkflowError, match="indicator of the file no longer exists"):
        import_run.run_import(renstra_id=world.renstra.pk, by=world.head, staged=file)
    assert state(world.renstra) == before


def test_the_counts_name_every_kind_and_action() -> None:
    world = World.build()
    file = staged(world, plan_rows(2, 3))
    assert import_run.run_import(renstra_id=world.renstra.pk, by=world.head, staged=file) == {
        "program_create": 2,
        "program_update": 0,
        "program_same": 0,
        "activity_create": 6,
        "activity_update": 0,
        "activity_same": 0,
    }


@pytest.mark.parametrize(
    "data",
    [
        None,
        "text",
        {"token": "t"},
        {"token": "t", "version": "x", "file_name": "", "lines": []},
        {"token": "t", "version": 1, "file_name": "", "lines": ["a line"]},
        {"token": "t", "version": 1, "file_name": "", "lines": [{"row": 2}]},
    ],
)
def test_a_session_without_a_staged_file_gives_none(data: Any) -> None:
    session = {import_run.session_key(5): data}
    assert import_run.staged_for(session, 5) is None


def test_a_second_confirmation_of_the_same_file_imports_nothing_more() -> None:
    """A double click: the second confirmation finds the Renstra's version moved by the first
    and is refused, rather than adding the lines twice or failing with a 500."""
    world = World.build()
    file = staged(world, plan_rows(1, 2))
    import_run.run_import(renstra_id=world.renstra.pk, by=world.head, staged=file)
    after_first = state(world.renstra)
    with pytest.raises(WorkflowError, match="changed after this file was checked"):
        import_run.run_import(renstra_id=world.renstra.pk, by=world.head, staged=file)
    assert state(world.renstra) == after_first
