"""The deduplicated contribution of design section 7, as pure Python: pattern counts in,
figures out.

No Django import, and no person: the read (one grouped query over the listed persons)
hands in, per *pattern* — the set of activities whose lists name a person — how many
distinct persons have exactly that pattern, and this module never sees who they are.

The rule, for the activities with a list (claim c_a, list of L_a persons):

1. w_a = c_a / L_a, each listed person's chance of leaving poverty through a. A claim larger
   than its list (w_a > 1) is **capped** at w_a = 1: nobody lifts more people than it reaches.
   The checklist refuses such a plan claim, but an achieved contribution may exceed the list,
   and refusing would leave the indicator without a figure; the capped activities are
   named in :attr:`Overlap.capped` so the engine can say so, and the excess is counted in the
   gross figure and in the overlap, never in the deduplicated one.
2. For a person with pattern P: w_o = 1 − Π (1 − w_a) over OPD o's activities in P (its own
   activities overlap too), and e_P = 1 − Π_o (1 − w_o).
3. Deduplicated = Σ_P count_P · e_P + the claims of activities without a list.
4. Each OPD's part of e_P is its Shapley value in v(S) = 1 − Π_{o∈S} (1 − w_o); the parts add
   up to e_P exactly (efficiency). An OPD's deduplicated figure is the sum of its parts over
   the persons plus its own claims without a list.

Shapley values depend only on the multiset of the w_o (the game is symmetric in them), so they
are computed once per distinct sorted tuple of w_o — many activity patterns share one — and
handed to the OPDs by their w_o. With q_j = 1 − w_j the marginal of i joining S is w_i·Π_S q_j,
so φ_i = w_i · Σ_k k!(n−k−1)!/n! · e_k(q without i), e_k the elementary symmetric
polynomials. They come from E(x) = Π_j (1 + q_j x), and E(x) / (1 + q_i x) gives those
without i by f_k = e_k − q_i·f_{k−1} (exact, in integers: see :func:`shapley`). Cost:
O(n²) big-integer operations per distinct tuple, n the OPDs in the pattern (the integers grow
with n, so time grows about as n³) — no enumeration of orders (O(n!)) or of subsets
(O(2ⁿ·n)). n is bounded by the OPDs of the region, so no guard is needed: measured, a pattern
naming 60 OPDs, each with its own chance, takes about 6 ms, 120 about 60 ms (tested) and
240 about half a second; persons on a single OPD's lists (n = 1) cost nothing.

Figures are exact ``Fraction``s (a Shapley share such as 5/24 has no exact decimal). Storage
takes :meth:`Overlap.rounded`: every figure rounded half up to 4 places **on its own**, so a
stored per-OPD figure is always its exact value's rounding; their sum may then differ from the
stored total by up to n × 0.00005 (the worked example: 1,077.0833 + 179.5833 + 43.3333 =
1,299.9999 against 1,300.0000). :attr:`Rounded.residual` records that difference; a page
shows the stored total (never a sum of the stored parts) and, when the residual is not 0,
a note that the parts are rounded. The stored overlap is the stored gross minus the stored
deduplicated, so the three agree on the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import combinations
from math import factorial

Pattern = frozenset[int]  # the activities whose lists name a person
ZERO = Fraction(0)
ONE = Fraction(1)
PLACES = 4


@dataclass(frozen=True)
class ListedActivity:
    """An activity with a beneficiary list: its OPD, its claim and how many persons it lists."""

    activity_id: int
    opd_id: int
    claim: Decimal
    list_size: int


@dataclass(frozen=True)
class OpdOverlap:
    opd_id: int
    gross: Fraction  # Σ the OPD's claims, with a list or without
    deduplicated: Fraction  # its Shapley parts over the listed persons + its unlisted claims

    @property
    def overlap(self) -> Fraction:
        return self.gross - self.deduplicated


@dataclass(frozen=True)
class PairOverlap:
    """Persons on a list of each of two OPDs (``opd_a`` < ``opd_b``)."""

    opd_a: int
    opd_b: int
    persons: int


@dataclass(frozen=True)
class RoundedOpd:
    opd_id: int
    gross: Decimal
    deduplicated: Decimal


@dataclass(frozen=True)
class Rounded:
    """The figures to store, each rounded half up to 4 places on its own."""

    gross: Decimal
    deduplicated: Decimal
    overlap: Decimal  # stored gross − stored deduplicated
    backed: Decimal
    backed_share: Decimal | None
    low_desil_share: Decimal | None
    opds: tuple[RoundedOpd, ...]
    # stored total − Σ stored per-OPD deduplicated figures: rounding, not a discrepancy
    residual: Decimal


@dataclass(frozen=True)
class Overlap:
    """The deduplicated figures of one indicator and year, planned or achieved; exact."""

    gross: Fraction  # Σ every claim
    deduplicated: Fraction  # Σ_p e_p + the claims without a list
    backed: Fraction  # Σ the claims of activities with a list
    distinct_persons: int  # Σ the pattern counts
    low_desil_persons: int | None  # listed persons in desil 1–4; None when not given
    opds: tuple[OpdOverlap, ...]  # by opd_id
    matrix: tuple[PairOverlap, ...]  # by (opd_a, opd_b); pairs sharing nobody left out
    capped: tuple[int, ...] = ()  # activities whose claim exceeded their list (w capped at 1)

    @property
    def overlap(self) -> Fraction:
        return self.gross - self.deduplicated

    @property
    def backed_share(self) -> Fraction | None:
        return self.backed / self.gross if self.gross else None

    @property
    def low_desil_share(self) -> Fraction | None:
        if self.low_desil_persons is None or not self.distinct_persons:
            return None
        return Fraction(self.low_desil_persons, self.distinct_persons)

    def opd(self, opd_id: int) -> OpdOverlap:
        return next(row for row in self.opds if row.opd_id == opd_id)

    def pair(self, opd_a: int, opd_b: int) -> int:
        """Persons on the lists of both OPDs (0 when none, or when a is b)."""
        a, b = sorted((opd_a, opd_b))
        return next((p.persons for p in self.matrix if (p.opd_a, p.opd_b) == (a, b)), 0)

    def rounded(self) -> Rounded:
        gross, deduplicated = quantize(self.gross), quantize(self.deduplicated)
        opds = tuple(
            RoundedOpd(row.opd_id, quantize(row.gross), quantize(row.deduplicated))
            for row in self.opds
        )
        backed_share, low_desil_share = self.backed_share, self.low_desil_share
        return Rounded(
            gross=gross,
            deduplicated=deduplicated,
            overlap=gross - deduplicated,
            backed=quantize(self.backed),
            backed_share=None if backed_share is None else quantize(backed_share),
            low_desil_share=None if low_desil_share is None else quantize(low_desil_share),
            opds=opds,
            residual=deduplicated - sum((row.deduplicated for row in opds), Decimal(0)),
        )


def quantize(value: Fraction | Decimal | int, places: int = PLACES) -> Decimal:
    """``value`` rounded half up (ties away from zero) to ``places`` decimals, exactly: no
    intermediate Decimal division, so no context precision is involved."""
    scaled = Fraction(value) * 10**places
    whole, remainder = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        whole += 1
    sign = -1 if scaled < 0 else 1
    return Decimal(sign * whole).scaleb(-places)


def chance(claim: Decimal | Fraction | int, list_size: int) -> Fraction:
    """w_a = c_a / L_a, capped at 1."""
    return min(Fraction(claim) / list_size, ONE)


def shapley(chances: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
    """The Shapley value of each player in v(S) = 1 − Π_{j∈S} (1 − w_j), in the given order.

    O(n²) exact operations (see the module docstring); the values add up to v(all). Integers
    throughout, one ``Fraction`` per distinct chance at the end: with q_j = a_j / b_j,
    P(x) = Π_j (b_j + a_j x) has integer coefficients, e_k = P_k / Π_j b_j, and dividing P by
    (b_i + a_i x) is exact in integers."""
    n = len(chances)
    if n == 0:
        return ()
    q = [ONE - w for w in chances]
    p = [1] + [0] * n  # p[k] = e_k(q) · Π_j b_j
    for q_j in q:
        a, b = q_j.numerator, q_j.denominator
        for k in range(n, 0, -1):
            p[k] = b * p[k] + a * p[k - 1]
        p[0] *= b
    orders = [factorial(k) * factorial(n - 1 - k) for k in range(n)]  # k!(n−k−1)!, over n!
    by_chance: dict[Fraction, Fraction] = {}
    for w_i, q_i in zip(chances, q, strict=True):
        if w_i in by_chance:
            continue
        a, b = q_i.numerator, q_i.denominator
        total, f = 0, 0  # f: the k-th coefficient of P / (b + a x), e_k of the others scaled
        for k in range(n):
            f = (p[k] - a * f) // b
            total += orders[k] * f
        by_chance[w_i] = w_i * Fraction(total * b, factorial(n) * p[0])
    return tuple(by_chance[w] for w in chances)


def pattern_counts(
    rows: Iterable[tuple[Iterable[int], int, int | None]],
) -> tuple[dict[Pattern, int], dict[Pattern, int] | None]:
    """Merge the read's rows — (activity ids of a pattern, persons, persons in desil 1–4 or
    None) — into the two mappings :func:`deduplicate` takes; rows naming the same set of
    activities add up. The desil mapping is None when any row's desil count is None."""
    persons: dict[Pattern, int] = defaultdict(int)
    low: dict[Pattern, int] | None = defaultdict(int)
    for activities, count, low_count in rows:
        pattern = frozenset(activities)
        persons[pattern] += count
        if low is not None and low_count is not None:
            low[pattern] += low_count
        else:
            low = None
    return dict(persons), None if low is None else dict(low)


