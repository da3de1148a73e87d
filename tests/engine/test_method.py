"""The contribution method of design section 5, tested without a database."""

import subprocess
import sys
from decimal import Decimal

import pytest

from opd.engine.method import (
    IndicatorInputs,
    Missing,
    OpdInput,
    Status,
    compute,
    population_for,
    reference_for,
)
from targets.trajectory import PointKind

D = Decimal
POVERTY = {
    "direction": "down",
    "is_population_share": True,
    "baseline_year": 2015,
    "baseline_value": D("9.05"),
    "targets": {2018: D("7.38"), 2021: D("6.12")},
    "actuals": {2016: D("8.78"), 2017: D("8.75"), 2019: D("7.46"), 2020: D("7.58")},
    "population": {2018: 121_000},
}
DINSOS, DISNAKER, DINKES, DISPERKIM = 1, 2, 3, 4


def worked_example(**changes) -> IndicatorInputs:
    opds = [
        OpdInput(
            DINSOS,
            "submitted",
            planned=D(900),
            achieved=D(250),
            aligned_budget=D(1_725_000_000),
            total_budget=D(2_000_000_000),
        ),
        OpdInput(
            DISNAKER,
            "submitted",
            planned=D(400),
            aligned_budget=D(820_000_000),
            total_budget=D(820_000_000),
        ),
    ]
    return IndicatorInputs(**{**POVERTY, "opds": opds, **changes})


def test_the_worked_example_of_design_section_5():
    result = compute(worked_example(), 2018)
    assert (result.reference, result.reference_year) == (D("8.75"), 2017)
    assert (result.target, result.target_kind) == (D("7.38"), PointKind.STATED)
    assert result.required_change == D("1.37")
    assert (result.population, result.population_year) == (121_000, 2018)
    assert result.required == 1658  # round(1,657.7)
    assert result.planned == 1300
    assert result.coverage.quantize(D("0.001")) == D("0.784")
    assert result.status == Status.OFF_TRACK
    assert result.projected_achieved.quantize(D("0.0001")) == D("8.5434")
    assert result.projected_planned.quantize(D("0.0001")) == D("7.6756")
    assert result.missing == ()


def test_opd_rows_share_alignment_and_cost_per_person():
    rows = {row.opd_id: row for row in compute(worked_example(), 2018).opds}
    dinsos = rows[DINSOS]
    assert dinsos.share.quantize(D("0.0001")) == D("0.5428")  # 900 / 1658
    assert dinsos.alignment == D("0.8625")
    assert dinsos.cost_per_person.quantize(D("0.01")) == D("1916666.67")
    assert (dinsos.planned_submitted, dinsos.planned_approved, dinsos.achieved) == (900, 0, 250)
    assert rows[DISNAKER].alignment == 1


def test_the_interpolated_target_is_used_between_stated_points():
    result = compute(worked_example(population={2015: 120_952}), 2017)
    assert result.target_kind == PointKind.INTERPOLATED
    assert result.target.quantize(D("0.0001")) == D("7.9367")
    assert (result.reference, result.reference_year) == (D("8.78"), 2016)
    assert result.population_year == 2015  # the latest recorded before the year


def test_drafts_and_returned_plans_are_excluded_and_approved_reported_apart():
    opds = [
        OpdInput(
            DINSOS,
            "approved",
            planned=D(900),
            achieved=D(100),
            aligned_budget=D(5),
            total_budget=D(10),
        ),
        OpdInput(DISNAKER, "submitted", planned=D(400)),
        OpdInput(
            DINKES, "draft", planned=D(200), achieved=D(50), aligned_budget=D(7), total_budget=D(7)
        ),
        OpdInput(DISPERKIM, "returned", planned=D(120)),
        OpdInput(5, None),
    ]
    result = compute(worked_example(opds=opds), 2018)
    assert (result.planned, result.planned_approved, result.planned_submitted) == (1300, 900, 400)
    assert result.achieved == 100
    rows = {row.opd_id: row for row in result.opds}
    assert not rows[DINKES].counted and rows[DINKES].planned == 0 and rows[DINKES].achieved == 0
    assert rows[DINKES].share == 0 and rows[DINKES].cost_per_person is None
    assert rows[DISPERKIM].planned == 0
    assert rows[5].status is None and rows[5].alignment is None


