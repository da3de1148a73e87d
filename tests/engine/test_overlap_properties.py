"""Properties of the deduplication method of design section 7, over generated worlds."""

from decimal import Decimal
from fractions import Fraction
from itertools import permutations
from math import factorial, prod

from hypothesis import given, settings
from hypothesis import strategies as st

from opd.engine.overlap import ListedActivity, deduplicate, shapley

BOUNDED = settings(max_examples=50, deadline=None)  # a few seconds for the file
MAX_OPDS = 4


@st.composite
def worlds(draw, *, single_activity_patterns=False, two_apart=False):
    """Up to 6 activities of up to 4 OPDs, up to 8 patterns of persons, claims within the
    lists (2 decimals), and claims without a list for some OPDs. ``two_apart``: activities 1
    and 2 have persons of their own (so two persons on disjoint patterns always exist)."""
    count = draw(st.integers(2 if two_apart else 1, 6))
    opd_of = {a: draw(st.integers(1, MAX_OPDS)) for a in range(1, count + 1)}
    subsets = st.integers(1, 2**count - 1).map(  # a bit per activity
        lambda mask: frozenset(a for a in opd_of if mask >> (a - 1) & 1)
    )
    if single_activity_patterns:
        subsets = st.sampled_from(sorted(opd_of)).map(lambda a: frozenset({a}))
    patterns = draw(st.dictionaries(subsets, st.integers(1, 30), max_size=8))
    if two_apart:
        for a in (1, 2):
            patterns[frozenset({a})] = patterns.get(frozenset({a}), 0) + draw(st.integers(1, 5))
    sizes = {a: sum(n for p, n in patterns.items() if a in p) for a in opd_of}
    listed = [
        ListedActivity(a, opd_of[a], _cents(draw(st.integers(0, 100 * sizes[a]))), sizes[a])
        for a in sorted(opd_of)
        if sizes[a]
    ]
    cents = st.integers(0, 100_000).map(_cents)
    unlisted = draw(st.dictionaries(st.integers(1, MAX_OPDS + 1), cents, max_size=3))
    return listed, patterns, unlisted


def _cents(value):
    return Decimal(value).scaleb(-2)


def _e(pattern, listed):
    """e_p for a person on the pattern's lists: 1 − Π (1 − w_a), OPDs or not."""
    activities = {a.activity_id: a for a in listed}
    return 1 - prod(1 - Fraction(activities[a].claim) / activities[a].list_size for a in pattern)


@BOUNDED
@given(worlds())
def test_the_opd_shares_add_up_to_the_deduplicated_total(world):
    result = deduplicate(*world)
    assert sum(row.deduplicated for row in result.opds) == result.deduplicated
    assert sum(row.gross for row in result.opds) == result.gross
    stored = result.rounded()
    assert abs(stored.residual) <= Decimal("0.00005") * len(result.opds)


@BOUNDED
@given(worlds())
def test_deduplicated_never_exceeds_gross_for_the_city_or_an_opd(world):
    result = deduplicate(*world)
    assert 0 <= result.deduplicated <= result.gross
    for row in result.opds:
        assert 0 <= row.deduplicated <= row.gross
    assert result.overlap == result.gross - result.deduplicated
    assert result.distinct_persons == sum(world[1].values())


@BOUNDED
@given(worlds(single_activity_patterns=True))
def test_with_no_overlap_deduplicated_equals_gross(world):
    result = deduplicate(*world)
    assert result.deduplicated == result.gross
    assert all(row.deduplicated == row.gross for row in result.opds)
    assert result.matrix == ()


@BOUNDED
@given(worlds(two_apart=True), st.data())
def test_adding_a_person_to_a_second_list_never_raises_the_total_above_gross(world, data):
    listed, patterns, unlisted = world
    listed_ids = {a.activity_id for a in listed}
    pattern = data.draw(
        st.sampled_from(sorted((p for p in patterns if p < listed_ids), key=sorted))
    )
    others = [a for a in listed if a.activity_id not in pattern]
    second = data.draw(st.sampled_from(others))
    moved = {**patterns, pattern: patterns[pattern] - 1}
    wider = pattern | {second.activity_id}
    moved[wider] = moved.get(wider, 0) + 1
    grown = [
        ListedActivity(a.activity_id, a.opd_id, a.claim, a.list_size + 1) if a == second else a
        for a in listed
    ]
    before, after = deduplicate(listed, patterns, unlisted), deduplicate(grown, moved, unlisted)
    assert after.gross == before.gross
    assert after.deduplicated <= after.gross
    assert after.distinct_persons == before.distinct_persons


