"""The inputs' document and fingerprint are what they were when made through
``dataclasses.asdict``: ``snapshots._plain`` now walks the dataclasses itself (faster), and a
fingerprint that moved would make every stored snapshot look changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from decimal import Decimal
from typing import Any

import pytest

from opd.engine import snapshots
from opd.engine.batch_inputs import year_inputs
from tests.engine.batch_world import build

pytestmark = pytest.mark.django_db


def plain_as_it_was(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, dict):
        return {str(k): plain_as_it_was(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [plain_as_it_was(v) for v in value]
    return value


def document_as_it_was(inputs: Any) -> dict[str, Any]:
    document: dict[str, Any] = plain_as_it_was(asdict(inputs))
    document["opds"] = sorted(document["opds"], key=lambda row: row["opd_id"])
    for key in ("lists", "patterns"):
        if not document[key]:
            del document[key]
    return document


def test_every_pairs_document_and_fingerprint_are_as_asdict_made_them() -> None:
    world = build()
    pairs = world.pairs()
    seen_lists = 0
    for year in sorted({year for _indicator, year in pairs}):
        found = year_inputs(year=year, indicator_ids=[i for i, y in pairs if y == year])
        for inputs in found.values():
            expected = document_as_it_was(inputs)
            document = snapshots.inputs_document(inputs)
            assert document == expected
            canonical = json.dumps({"year": year, **expected}, sort_keys=True)
            assert (
                snapshots.fingerprint(inputs, year)
                == hashlib.sha256(canonical.encode()).hexdigest()
            )
            assert snapshots.document_fingerprint(document, year) == snapshots.fingerprint(
                inputs, year
            )
            seen_lists += "lists" in document
    assert seen_lists  # the lists and patterns (nested dataclasses, tuples) were walked too