@pytest.mark.parametrize(
    ("planned", "status"),
    [
        (1658, Status.ON_TRACK),
        (2000, Status.ON_TRACK),
        (1327, Status.AT_RISK),
        (1326, Status.OFF_TRACK),
    ],
)
def test_status_thresholds_by_coverage(planned, status):
    opds = [OpdInput(DINSOS, "submitted", planned=D(planned))]
    assert compute(worked_example(opds=opds), 2018).status == status  # 0.8 × 1658 = 1326.4


def test_reference_already_meeting_the_target_needs_nobody():
    result = compute(worked_example(actuals={2017: D("7.00")}), 2018)
    assert result.required_change == 0
    assert result.required == 0
    assert result.coverage is None
    assert result.status == Status.ON_TRACK
    assert all(row.share is None for row in result.opds)


@pytest.mark.parametrize(
    ("actual", "status"), [(D("7.38"), Status.ACHIEVED), (D("7.46"), Status.MISSED)]
)
def test_a_recorded_actual_decides_the_status(actual, status):
    result = compute(worked_example(actuals={**POVERTY["actuals"], 2018: actual}), 2018)
    assert result.actual == actual
    assert result.status == status


def test_the_2021_actual_missed_its_target():
    result = compute(worked_example(actuals={**POVERTY["actuals"], 2021: D("7.75")}), 2021)
    assert result.status == Status.MISSED
    assert (result.reference, result.reference_year) == (D("7.58"), 2020)


def test_an_up_indicator():
    inputs = IndicatorInputs(
        direction="up",
        is_population_share=False,
        baseline_year=2015,
        baseline_value=D(70),
        targets={2017: D(74)},
        actuals={2016: D(71)},
        population={},
        opds=[OpdInput(DINSOS, "submitted", planned=D("1.5"))],
    )
    result = compute(inputs, 2017)
    assert result.target == 74 and result.reference == 71
    assert result.required_change == 3 and result.required == 3  # in the indicator's unit
    assert result.coverage == D("0.5")
    assert result.status == Status.OFF_TRACK
    assert result.projected_planned is None  # projections are for population shares
    assert compute(inputs, 2016).required_change == 2  # 72 interpolated − 70 baseline
    achieved = IndicatorInputs(**{**inputs.__dict__, "actuals": {2016: D(71), 2017: D(75)}})
    assert compute(achieved, 2017).status == Status.ACHIEVED


def test_an_up_population_share_projects_upwards():
    inputs = worked_example(direction="up", baseline_value=D(5), targets={2018: D(6)}, actuals={})
    result = compute(inputs, 2018)
    assert result.required == 1210  # 1 point of 121,000
    assert result.projected_planned.quantize(D("0.0001")) == D("6.0744")  # 5 + 1300/121000×100


def test_missing_population_gives_no_data_not_an_exception():
    result = compute(worked_example(population={2019: 121_200}), 2018)
    assert result.status == Status.NO_DATA
    assert result.missing == (Missing.POPULATION,)
    assert result.required is None and result.coverage is None
    assert result.required_change == D("1.37")  # what is known is still shown
    assert result.projected_planned is None


def test_a_year_without_target_gives_no_data():
    result = compute(worked_example(), 2023)
    assert result.status == Status.NO_DATA
    assert Missing.TARGET in result.missing
    assert result.planned == 1300


def test_a_year_before_any_actual_gives_no_reference():
    result = compute(worked_example(), 2015)
    assert Missing.REFERENCE in result.missing
    assert result.status == Status.NO_DATA


def test_reference_and_population_helpers():
    inputs = worked_example(population={2015: 120_952, 2020: 121_526})
    assert reference_for(inputs, 2019) == (2017, D("8.75"))  # no 2018 actual
    assert reference_for(inputs, 2016) == (2015, D("9.05"))  # the baseline counts
    assert population_for(inputs, 2019) == (2015, 120_952)
    assert population_for(inputs, 2020) == (2020, 121_526)
    assert population_for(inputs, 2014) is None


def test_the_module_imports_no_django():
    code = "import sys, opd.engine.method; print(any(m.startswith('django') for m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --- the boundaries: the exact .5 tie, coverage exactly 0.8 and 1, drafts, before the baseline ---