@BOUNDED
@given(worlds(two_apart=True), st.data())
def test_one_person_on_two_lists_instead_of_two_persons_lowers_the_total_by_their_overlap(
    world, data
):
    """Two persons on disjoint patterns P and Q become one person on P ∪ Q (each list keeps
    its size): the total falls by exactly e_P · e_Q, the gross does not move."""
    listed, patterns, unlisted = world
    pairs = [(p, q) for p in patterns for q in patterns if not p & q and sorted(p) < sorted(q)]
    p, q = data.draw(st.sampled_from(sorted(pairs, key=lambda pq: (sorted(pq[0]), sorted(pq[1])))))
    merged = {**patterns, p: patterns[p] - 1, q: patterns[q] - 1}
    merged[p | q] = merged.get(p | q, 0) + 1
    before, after = deduplicate(listed, patterns, unlisted), deduplicate(listed, merged, unlisted)
    assert after.gross == before.gross
    assert before.deduplicated - after.deduplicated == _e(p, listed) * _e(q, listed)
    assert after.distinct_persons == before.distinct_persons - 1


@BOUNDED
@given(worlds(), st.data())
def test_the_order_of_lists_activities_and_patterns_changes_nothing(world, data):
    listed, patterns, unlisted = world
    shuffled_listed = data.draw(st.permutations(listed))
    shuffled_patterns = dict(data.draw(st.permutations(list(patterns.items()))))
    shuffled_unlisted = dict(data.draw(st.permutations(list(unlisted.items()))))
    assert deduplicate(shuffled_listed, shuffled_patterns, shuffled_unlisted) == deduplicate(
        listed, patterns, unlisted
    )


@BOUNDED
@given(
    st.lists(st.integers(1, 100), min_size=2, max_size=2),
    st.lists(st.integers(0, 100), min_size=2, max_size=2),
    st.integers(0, 50),
)
def test_an_opds_own_two_activities_overlapping_also_reduce_its_figure(sizes, percents, shared):
    """Dinas Sosial's A and B, and Dinas Kesehatan's C on some of A's persons: ``shared`` of
    A's persons moved onto B's list (B keeps its size) lower Dinas Sosial's figure by
    shared · w_A · w_B and leave Dinas Kesehatan's as it was."""
    a_size, b_size = sizes[0] + 10 + shared, sizes[1] + shared
    claims = [_cents(p * n) for p, n in zip(percents, (a_size, b_size), strict=True)]
    listed = [
        ListedActivity(1, 10, claims[0], a_size),
        ListedActivity(2, 10, claims[1], b_size),
        ListedActivity(3, 20, Decimal(5), 10),
    ]
    apart = {frozenset({1}): a_size - 10, frozenset({1, 3}): 10, frozenset({2}): b_size}
    together = {
        frozenset({1}): a_size - 10 - shared,
        frozenset({1, 3}): 10,
        frozenset({2}): b_size - shared,
        frozenset({1, 2}): shared,
    }
    before, after = deduplicate(listed, apart), deduplicate(listed, together)
    w_a, w_b = (Fraction(c) / n for c, n in zip(claims, (a_size, b_size), strict=True))
    assert before.opd(10).deduplicated - after.opd(10).deduplicated == shared * w_a * w_b
    assert after.opd(20).deduplicated == before.opd(20).deduplicated
    assert after.matrix == before.matrix  # one OPD's own overlap is no pair


def _by_orders(chances):
    n, totals = len(chances), [Fraction(0)] * len(chances)
    for order in permutations(range(n)):
        miss = Fraction(1)
        for i in order:
            totals[i] += miss * chances[i]
            miss *= 1 - chances[i]
    return tuple(total / factorial(n) for total in totals)


@BOUNDED
@given(st.lists(st.fractions(min_value=0, max_value=1, max_denominator=50), max_size=4))
def test_the_product_formula_is_the_average_over_every_order(chances):
    values = shapley(tuple(chances))
    assert values == _by_orders(chances)
    assert sum(values) == 1 - prod(1 - w for w in chances)
