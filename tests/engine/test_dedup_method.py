"""The method with beneficiary lists (design section 7), pure: the worked example through
``compute``, the status on the deduplicated coverage, the rows' figures, and properties."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opd.engine.dedup import ListInput, PatternInput, deduplicated
from opd.engine.method import IndicatorInputs, OpdInput, Status, compute

YEAR = 2018
DINSOS, DISNAKER, DINKES = 1, 2, 3
A1, A2, B1, C1 = 11, 12, 21, 31


def _inputs(lists=(), patterns=(), **opds: tuple[str, str]) -> IndicatorInputs:
    return IndicatorInputs(
        direction="down",
        is_population_share=True,
        baseline_year=2015,
        baseline_value=Decimal("9.05"),
        targets={2018: Decimal("7.38"), 2021: Decimal("6.12")},
        actuals={2017: Decimal("8.75")},
        population={2018: 121_000},
        opds=[
            OpdInput(opd_id=DINSOS, status="submitted", planned=Decimal(1100)),
            OpdInput(opd_id=DISNAKER, status="submitted", planned=Decimal(200)),
            OpdInput(opd_id=DINKES, status="approved", planned=Decimal(50)),
            OpdInput(opd_id=4, status="draft", planned=Decimal(999)),  # does not count
        ],
        lists=lists,
        patterns=patterns,
    )


WORKED_LISTS = (
    ListInput(A1, DINSOS, 600, Decimal(300), Decimal(0)),
    ListInput(B1, DISNAKER, 400, Decimal(200), Decimal(0)),
    ListInput(C1, DINKES, 50, Decimal(50), Decimal(0)),
)
WORKED_PATTERNS = (
    PatternInput((A1,), 440, low_desil=440, with_desil=440),
    PatternInput((B1,), 250, with_desil=250),
    PatternInput((C1,), 30),
    PatternInput((A1, B1), 140, with_desil=140),
    PatternInput((A1, C1), 10, with_desil=10),
    PatternInput((A1, B1, C1), 10, with_desil=10),
)


def test_the_worked_example_through_the_method() -> None:
    result = compute(_inputs(WORKED_LISTS, WORKED_PATTERNS), YEAR)
    assert result.required == 1658
    assert result.planned == 1350 and result.planned_deduplicated == Decimal("1300.0000")
    assert result.coverage is not None and round(result.coverage, 3) == Decimal("0.814")
    assert result.coverage_deduplicated is not None
    assert round(result.coverage_deduplicated, 3) == Decimal("0.784")
    assert result.status is Status.OFF_TRACK and result.status_basis == "deduplicated"
    rows = {row.opd_id: row for row in result.opds}
    assert rows[DINSOS].planned_deduplicated == Decimal("1077.0833")
    assert rows[DISNAKER].planned_deduplicated == Decimal("179.5833")
    assert rows[DINKES].planned_deduplicated == Decimal("43.3333")
    assert rows[4].planned_deduplicated == 0  # a draft counts for nothing, as in the gross
    assert result.deduplicated is not None
    assert result.deduplicated.planned.backed_share == Decimal("0.4074")
    assert result.deduplicated.low_desil_share == Decimal("0.5000")
    assert result.deduplicated.distinct_persons == 880


def test_the_approved_plans_alone_are_deduplicated_on_their_own_lists() -> None:
    """Dinas Tenaga Kerja and Dinas Kesehatan approved, Dinas Sosial only submitted: the public
    counts B1 and C1 alone. B1 only 390 (250 + the 140 shared with A1) × 0.5, C1 only 40 × 1,
    both 10 × 1: 245 against their gross 250; a person on A1 alone drops out."""
    inputs = _inputs(WORKED_LISTS, WORKED_PATTERNS)
    opds = [
        OpdInput(opd_id=o.opd_id, status="approved", planned=o.planned)
        if o.opd_id == DISNAKER
        else o
        for o in inputs.opds
    ]
    result = compute(replace(inputs, opds=opds), YEAR)
    assert result.planned_approved == 250
    assert result.planned_approved_deduplicated == Decimal("245.0000")
    assert result.planned_deduplicated == Decimal("1300.0000")  # every counted plan: unchanged
    assert compute(inputs, YEAR).planned_approved_deduplicated == 50  # Dinkes alone: C1, w = 1


def test_without_lists_the_gross_decides_and_the_figures_are_equal() -> None:
    result = compute(_inputs(), YEAR)
    assert result.status is Status.AT_RISK and result.status_basis == "gross"
    assert result.deduplicated is None
    assert result.planned_deduplicated == result.planned == 1350
    assert all(row.planned_deduplicated == row.planned for row in result.opds)


def test_the_status_boundary_is_the_deduplicated_coverage_at_0_8_exactly() -> None:
    """N = 1,658: 0.8 × N = 1,326.4. One list of 1,000 persons with a claim of 500, two OPDs
    each listing the same persons: each counts 1 − 0.5² = 0.75, 750 in all; with 576.4 claimed
    without a list, 1,326.4 deduplicated is exactly 0.8: at_risk; 0.01 less: off_track."""
    for unlisted, expected in (
        (Decimal("576.4"), Status.AT_RISK),
        (Decimal("576.39"), Status.OFF_TRACK),
    ):
        inputs = IndicatorInputs(
            direction="down",
            is_population_share=True,
            baseline_year=2015,
            baseline_value=Decimal("9.05"),
            targets={2018: Decimal("7.38")},
            actuals={2017: Decimal("8.75")},
            population={2018: 121_000},
            opds=[
                OpdInput(opd_id=1, status="submitted", planned=500 + unlisted),
                OpdInput(opd_id=2, status="submitted", planned=Decimal(500)),
            ],
            lists=(
                ListInput(10, 1, 1000, Decimal(500), Decimal(0)),
                ListInput(20, 2, 1000, Decimal(500), Decimal(0)),
            ),
            patterns=(PatternInput((10, 20), 1000),),
        )
        result = compute(inputs, YEAR)
        assert result.planned_deduplicated == 750 + unlisted
        assert result.status is expected, unlisted
        # the gross, 1,576.4 or so of 1,658 (0.95), would say at_risk either way
        assert result.coverage is not None and result.coverage > Decimal("0.95")


def test_inconsistent_inputs_are_refused() -> None:
    lists = (ListInput(10, 1, 10, Decimal(5), Decimal(0)),)
    with pytest.raises(ValueError, match="above the gross"):
        deduplicated(lists, (PatternInput((10,), 10),), {1: Decimal(4)}, {1: Decimal(0)})
    with pytest.raises(ValueError, match="does not count"):
        deduplicated(lists, (PatternInput((10,), 10),), {2: Decimal(5)}, {2: Decimal(0)})
    with pytest.raises(ValueError, match="lists 10 persons"):
        deduplicated(lists, (PatternInput((10,), 9),), {1: Decimal(5)}, {1: Decimal(0)})


@st.composite
def city(draw):
    """Up to 4 OPDs with up to 2 listed activities each, random overlaps, random unlisted claims."""
    opd_count = draw(st.integers(1, 4))
    activities = [
        (opd * 10 + n, opd)
        for opd in range(1, opd_count + 1)
        for n in range(draw(st.integers(0, 2)))
    ]
    patterns: dict[tuple[int, ...], int] = {}
    for _ in range(draw(st.integers(0, 6))):
        if not activities:
            break
        chosen = draw(st.sets(st.sampled_from([a for a, _ in activities]), min_size=1))
        key = tuple(sorted(chosen))
        patterns[key] = patterns.get(key, 0) + draw(st.integers(1, 50))
    sizes = {a: sum(n for key, n in patterns.items() if a in key) for a, _ in activities}
    lists = []
    gross = {opd: Decimal(0) for opd in range(1, opd_count + 1)}
    for activity, opd in activities:
        if not sizes[activity]:
            continue
        claim = Decimal(draw(st.integers(0, sizes[activity] * 100))) / 100
        lists.append(ListInput(activity, opd, sizes[activity], claim, claim / 2))
        gross[opd] += claim
    unlisted = {opd: Decimal(draw(st.integers(0, 50000))) / 100 for opd in gross}
    opds = [
        OpdInput(
            opd_id=opd,
            status="submitted",
            planned=gross[opd] + unlisted[opd],
            achieved=gross[opd] / 2,
        )
        for opd in gross
    ]
    pattern_rows = tuple(PatternInput(key, n) for key, n in sorted(patterns.items()))
    return opds, tuple(lists), pattern_rows


@settings(max_examples=60, deadline=None)
@given(city())
def test_the_rows_add_up_to_the_total_within_rounding_and_never_exceed_gross(data) -> None:
    opds, lists, patterns = data
    inputs = IndicatorInputs(
        direction="down",
        is_population_share=True,
        baseline_year=2015,
        baseline_value=Decimal("9.05"),
        targets={2018: Decimal("7.38")},
        actuals={2017: Decimal("8.75")},
        population={2018: 121_000},
        opds=opds,
        lists=lists,
        patterns=patterns,
    )
    result = compute(inputs, YEAR)
    assert result.planned_deduplicated <= result.planned
    assert result.achieved_deduplicated <= result.achieved
    assert 0 <= result.planned_approved_deduplicated <= result.planned_approved
    parts = sum(row.planned_deduplicated for row in result.opds)
    assert abs(parts - result.planned_deduplicated) <= Decimal("0.00005") * len(result.opds)
    for row in result.opds:
        assert 0 <= row.planned_deduplicated <= row.planned
        assert 0 <= row.achieved_deduplicated <= row.achieved
    assert result.status_basis == ("deduplicated" if lists else "gross")
