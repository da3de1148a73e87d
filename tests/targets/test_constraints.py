"""The database refuses bad plan rows by itself: named constraints and cross-row rules.

Every test writes through the ORM (``create``, ``save``, ``QuerySet.update``), never
through a form or ``full_clean``, expects an ``IntegrityError`` naming the constraint
or rule, and shows the nearest good row is accepted, so a rule that refuses
everything fails too. The helpers, shared with every room's constraint tests, are in
``tests/constraints.py``; a parent row changed under its children is in
``test_constraints_parents.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from targets import models as tm
from tests.constraints import assert_unique, refused, refused_duplicate, rule_suspended
from tests.factories import (
    ActualFactory,
    GoalFactory,
    IndicatorFactory,
    KecamatanFactory,
    KelurahanFactory,
    MissionFactory,
    ObjectiveFactory,
    PlanFactory,
    PopulationFactory,
    RegionFactory,
    TargetFactory,
)

# --- single-row checks ------------------------------------------------------------

PERCENT_INDICATOR = {"unit": "%", "is_population_share": False}
COUNT_INDICATOR = {"unit": "jiwa", "is_population_share": False, "baseline_value": Decimal(500)}

CHECKS = [
    # constraint, factory, nearest good row, bad row
    ("region_kind_valid", RegionFactory, {"kind": "provinsi"}, {"kind": "desa"}),
    ("region_code_not_empty", RegionFactory, {"code": "3"}, {"code": ""}),
    ("kecamatan_code_not_empty", KecamatanFactory, {"code": "3"}, {"code": ""}),
    ("kelurahan_code_not_empty", KelurahanFactory, {"code": "3"}, {"code": ""}),
    (
        "plan_period_ordered",
        PlanFactory,
        {"first_year": 2021, "last_year": 2021},
        {"first_year": 2021, "last_year": 2020},
    ),
    (
        "plan_years_plausible",
        PlanFactory,
        {"first_year": 1945, "last_year": 1949},
        {"first_year": 1944, "last_year": 1949},
    ),
    (
        "plan_years_plausible",
        PlanFactory,
        {"first_year": 2096, "last_year": 2100},
        {"first_year": 2096, "last_year": 2101},
    ),
    ("indicator_direction_valid", IndicatorFactory, {"direction": "up"}, {"direction": "flat"}),
    ("indicator_code_not_empty", IndicatorFactory, {"code": "X"}, {"code": ""}),
    (
        "indicator_percentage_baseline_0_100",
        IndicatorFactory,
        {"baseline_value": Decimal(100)},
        {"baseline_value": Decimal("100.0001")},
    ),
    (
        "indicator_percentage_baseline_0_100",
        IndicatorFactory,
        {"baseline_value": Decimal(0)},
        {"baseline_value": Decimal("-0.0001")},
    ),
    (
        "indicator_population_share_is_percentage",
        IndicatorFactory,
        {**COUNT_INDICATOR, "is_population_share": False},
        {**COUNT_INDICATOR, "is_population_share": True},
    ),
    (
        # The plan's first year 1945 keeps the baseline rule (first year - 5 .. first year) quiet.
        "indicator_baseline_year_plausible",
        IndicatorFactory,
        {"plan__first_year": 1945, "plan__last_year": 1949, "baseline_year": 1945},
        {"plan__first_year": 1945, "plan__last_year": 1949, "baseline_year": 1944},
    ),
    ("actual_source_not_empty", ActualFactory, {"source": "BPS"}, {"source": ""}),
    ("population_positive", PopulationFactory, {"value": 1}, {"value": 0}),
    ("population_year_plausible", PopulationFactory, {"year": 1945}, {"year": 1944}),
    ("population_year_plausible", PopulationFactory, {"year": 2100}, {"year": 2101}),
    ("population_source_not_empty", PopulationFactory, {"source": "BPS"}, {"source": ""}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "factory", "good", "bad"), CHECKS, ids=[check[0] for check in CHECKS]
)
def test_check_constraint_refuses_bad_row(name, factory, good, bad):
    assert factory(**good).pk
    with refused(name):
        factory(**bad)


@pytest.mark.django_db
def test_percentage_baseline_limit_applies_to_percentages_only():
    assert IndicatorFactory(**{**COUNT_INDICATOR, "baseline_value": Decimal(150)}).pk
    indicator = IndicatorFactory(**PERCENT_INDICATOR, baseline_value=Decimal(50))
    with refused("indicator_percentage_baseline_0_100"):
        tm.Indicator.objects.filter(pk=indicator.pk).update(baseline_value=Decimal(101))


@pytest.mark.django_db
def test_actual_has_one_place_level():
    kecamatan = KecamatanFactory()
    kelurahan = KelurahanFactory(kecamatan=kecamatan)
    indicator = IndicatorFactory(plan__region=kecamatan.region)
    assert ActualFactory(indicator=indicator, kecamatan=kecamatan).pk
    assert ActualFactory(indicator=indicator, kelurahan=kelurahan).pk
    with refused("actual_one_place_level"):
        ActualFactory(indicator=indicator, year=2018, kecamatan=kecamatan, kelurahan=kelurahan)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "rule", "factory"),
    [
        ("target_year_plausible", "target_year_in_plan_period", TargetFactory),
        ("actual_year_plausible", "actual_year_in_plan_period", ActualFactory),
    ],
)
@pytest.mark.parametrize(("good_year", "bad_year"), [(1945, 1944), (2100, 2101)])
def test_year_plausible_behind_plan_period_rule(name, rule, factory, good_year, bad_year):
    indicator = IndicatorFactory()
    with rule_suspended(rule):
        assert factory(indicator=indicator, year=good_year).pk
        with refused(name):
            factory(indicator=indicator, year=bad_year)


# --- uniqueness ---------------------------------------------------------------------


def new_region(**fields: Any) -> tm.Region:
    """A region through ``objects.create`` (RegionFactory get-or-creates by code)."""
    return tm.Region.objects.create(**{"name": "Kota Magelang", **fields})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "model"),
    [(new_region, tm.Region), (KecamatanFactory, tm.Kecamatan), (KelurahanFactory, tm.Kelurahan)],
    ids=["region", "kecamatan", "kelurahan"],
)
def test_official_code_is_unique(factory, model):
    assert factory(code="3371").pk
    assert factory(code="3372").pk
    with refused_duplicate(model, "code"):
        factory(code="3371")


UNIQUES = [
    # constraint, factory, scope, key, another key in the same scope
    ("kecamatan_unique_name", KecamatanFactory, ["region"], {"name": "Magelang Utara"}, {}),
    ("kelurahan_unique_name", KelurahanFactory, ["kecamatan"], {"name": "Kramat Utara"}, {}),
    (
        "plan_unique_period",
        PlanFactory,
        ["region"],
        {"first_year": 2016},
        {"first_year": 2021, "last_year": 2026},
    ),
    ("mission_unique_number", MissionFactory, ["plan"], {"number": 1}, {"number": 2}),
    ("goal_unique_number", GoalFactory, ["mission"], {"number": 1}, {"number": 2}),
    ("objective_unique_number", ObjectiveFactory, ["goal"], {"number": 1}, {"number": 2}),
    ("indicator_unique_code", IndicatorFactory, ["plan"], {"code": "KEMISKINAN"}, {}),
    ("target_unique_year", TargetFactory, ["indicator"], {"year": 2018}, {"year": 2019}),
    (
        "actual_unique_year_region_wide",
        ActualFactory,
        ["indicator"],
        {"year": 2017},
        {"year": 2018},
    ),
    ("population_unique_year", PopulationFactory, ["region"], {"year": 2015}, {"year": 2016}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "factory", "scope", "key", "other_key"), UNIQUES, ids=[u[0] for u in UNIQUES]
)
def test_unique_constraint_refuses_duplicate(name, factory, scope, key, other_key):
    assert_unique(name, factory, scope=scope, key=key, other_key=other_key)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "level"),
    [("actual_unique_year_kecamatan", "kecamatan"), ("actual_unique_year_kelurahan", "kelurahan")],
)
def test_actual_unique_per_place(name, level):
    kelurahan = KelurahanFactory()
    places = {"kecamatan": kelurahan.kecamatan, "kelurahan": kelurahan}
    other_place = {
        "kecamatan": KecamatanFactory(region=kelurahan.kecamatan.region),
        "kelurahan": KelurahanFactory(kecamatan=kelurahan.kecamatan),
    }[level]
    indicator = IndicatorFactory(plan__region=kelurahan.kecamatan.region)
    place = {level: places[level]}

    ActualFactory(indicator=indicator, year=2017, **place)
    assert ActualFactory(indicator=indicator, year=2017).pk, "region-wide figure of that year"
    assert ActualFactory(indicator=indicator, year=2018, **place).pk, "same place, next year"
    assert ActualFactory(indicator=indicator, year=2017, **{level: other_place}).pk
    with refused(name):
        ActualFactory(indicator=indicator, year=2017, **place)


# --- cross-row rules -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "factory"),
    [("target_year_in_plan_period", TargetFactory), ("actual_year_in_plan_period", ActualFactory)],
)
@pytest.mark.parametrize("bad_year", [2015, 2022])
def test_figure_year_inside_plan_period(rule, factory, bad_year):
    indicator = IndicatorFactory(plan__first_year=2016, plan__last_year=2021)
    assert factory(indicator=indicator, year=2016).pk
    figure = factory(indicator=indicator, year=2021)
    with refused(rule):
        factory(indicator=indicator, year=bad_year)
    with refused(rule):
        type(figure).objects.filter(pk=figure.pk).update(year=bad_year)
    figure.year = bad_year
    with refused(rule):
        figure.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rule", "factory"),
    [("target_percentage_0_100", TargetFactory), ("actual_percentage_0_100", ActualFactory)],
)
@pytest.mark.parametrize("bad_value", [Decimal("-0.0001"), Decimal("100.0001")])
def test_percentage_figure_within_0_100(rule, factory, bad_value):
    percent = IndicatorFactory(**PERCENT_INDICATOR)
    assert factory(indicator=percent, year=2016, value=Decimal(0)).pk
    figure = factory(indicator=percent, year=2017, value=Decimal(100))
    with refused(rule):
        factory(indicator=percent, year=2018, value=bad_value)
    with refused(rule):
        type(figure).objects.filter(pk=figure.pk).update(value=bad_value)
    # The limit is for percentages only: a count may exceed 100.
    assert factory(indicator=IndicatorFactory(**COUNT_INDICATOR), value=Decimal(150)).pk


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["kecamatan", "kelurahan"])
def test_actual_place_in_region(level):
    own = KelurahanFactory()
    foreign = KelurahanFactory()
    places = {
        "kecamatan": (own.kecamatan, foreign.kecamatan),
        "kelurahan": (own, foreign),
    }[level]
    indicator = IndicatorFactory(plan__region=own.kecamatan.region)
    actual = ActualFactory(indicator=indicator, **{level: places[0]})
    with refused("actual_place_in_region"):
        ActualFactory(indicator=indicator, year=2018, **{level: places[1]})
    with refused("actual_place_in_region"):
        tm.Actual.objects.filter(pk=actual.pk).update(**{level: places[1]})


@pytest.mark.django_db
@pytest.mark.parametrize("bad_year", [2010, 2017])
def test_indicator_baseline_before_plan(bad_year):
    plan = PlanFactory(first_year=2016, last_year=2021)
    assert IndicatorFactory(plan=plan, baseline_year=2011).pk
    indicator = IndicatorFactory(plan=plan, baseline_year=2016)
    with refused("indicator_baseline_before_plan"):
        IndicatorFactory(plan=plan, baseline_year=bad_year)
    with refused("indicator_baseline_before_plan"):
        tm.Indicator.objects.filter(pk=indicator.pk).update(baseline_year=bad_year)


@pytest.mark.django_db
def test_indicator_objective_in_plan():
    objective = ObjectiveFactory()
    plan = objective.goal.mission.plan
    indicator = IndicatorFactory(plan=plan, objective=objective)
    foreign = ObjectiveFactory()
    with refused("indicator_objective_in_plan"):
        IndicatorFactory(plan=plan, objective=foreign)
    indicator.objective = foreign
    with refused("indicator_objective_in_plan"):
        indicator.save()


@pytest.mark.django_db
def test_indicator_values_fit_on_unit_change():
    fits = IndicatorFactory(**{**COUNT_INDICATOR, "baseline_value": Decimal(50)})
    TargetFactory(indicator=fits, value=Decimal(100))
    ActualFactory(indicator=fits, value=Decimal(0))
    assert tm.Indicator.objects.filter(pk=fits.pk).update(unit="%") == 1

    too_big = IndicatorFactory(**{**COUNT_INDICATOR, "baseline_value": Decimal(50)})
    ActualFactory(indicator=too_big, value=Decimal("100.01"))
    with refused("indicator_values_fit"):
        tm.Indicator.objects.filter(pk=too_big.pk).update(unit="%")


@pytest.mark.django_db
def test_indicator_values_fit_on_plan_change():
    indicator = IndicatorFactory(plan__first_year=2016, plan__last_year=2021)
    TargetFactory(indicator=indicator, year=2019)
    region = indicator.plan.region
    covering = PlanFactory(region=region, first_year=2019, last_year=2023)
    not_covering = PlanFactory(region=region, first_year=2020, last_year=2024)
    indicator.plan = not_covering
    with refused("indicator_values_fit"):
        indicator.save()
    indicator.plan = covering
    indicator.save()
    assert tm.Target.objects.get(indicator=indicator).indicator.plan == covering


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("figure", "shrunk", "refused_period"),
    [
        ("target", {"last_year": 2020}, {"last_year": 2019}),
        ("actual", {"first_year": 2017}, {"first_year": 2018}),
        ("baseline", {"first_year": 2020}, {"first_year": 2021}),
    ],
)
def test_plan_period_covers_figures(figure, shrunk, refused_period):
    """Shrinking the period up to a target/actual year or baseline+5 is fine; beyond, refused."""
    plan = PlanFactory(first_year=2016, last_year=2021)
    indicator = IndicatorFactory(plan=plan, baseline_year=2015)
    if figure == "target":
        TargetFactory(indicator=indicator, year=2020)
    elif figure == "actual":
        ActualFactory(indicator=indicator, year=2017)

    with refused("plan_period_covers_figures"):
        tm.Plan.objects.filter(pk=plan.pk).update(**refused_period)
    for field, year in refused_period.items():
        setattr(plan, field, year)
    with refused("plan_period_covers_figures"):
        plan.save()
    assert tm.Plan.objects.filter(pk=plan.pk).update(**shrunk) == 1


# --- exact figures -------------------------------------------------------------------


@pytest.mark.django_db
def test_figures_are_exact_decimals():
    target = TargetFactory(value=Decimal("7.3801"))
    target.refresh_from_db()
    assert type(target.value) is Decimal
    assert target.value == Decimal("7.3801")
