"""The deduplicated figures of a snapshot shaped for the dashboards (design section 7).

Everything here is read from rows already in hand: the snapshot holds the totals, the
matrix and the capped activities, and its rows hold each OPD (with its name), so naming the
OPDs of the matrix costs no query. Only counts appear: no person-level row exists here.

The matrix is shaded in ``SHADE_STEPS`` steps relative to its largest cell, so the pair
sharing the most persons is always the darkest: a cell of ``n`` persons, the largest being
``m``, is in step ``ceil(SHADE_STEPS × n / m)`` (0 for nobody), so a quarter of the largest
is step 1 and one person more is step 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from opd.engine.models import StatusBasis
from opd.models import Activity, ContributionRow, ContributionSnapshot, Opd

SHADE_STEPS = 4


def shade_step(persons: int, largest: int) -> int:
    """The shading step of a cell: 0 for nobody, else 1 … ``SHADE_STEPS`` by its share of
    ``largest`` (rounded up, so every shared person shows)."""
    if persons <= 0 or largest <= 0:
        return 0
    return min(SHADE_STEPS, -(-SHADE_STEPS * persons // largest))


@dataclass(frozen=True)
class MatrixCell:
    persons: int | None  # None on the diagonal: an OPD against itself
    step: int = 0
    other: Opd | None = None  # the column's OPD, for the cell's accessible label


@dataclass(frozen=True)
class MatrixRow:
    opd: Opd
    cells: list[MatrixCell]


@dataclass(frozen=True)
class Pair:
    """Another OPD and the persons on the lists of both it and the OPD in view."""

    opd: Opd
    persons: int


@dataclass
class OverlapView:
    """A snapshot's deduplicated figures with the OPDs of its matrix resolved."""

    snapshot: ContributionSnapshot
    opds: list[Opd] = field(default_factory=list)  # the matrix's OPDs, in code order
    matrix: list[MatrixRow] = field(default_factory=list)
    # Whether the rows' deduplicated figures, each rounded to 4 places, miss the stored total.
    planned_parts_rounded: bool = False
    achieved_parts_rounded: bool = False
    shared_pairs: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def has_lists(self) -> bool:
        """Whether any counted activity has a beneficiary list (else deduplicated = gross)."""
        snapshot = self.snapshot
        return snapshot.status_basis == StatusBasis.DEDUPLICATED or snapshot.distinct_persons > 0

    @property
    def by_deduplicated(self) -> bool:
        return self.snapshot.status_basis == StatusBasis.DEDUPLICATED

    @property
    def parts_rounded(self) -> bool:
        return self.planned_parts_rounded or self.achieved_parts_rounded

    def pairs_of(self, opd_id: int) -> list[Pair]:
        """Every other OPD of the matrix with the persons it shares with ``opd_id`` (0 when
        none), in code order; empty when ``opd_id`` shares nobody with anyone."""
        if not any(opd_id in key for key in self.shared_pairs):
            return []
        return [
            Pair(opd=opd, persons=self.shared_pairs.get(_key(opd_id, opd.pk), 0))
            for opd in self.opds
            if opd.pk != opd_id
        ]


def _key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _pairs(matrix: Any) -> dict[tuple[int, int], int]:
    """The stored matrix as {(smaller id, larger id): persons}, pairs sharing nobody left out."""
    pairs: dict[tuple[int, int], int] = {}
    for cell in matrix if isinstance(matrix, list) else []:
        a, b, persons = int(cell["opd_a"]), int(cell["opd_b"]), int(cell["persons"])
        if a != b and persons > 0:
            pairs[_key(a, b)] = persons
    return pairs


def _misses(parts: Iterable[Decimal], total: Decimal) -> bool:
    return sum(parts, Decimal(0)) != total


def overlap_view(
    snapshot: ContributionSnapshot | None, rows: Sequence[ContributionRow]
) -> OverlapView | None:
    """The deduplicated figures of ``snapshot`` for a page, the OPDs named from ``rows`` (the
    snapshot's rows with their OPDs, already read): no query. None without a snapshot."""
    if snapshot is None:
        return None
    pairs = _pairs(snapshot.overlap_matrix)
    by_id = {row.opd_id: row.opd for row in rows}
    ids = sorted({i for key in pairs for i in key})
    # Every OPD of the region has a row; an id without one (never expected) is shown by id.
    opds = sorted(
        (by_id.get(i) or Opd(pk=i, code=str(i), name=f"OPD {i}") for i in ids),
        key=lambda o: (o.code, o.pk),
    )
    largest = max(pairs.values(), default=0)
    matrix = [
        MatrixRow(
            opd=row_opd,
            cells=[
                MatrixCell(persons=None, other=col_opd)
                if col_opd.pk == row_opd.pk
                else MatrixCell(
                    persons=(n := pairs.get(_key(row_opd.pk, col_opd.pk), 0)),
                    step=shade_step(n, largest),
                    other=col_opd,
                )
                for col_opd in opds
            ],
        )
        for row_opd in opds
    ]
    return OverlapView(
        snapshot=snapshot,
        opds=opds,
        matrix=matrix,
        planned_parts_rounded=bool(rows)
        and _misses((r.planned_deduplicated for r in rows), snapshot.planned_deduplicated),
        achieved_parts_rounded=bool(rows)
        and _misses((r.achieved_deduplicated for r in rows), snapshot.achieved_deduplicated),
        shared_pairs=pairs,
    )


def capped_codes(snapshot: ContributionSnapshot | None) -> list[str]:
    """The codes of the activities whose claim exceeded their list (counted at w = 1), in code
    order: one query, and none when the snapshot names no such activity."""
    ids = [int(i) for i in (snapshot.capped_activities if snapshot else None) or []]
    if not ids:
        return []
    return list(Activity.objects.filter(pk__in=ids).order_by("code").values_list("code", flat=True))
