"""Three-way merge of an edit form after a conflict: pure Python, no Django import.

Person B opened version v of a record, person A saved first. For each field:

- base: the value at version v, the one B's form was rendered with;
- mine: what B posted;
- theirs: what is stored now.

1. mine equals theirs: nothing to decide (unchanged by both, or the same change).
2. mine equals base: B did not touch the field: take theirs.
3. theirs equals base: only B changed it: keep mine.
4. Otherwise both changed it, differently: a conflict, B chooses. An unknown base
   (the form did not carry it) counts here too: nothing is overwritten unseen.

Values compare as people read them: a stored row by its key, text without
surrounding blanks and with one kind of line break, an empty text as nothing,
decimals by their value (``Decimal("40.00") == 40``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()
"""A base value the form did not carry."""


@dataclass(frozen=True)
class Merged:
    values: dict[str, Any]
    """Per field: theirs where only they changed it, mine everywhere else."""
    conflicts: list[str]
    """Fields both changed differently, in the order given; they hold mine until chosen."""


def comparable(value: Any) -> Any:
    key = getattr(value, "pk", None)
    if key is not None:
        return key
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip() or None
    return value


def same(a: Any, b: Any) -> bool:
    return bool(comparable(a) == comparable(b))


def merge(
    names: list[str], *, base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]
) -> Merged:
    """Merge ``mine`` onto ``theirs`` field by field; ``base`` may lack fields (or hold MISSING)."""
    values: dict[str, Any] = {}
    conflicts: list[str] = []
    for name in names:
        was, now, new = base.get(name, MISSING), theirs.get(name), mine.get(name)
        if same(new, now):
            values[name] = new
        elif was is not MISSING and same(new, was):
            values[name] = now
        elif was is not MISSING and same(now, was):
            values[name] = new
        else:
            values[name] = new
            conflicts.append(name)
    return Merged(values, conflicts)
