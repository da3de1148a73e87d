"""The database refuses bad staged imports by itself (see ``tests/constraints.py``): a bad row
written through the ORM is refused by name, the nearest good row is accepted."""

from __future__ import annotations

from typing import Any

import pytest

from opd import models as om
from tests.constraints import refused
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def staged(**values: Any) -> om.AspirationImport:
    fields = {
        "region": RegionFactory(),
        "uploaded_by": UserFactory(),
        "file_name": "u.xlsx",
        "row_count": 1,
        "rows": [{"row": 2}],
        **values,
    }
    return om.AspirationImport.objects.create(**fields)


def test_aspiration_import_state_valid() -> None:
    assert staged(state="running").pk
    with refused("aspiration_import_state_valid"):
        staged(state="half_done")


def test_aspiration_import_done_no_rows() -> None:
    assert staged(state="done", rows=[]).pk
    assert staged(state="failed", rows=[{"row": 2}]).pk
    with refused("aspiration_import_done_no_rows"):
        staged(state="done", rows=[{"row": 2}])