def _year_2018(change: Decimal, population: int, opds=()) -> IndicatorInputs:
    """T(2018) = 7.38, R = 7.38 + ``change`` (the 2017 actual), P(2018) = ``population``."""
    return worked_example(
        actuals={2017: D("7.38") + change}, population={2018: population}, opds=list(opds)
    )


@pytest.mark.parametrize(
    ("change", "population", "required"),
    [
        (D("1.00"), 121_050, 1211),  # N = 1,210.5 exactly: half up (half-even gives 1,210)
        (D("1.00"), 121_150, 1212),  # N = 1,211.5 exactly: half up (half-down gives 1,211)
        (D("12.104999"), 10_000, 1210),  # N = 1,210.4999: down (round-up/ceiling give 1,211)
        (D("12.105001"), 10_000, 1211),  # N = 1,210.5001: up (floor/down give 1,210)
    ],
)
def test_required_persons_round_half_up_at_the_exact_tie(change, population, required):
    result = compute(_year_2018(change, population), 2018)
    assert result.required_change == change
    assert result.required == required
    assert result.required == result.required.to_integral_value()


@pytest.mark.parametrize(
    ("planned", "status"),
    [
        (D(1000), Status.ON_TRACK),  # coverage exactly 1.0
        (D("999.99"), Status.AT_RISK),
        (D(800), Status.AT_RISK),  # coverage exactly 0.8
        (D("799.99"), Status.OFF_TRACK),  # just below 0.8
    ],
)
def test_coverage_exactly_at_the_thresholds(planned, status):
    # N = 1.00 / 100 × 100,000 = 1,000 persons, so coverage = planned / 1,000 exactly.
    inputs = _year_2018(D("1.00"), 100_000, [OpdInput(DINSOS, "submitted", planned=planned)])
    result = compute(inputs, 2018)
    assert result.required == 1000
    assert result.coverage == planned / 1000
    assert result.status == status


@pytest.mark.parametrize("status", ["draft", "returned", None])
def test_a_plan_that_does_not_count_adds_no_budget(status):
    opds = [
        OpdInput(
            DINSOS,
            "submitted",
            planned=D(900),
            aligned_budget=D(450_000_000),
            total_budget=D(600_000_000),
        ),
        OpdInput(
            DINKES,
            status,
            planned=D(200),
            achieved=D(50),
            aligned_budget=D(1_900_000_000),
            total_budget=D(2_000_000_000),
        ),
    ]
    rows = {row.opd_id: row for row in compute(worked_example(opds=opds), 2018).opds}
    dinkes = rows[DINKES]
    assert not dinkes.counted
    assert (dinkes.aligned_budget, dinkes.total_budget) == (0, 0)
    assert dinkes.alignment is None and dinkes.cost_per_person is None
    assert (rows[DINSOS].aligned_budget, rows[DINSOS].total_budget) == (450_000_000, 600_000_000)
    assert rows[DINSOS].alignment == D("0.75")


@pytest.mark.parametrize("status", ["draft", "returned", "submitted", "approved", None])
def test_each_row_keeps_its_plans_own_budgets_beside_the_counted_ones(status):
    """A plan that does not count shows its real budgets (flagged by
    ``counted``); what counts, and every sum, stays as step 7 says."""
    opd = OpdInput(
        DINKES,
        status,
        planned=D(200),
        aligned_budget=D(1_900_000_000),
        total_budget=D(2_000_000_000),
    )
    result = compute(worked_example(opds=[opd]), 2018)
    (row,) = result.opds
    assert (row.plan_aligned_budget, row.plan_total_budget) == (1_900_000_000, 2_000_000_000)
    counted = status in ("submitted", "approved")
    assert row.counted is counted
    assert row.aligned_budget == (1_900_000_000 if counted else 0)
    assert row.total_budget == (2_000_000_000 if counted else 0)
    assert result.planned == (200 if counted else 0)


def test_a_year_before_the_baseline_has_no_target():
    inputs = worked_example(targets={**POVERTY["targets"], 2014: D("9.50")})
    result = compute(inputs, 2014)
    assert result.target is None and result.target_kind is None
    assert Missing.TARGET in result.missing
    assert result.status == Status.NO_DATA
    assert compute(inputs, 2015).target == D("9.05")  # the baseline year has its own value