def deduplicate(
    listed: Iterable[ListedActivity],
    patterns: Mapping[Pattern, int],
    unlisted: Mapping[int, Decimal] | None = None,
    low_desil: Mapping[Pattern, int] | None = None,
) -> Overlap:
    """The figures of design section 7 for one indicator and year.

    ``listed``: the counted activities with a list. ``patterns``: for each set of those
    activities, the distinct persons listed by exactly that set (each activity's list size
    must be the sum of the counts of the patterns containing it). ``unlisted``: per OPD, the
    claims of its counted activities without a list. ``low_desil``: per pattern, its persons
    in desil 1–4 (a person counts when any of its list rows says so); None when unknown.
    The achieved figures: the same call with the achieved contributions as claims.

    Raises ``ValueError`` on inconsistent input (an unknown or repeated activity, an empty
    pattern, a negative count or claim, a list size that is not what the patterns say)."""
    activities = _index(listed)
    _check_patterns(activities, patterns, low_desil)
    chances = {a.activity_id: chance(a.claim, a.list_size) for a in activities.values()}
    capped = tuple(sorted(a.activity_id for a in activities.values() if a.claim > a.list_size))

    parts: dict[int, Fraction] = defaultdict(Fraction)
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    cache: dict[tuple[Fraction, ...], dict[Fraction, Fraction]] = {}
    for pattern, count in patterns.items():
        if not count:
            continue
        opd_chances = _opd_chances(pattern, activities, chances)
        for a, b in combinations(sorted(opd_chances), 2):
            pairs[a, b] += count
        shares = _shares(tuple(sorted(opd_chances.values())), cache)
        for opd_id, w in opd_chances.items():
            parts[opd_id] += count * shares[w]

    gross: dict[int, Fraction] = defaultdict(Fraction)
    for activity in activities.values():
        gross[activity.opd_id] += Fraction(activity.claim)
    for opd_id, claim in (unlisted or {}).items():
        if claim < 0:
            raise ValueError(f"OPD {opd_id}: a negative claim without a list ({claim})")
        gross[opd_id] += Fraction(claim)
        parts[opd_id] += Fraction(claim)

    opds = tuple(
        OpdOverlap(opd_id, gross[opd_id], parts.get(opd_id, ZERO)) for opd_id in sorted(gross)
    )
    return Overlap(
        gross=sum((row.gross for row in opds), ZERO),
        deduplicated=sum((row.deduplicated for row in opds), ZERO),
        backed=sum((Fraction(a.claim) for a in activities.values()), ZERO),
        distinct_persons=sum(patterns.values()),
        low_desil_persons=None if low_desil is None else sum(low_desil.values()),
        opds=opds,
        matrix=tuple(PairOverlap(a, b, n) for (a, b), n in sorted(pairs.items())),
        capped=capped,
    )


