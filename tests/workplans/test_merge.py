"""The three-way merge after an edit conflict, without a database (opd.workplans.merge)."""

from __future__ import annotations

from decimal import Decimal

from opd.workplans.merge import MISSING, merge

NAMES = ["name", "budget", "notes"]


def test_each_side_keeps_what_only_it_changed() -> None:
    merged = merge(
        NAMES,
        base={"name": "A", "budget": Decimal(1), "notes": ""},
        mine={"name": "B", "budget": Decimal("1.00"), "notes": None},
        theirs={"name": "A", "budget": Decimal(2), "notes": ""},
    )
    assert merged.values == {"name": "B", "budget": Decimal(2), "notes": None}
    assert merged.conflicts == []


def test_both_changing_a_field_differently_is_a_conflict_holding_mine() -> None:
    merged = merge(
        NAMES,
        base={"name": "A", "budget": Decimal(1), "notes": "x"},
        mine={"name": "B", "budget": Decimal(3), "notes": "x\r\ny"},
        theirs={"name": "C", "budget": Decimal(3), "notes": " x\ny "},
    )
    assert merged.conflicts == ["name"]  # the same budget and notes are no conflict
    assert merged.values["name"] == "B"


def test_an_unknown_base_is_never_overwritten_unseen() -> None:
    merged = merge(
        NAMES,
        base={"name": MISSING},
        mine={"name": "B", "budget": Decimal(1)},
        theirs={"name": "C", "budget": Decimal(1)},
    )
    assert merged.conflicts == ["name"]
    assert merged.values["budget"] == Decimal(1)


def test_a_row_compares_by_its_key() -> None:
    class Row:
        def __init__(self, pk: int) -> None:
            self.pk = pk

    merged = merge(
        ["kelurahan"], base={"kelurahan": 5}, mine={"kelurahan": Row(5)}, theirs={"kelurahan": 7}
    )
    assert merged.values == {"kelurahan": 7}
