"""Fixtures shared by the Renstra test modules that ask for them.

``english`` is not autouse: a module opts in with ``pytest.mark.usefixtures("english")``, so the
modules that read the default (Indonesian) language keep it. ``world`` is the Renstra page
world; a module defining its own ``world`` fixture (the import tests) overrides it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.renstra.page_world import RenstraWorld, build_renstra_world


@pytest.fixture
def english() -> Iterator[None]:
    """Runs the test in English: it asserts English text (the portal's default is Indonesian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(db: None) -> RenstraWorld:
    """OPD A's Renstra with one program and one activity (``build_renstra_world``)."""
    return build_renstra_world()