def _index(listed: Iterable[ListedActivity]) -> dict[int, ListedActivity]:
    activities: dict[int, ListedActivity] = {}
    for activity in listed:
        if activity.activity_id in activities:
            raise ValueError(f"activity {activity.activity_id} given twice")
        if activity.list_size < 1:
            raise ValueError(f"activity {activity.activity_id}: a list of no one")
        if activity.claim < 0:
            raise ValueError(f"activity {activity.activity_id}: a negative claim")
        activities[activity.activity_id] = activity
    return activities


def _check_patterns(
    activities: Mapping[int, ListedActivity],
    patterns: Mapping[Pattern, int],
    low_desil: Mapping[Pattern, int] | None,
) -> None:
    sizes: dict[int, int] = defaultdict(int)
    for pattern, count in patterns.items():
        if not pattern:
            raise ValueError("a pattern of no activity")
        if unknown := sorted(pattern - activities.keys()):
            raise ValueError(f"a pattern names activities without a list: {unknown}")
        if count < 0:
            raise ValueError(f"pattern {sorted(pattern)}: a negative count ({count})")
        for activity_id in pattern:
            sizes[activity_id] += count
    for activity in activities.values():
        if sizes[activity.activity_id] != activity.list_size:
            raise ValueError(
                f"activity {activity.activity_id} lists {activity.list_size} persons,"
                f" the patterns {sizes[activity.activity_id]}"
            )
    for pattern, low in (low_desil or {}).items():
        if not 0 <= low <= patterns.get(pattern, 0):
            raise ValueError(f"pattern {sorted(pattern)}: {low} persons in desil 1–4")


def _opd_chances(
    pattern: Pattern, activities: Mapping[int, ListedActivity], chances: Mapping[int, Fraction]
) -> dict[int, Fraction]:
    """w_o = 1 − Π (1 − w_a) over each OPD's activities in the pattern."""
    misses: dict[int, Fraction] = defaultdict(lambda: ONE)
    for activity_id in pattern:
        misses[activities[activity_id].opd_id] *= ONE - chances[activity_id]
    return {opd_id: ONE - miss for opd_id, miss in misses.items()}


def _shares(
    chances: tuple[Fraction, ...], cache: dict[tuple[Fraction, ...], dict[Fraction, Fraction]]
) -> dict[Fraction, Fraction]:
    """Each w_o's Shapley share of e_p, computed once per sorted tuple of w_o."""
    if chances not in cache:
        cache[chances] = dict(zip(chances, shapley(chances), strict=True))
    return cache[chances]
