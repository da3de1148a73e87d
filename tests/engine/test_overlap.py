"""The deduplication method of design section 7, tested without a database."""

import time
from decimal import Decimal
from fractions import Fraction
from itertools import permutations
from math import factorial, prod

import pytest

from opd.engine.method import Status, coverage_of, year_status
from opd.engine.overlap import (
    ListedActivity,
    PairOverlap,
    deduplicate,
    pattern_counts,
    quantize,
    shapley,
)

D, F = Decimal, Fraction
DINSOS, DISNAKER, DINKES = 1, 2, 3
A1, A2, B1, C1 = 11, 12, 21, 31
REQUIRED = D(1658)  # N of design section 5's worked example


def worked_example(**claims):
    """Design section 7's table: A1 (Dinsos, 300 of 600), A2 (Dinsos, 800, no list),
    B1 (Disnaker, 200 of 400), C1 (Dinkes, 50 of 50); 150 on A1 and B1, 20 on A1 and C1,
    10 of them on all three."""
    listed = [
        ListedActivity(A1, DINSOS, claims.get("a1", D(300)), 600),
        ListedActivity(B1, DISNAKER, claims.get("b1", D(200)), 400),
        ListedActivity(C1, DINKES, claims.get("c1", D(50)), 50),
    ]
    patterns = {
        frozenset({A1}): 440,
        frozenset({B1}): 250,
        frozenset({C1}): 30,
        frozenset({A1, B1}): 140,
        frozenset({A1, C1}): 10,
        frozenset({A1, B1, C1}): 10,
    }
    return listed, patterns, {DINSOS: claims.get("a2", D(800))}


def test_the_worked_example_of_design_section_7():
    result = deduplicate(*worked_example())
    assert result.gross == 1350
    assert result.deduplicated == 1300
    assert result.overlap == 50
    assert result.backed == 550
    assert result.backed_share == F(550, 1350)
    assert result.distinct_persons == 880
    assert result.capped == ()
    assert result.low_desil_persons is None and result.low_desil_share is None


def test_the_worked_example_per_opd_exactly():
    result = deduplicate(*worked_example())
    # Dinsos: 440·½ + 140·⅜ + 10·¼ + 10·5/24 + 800; Disnaker: 250·½ + 140·⅜ + 10·5/24;
    # Dinkes: 30 + 10·¾ + 10·14/24.
    assert result.opd(DINSOS).deduplicated == F(12925, 12)
    assert result.opd(DISNAKER).deduplicated == F(2155, 12)
    assert result.opd(DINKES).deduplicated == F(130, 3)
    assert sum(row.deduplicated for row in result.opds) == result.deduplicated
    assert [(row.opd_id, row.gross) for row in result.opds] == [
        (DINSOS, 1100),
        (DISNAKER, 200),
        (DINKES, 50),
    ]
    assert result.opd(DINSOS).overlap == 1100 - F(12925, 12)


def test_the_worked_example_stored_to_four_places():
    stored = deduplicate(*worked_example()).rounded()
    assert {row.opd_id: row.deduplicated for row in stored.opds} == {
        DINSOS: D("1077.0833"),
        DISNAKER: D("179.5833"),
        DINKES: D("43.3333"),
    }
    assert (stored.gross, stored.deduplicated, stored.overlap) == (
        D("1350.0000"),
        D("1300.0000"),
        D("50.0000"),
    )
    assert stored.backed_share == D("0.4074")
    # The parts, each rounded on its own, add up to 1,299.9999: the page shows the total.
    assert stored.residual == D("0.0001")
    assert stored.low_desil_share is None


def test_the_worked_example_matrix():
    result = deduplicate(*worked_example())
    assert result.matrix == (
        PairOverlap(DINSOS, DISNAKER, 150),
        PairOverlap(DINSOS, DINKES, 20),
        PairOverlap(DISNAKER, DINKES, 10),
    )
    assert result.pair(DINKES, DINSOS) == 20
    assert result.pair(DINSOS, DINSOS) == 0


def test_the_worked_example_shapley_shares():
    half, one = F(1, 2), F(1)
    assert shapley((half, half)) == (F(3, 8), F(3, 8))
    assert shapley((half, one)) == (F(1, 4), F(3, 4))
    assert shapley((half, half, one)) == (F(5, 24), F(5, 24), F(14, 24))


def test_the_worked_example_status_goes_from_at_risk_to_off_track():
    result = deduplicate(*worked_example())

    def status(planned):
        coverage = coverage_of(planned, REQUIRED)
        return quantize(coverage, 3), year_status(
            direction="down",
            target=D("7.38"),
            actual=None,
            missing=False,
            required=REQUIRED,
            coverage=coverage,
        )

    assert status(quantize(result.gross)) == (
        D("0.814"),
        Status.AT_RISK,
    )
    assert status(quantize(result.deduplicated)) == (D("0.784"), Status.OFF_TRACK)


def test_achieved_figures_are_the_same_rule_on_achieved_contributions():
    """Dinas Sosial reports 250 (A1 100, A2 150), the others nothing yet."""
    result = deduplicate(*worked_example(a1=D(100), a2=D(150), b1=D(0), c1=D(0)))
    # A1's w = 1/6 on its 600 persons; nobody else counts, so nothing overlaps.
    assert result.deduplicated == result.gross == 250
    assert result.opd(DISNAKER).deduplicated == 0
    assert result.matrix[0] == PairOverlap(DINSOS, DISNAKER, 150)  # the lists still overlap


