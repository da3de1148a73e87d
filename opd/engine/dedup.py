"""Design section 7 inside the method: a year's deduplicated figures from its lists' patterns.

Pure, like :mod:`opd.engine.method` which calls it: what comes in is, per counted activity
with a beneficiary list and a claim on the indicator, its OPD, its list size and its planned
and achieved claims, and per *pattern* (the set of those activities whose lists name a person)
how many distinct persons have exactly that pattern. No person, no hash: the read groups them
away. The deduplication itself is :func:`opd.engine.overlap.deduplicate`, run twice (planned,
then achieved, on the same patterns); this module fits its results to the method's rows.

An OPD's claims on activities without a list count whole, so its figure without a list is its
gross figure less the claims of its listed activities; gross figures come from the method's
rows, so the gross here is always the method's gross.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from opd.engine.overlap import ListedActivity, PairOverlap, Rounded, deduplicate


@dataclass(frozen=True)
class ListInput:
    """A counted activity with a beneficiary list and a claim on the indicator."""

    activity_id: int
    opd_id: int
    persons: int  # the list's size, L_a
    planned: Decimal  # its expected contribution to the indicator
    achieved: Decimal  # Σ its achieved contributions to the indicator


@dataclass(frozen=True)
class PatternInput:
    """The distinct persons listed by exactly ``activities`` (sorted ids)."""

    activities: tuple[int, ...]
    persons: int
    low_desil: int = 0  # of them, persons in desil 1–4 on any of their list rows
    with_desil: int = 0  # of them, persons with a desil on any of their list rows


@dataclass(frozen=True)
class Deduplicated:
    planned: Rounded
    achieved: Rounded
    # The planned figure of the approved plans alone, as the public sees them: their listed
    # activities on the same persons (the submitted plans' lists left out).
    planned_approved: Decimal
    distinct_persons: int
    low_desil_share: Decimal | None  # None when no listed person has a desil
    matrix: tuple[PairOverlap, ...]
    capped: tuple[int, ...]  # activities whose planned or achieved claim exceeded their list

    def opd_planned(self, opd_id: int, default: Decimal) -> Decimal:
        return next((r.deduplicated for r in self.planned.opds if r.opd_id == opd_id), default)

    def opd_achieved(self, opd_id: int, default: Decimal) -> Decimal:
        return next((r.deduplicated for r in self.achieved.opds if r.opd_id == opd_id), default)


def deduplicated(
    lists: Sequence[ListInput],
    patterns: Sequence[PatternInput],
    planned: Mapping[int, Decimal],
    achieved: Mapping[int, Decimal],
    approved: Mapping[int, Decimal] | None = None,
) -> Deduplicated | None:
    """The deduplicated figures, or None when no counted activity has a list.

    ``planned`` / ``achieved``: each counted OPD's gross figures (the method's rows);
    ``approved``: the planned gross of each OPD whose plan is approved.
    Raises ``ValueError`` when the inputs disagree (a listed activity's OPD not counted, its
    claims above its OPD's gross, a pattern naming an activity without a list)."""
    if not lists:
        return None
    counts: dict[frozenset[int], int] = defaultdict(int)
    low: dict[frozenset[int], int] = defaultdict(int)
    with_desil = 0
    for row in patterns:
        key = frozenset(row.activities)
        counts[key] += row.persons
        low[key] += row.low_desil
        with_desil += row.with_desil

    results = []
    for claim_of, gross in ((_planned, planned), (_achieved, achieved)):
        listed = [ListedActivity(a.activity_id, a.opd_id, claim_of(a), a.persons) for a in lists]
        results.append(
            deduplicate(listed, counts, _unlisted(listed, gross), low if with_desil else None)
        )
    planned_overlap, achieved_overlap = results
    rounded_planned = planned_overlap.rounded()
    return Deduplicated(
        planned=rounded_planned,
        achieved=achieved_overlap.rounded(),
        planned_approved=_approved_only(lists, counts, approved or {}),
        distinct_persons=planned_overlap.distinct_persons,
        low_desil_share=rounded_planned.low_desil_share,
        matrix=planned_overlap.matrix,
        capped=tuple(sorted({*planned_overlap.capped, *achieved_overlap.capped})),
    )


def _planned(row: ListInput) -> Decimal:
    return row.planned


def _achieved(row: ListInput) -> Decimal:
    return row.achieved


def _unlisted(listed: Sequence[ListedActivity], gross: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Each counted OPD's claims without a list: its gross less its listed activities' claims."""
    listed_sum: dict[int, Decimal] = defaultdict(Decimal)
    for activity in listed:
        if activity.opd_id not in gross:
            raise ValueError(f"activity {activity.activity_id}: its OPD's plan does not count")
        listed_sum[activity.opd_id] += activity.claim
    unlisted = {opd_id: total - listed_sum[opd_id] for opd_id, total in gross.items()}
    if negative := sorted(opd_id for opd_id, rest in unlisted.items() if rest < 0):
        raise ValueError(f"OPDs {negative}: listed claims above the gross figure")
    return unlisted


def _approved_only(
    lists: Sequence[ListInput],
    counts: Mapping[frozenset[int], int],
    approved: Mapping[int, Decimal],
) -> Decimal:
    """The deduplicated planned figure of the approved plans: each pattern narrowed to their
    listed activities (a person listed only by submitted plans drops out)."""
    kept = [a for a in lists if a.opd_id in approved]
    ids = {a.activity_id for a in kept}
    narrowed: dict[frozenset[int], int] = defaultdict(int)
    for pattern, persons in counts.items():
        if pattern & ids:
            narrowed[pattern & ids] += persons
    listed = [ListedActivity(a.activity_id, a.opd_id, a.planned, a.persons) for a in kept]
    return deduplicate(listed, narrowed, _unlisted(listed, approved)).rounded().deduplicated
