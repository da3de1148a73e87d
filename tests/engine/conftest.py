"""Fixtures shared by the engine tests."""

from __future__ import annotations

from typing import Any

import pytest

from opd.engine.tasks import recompute_contribution


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The (indicator, year) pairs the on-commit callbacks hand to Celery, in order."""
    calls: list[tuple[int, int]] = []
    task_class = type(recompute_contribution._get_current_object())

    def record(self: Any, args: Any = None, **options: Any) -> None:
        calls.append(tuple(args))

    monkeypatch.setattr(task_class, "apply_async", record)
    return calls