def test_the_share_of_listed_persons_in_desil_1_to_4():
    listed, patterns, unlisted = worked_example()
    low = {frozenset({A1}): 200, frozenset({A1, B1}): 100, frozenset({C1}): 30}
    result = deduplicate(listed, patterns, unlisted, low_desil=low)
    assert result.low_desil_persons == 330
    assert result.low_desil_share == F(330, 880)
    assert result.rounded().low_desil_share == D("0.3750")


def test_pattern_counts_merge_the_rows_of_the_grouped_query():
    rows = [((A1, B1), 100, 40), ((B1, A1), 40, 2), ((A1,), 7, 0)]
    assert pattern_counts(rows) == (
        {frozenset({A1, B1}): 140, frozenset({A1}): 7},
        {frozenset({A1, B1}): 42, frozenset({A1}): 0},
    )
    assert pattern_counts([((A1,), 7, None), ((B1,), 3, 1)]) == (
        {frozenset({A1}): 7, frozenset({B1}): 3},
        None,
    )


def test_a_claim_larger_than_its_list_is_capped_at_its_list():
    listed = [ListedActivity(A1, DINSOS, D(70), 50)]
    result = deduplicate(listed, {frozenset({A1}): 50})
    assert (result.gross, result.deduplicated, result.overlap) == (70, 50, 20)
    assert result.capped == (A1,)


def test_an_opds_own_activities_overlap_too():
    listed = [ListedActivity(A1, DINSOS, D(50), 100), ListedActivity(A2, DINSOS, D(50), 100)]
    result = deduplicate(listed, {frozenset({A1, A2}): 100})
    assert result.deduplicated == 75  # 100 · (1 − ½ · ½)
    assert result.matrix == ()  # one OPD: no pair


def test_no_claims_at_all():
    result = deduplicate([], {})
    assert (result.gross, result.deduplicated, result.distinct_persons) == (0, 0, 0)
    assert result.backed_share is None and result.opds == () and result.matrix == ()
    assert result.rounded().residual == 0


@pytest.mark.parametrize(
    ("listed", "patterns", "message"),
    [
        ([ListedActivity(A1, DINSOS, D(1), 5)], {frozenset({A1}): 4}, "lists 5 persons"),
        ([ListedActivity(A1, DINSOS, D(1), 5)], {frozenset({A1, B1}): 5}, "without a list"),
        ([ListedActivity(A1, DINSOS, D(1), 0)], {}, "a list of no one"),
        ([ListedActivity(A1, DINSOS, D(-1), 5)], {frozenset({A1}): 5}, "negative claim"),
        ([ListedActivity(A1, DINSOS, D(1), 1)] * 2, {frozenset({A1}): 1}, "twice"),
        ([], {frozenset(): 3}, "no activity"),
    ],
)
def test_inconsistent_input_is_refused(listed, patterns, message):
    with pytest.raises(ValueError, match=message):
        deduplicate(listed, patterns)


def test_quantize_rounds_half_up_exactly():
    assert quantize(F(1, 20000)) == D("0.0001")  # 0.00005, a tie: up
    assert quantize(F(49999, 10**9)) == D("0.0000")
    assert quantize(F(-1, 20000)) == D("-0.0001")  # ties away from zero, as ROUND_HALF_UP
    assert quantize(F(2, 3), 3) == D("0.667")
    assert str(quantize(D(1300))) == "1300.0000"


def _shapley_by_orders(chances):
    """The definition: the average marginal over every order of the players (O(n!))."""
    n, totals = len(chances), [F(0)] * len(chances)
    for order in permutations(range(n)):
        miss = F(1)
        for i in order:
            totals[i] += miss * chances[i]  # v(S ∪ i) − v(S) = w_i · Π_S (1 − w_j)
            miss *= 1 - chances[i]
    return tuple(total / factorial(n) for total in totals)


@pytest.mark.parametrize(
    "chances",
    [
        (F(1, 3),),
        (F(1, 3), F(2, 7)),
        (F(0), F(1), F(1, 2)),
        (F(1), F(1), F(1), F(1, 9)),
        (F(1, 2), F(1, 3), F(1, 4), F(1, 5), F(1, 6)),
        (F(3, 7), F(3, 7), F(0), F(5, 11), F(1), F(2, 13)),
    ],
)
def test_the_product_formula_is_the_shapley_value(chances):
    values = shapley(chances)
    assert values == _shapley_by_orders(chances)
    assert sum(values) == 1 - prod(1 - w for w in chances)


def test_a_pattern_on_every_opd_of_a_region_does_not_hang():
    """O(n²), not O(n!): 120 OPDs, each with its own chance, in one pattern."""
    listed = [ListedActivity(i, i, D(i), 1000 + i) for i in range(1, 121)]
    everyone = frozenset(range(1, 121))
    started = time.perf_counter()
    result = deduplicate(listed, {everyone: 1000, **{frozenset({i}): i for i in everyone}})
    assert time.perf_counter() - started < 5
    assert sum(row.deduplicated for row in result.opds) == result.deduplicated
    assert len(result.matrix) == 120 * 119 // 2
