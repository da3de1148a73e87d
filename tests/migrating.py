"""Moving the test database between migrations, always back to the latest afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps.registry import Apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]]) -> Apps:
    """Migrate to ``targets`` and return the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    """Whatever the test does (or however it fails), the database ends fully migrated, so no
    later test runs on an old schema."""
    try:
        yield
    finally:
        call_command("migrate", verbosity=0)
