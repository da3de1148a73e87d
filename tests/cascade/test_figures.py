"""The cascade's rates below the indicator (``opd.cascade.figures``): no database."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from opd.cascade.figures import share, total


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (Decimal(40), Decimal(100), Decimal(40)),
        (Decimal(100), Decimal(100), Decimal(100)),  # exactly the target
        (Decimal(150), Decimal(100), Decimal(150)),  # beyond it: not capped
        (Decimal(0), Decimal(100), Decimal(0)),  # a reported zero is a rate of 0
        (None, Decimal(100), None),  # nothing reported: no rate
        (Decimal(5), Decimal(0), None),  # a zero target asks for nothing
        (Decimal(5), None, None),  # no target
    ],
)
def test_share(part: Decimal | None, whole: Decimal | None, expected: Decimal | None) -> None:
    assert share(part, whole) == expected


def test_share_is_exact() -> None:
    rate = share(Decimal("100000500"), Decimal("300000000"))
    assert rate is not None and rate.quantize(Decimal("0.0001")) == Decimal("33.3335")


def test_total_tells_nothing_reported_from_a_reported_zero() -> None:
    assert total([]) is None
    assert total([None, None]) is None
    assert total([None, Decimal(0)]) == Decimal(0)
    assert total([Decimal(2), None, Decimal("0.5")]) == Decimal("2.5")


def test_the_module_needs_no_django() -> None:
    import opd.cascade.figures as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import)\s+(django|opd|targets)\b", source, flags=re.M)
