"""A world for the set-based recomputation: two regions, several indicators and years, OPDs with
and without plans, claims of 0 and more, realisations, and beneficiary lists that overlap.

Region A (plan 2016–2021): KMS (population share, down, its actuals also from the poverty
record, which wins over its own 2017 actual), TPT (not a population share, up). Region B (plan
2017–2019): KMB. In A, ``opds`` OPDs with a plan for 2018 and 2019 (submitted, approved, draft
in turn), each with ``activities`` activities claiming KMS and TPT, plus one OPD without any
plan. In B, two OPDs with a submitted 2018 plan.

The lists (A, 2018): L1 claims KMS only, L2 both, L3 TPT only, L4 both but in a draft plan (not
counted); in B, L5. Persons overlap across them, and one person is in desil 2 on L1 but desil
7 on L2, so KMS (L1, L2) counts them low and TPT (L2, L3) does not; another person is on L2 and
on B's L5.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from opd import models as om
from targets import models as tm
from targets.poverty import PovertyFigure
from tests.factories import (
    AchievedContributionFactory,
    ActivityFactory,
    ActualFactory,
    ExpectedContributionFactory,
    IndicatorFactory,
    KelurahanFactory,
    OpdFactory,
    PlanFactory,
    PopulationFactory,
    ProgramFactory,
    RealisationFactory,
    RegionFactory,
    TargetFactory,
    WorkPlanFactory,
)

STATUSES = ("submitted", "approved", "draft")


def person(n: int) -> bytes:
    return hashlib.sha256(f"person {n}".encode()).digest()


@dataclass
class BatchWorld:
    kms: tm.Indicator
    tpt: tm.Indicator
    kmb: tm.Indicator
    kelurahan: tm.Kelurahan
    activities: dict[str, om.Activity] = field(default_factory=dict)

    @property
    def indicators(self) -> list[tm.Indicator]:
        return [self.kms, self.tpt, self.kmb]

    def pairs(self) -> list[tuple[int, int]]:
        """Every (indicator, year) the nightly run covers, by year then indicator."""
        found = [
            (indicator.pk, year)
            for indicator in tm.Indicator.objects.select_related("plan").order_by("pk")
            for year in indicator.plan.years()
        ]
        return sorted(found, key=lambda pair: (pair[1], pair[0]))


def build(*, opds: int = 3, activities: int = 2) -> BatchWorld:
    region_a, region_b = RegionFactory(), RegionFactory()
    plan_a = PlanFactory(region=region_a, first_year=2016, last_year=2021)
    plan_b = PlanFactory(region=region_b, first_year=2017, last_year=2019)
    kms = IndicatorFactory(plan=plan_a, code="KMS", record_measure="p0")
    tpt = IndicatorFactory(
        plan=plan_a,
        code="TPT",
        is_population_share=False,
        direction=tm.Indicator.Direction.UP,
        baseline_value=Decimal("60.5"),
    )
    kmb = IndicatorFactory(plan=plan_b, code="KMB", baseline_value=Decimal("11.2"))
    for indicator, year, value in (
        (kms, 2018, "7.38"),
        (kms, 2020, "6.10"),
        (tpt, 2019, "64"),
        (kmb, 2019, "10.5"),
    ):
        TargetFactory(indicator=indicator, year=year, value=Decimal(value))
    ActualFactory(indicator=kms, year=2017, value=Decimal("8.75"))
    ActualFactory(indicator=kms, year=2016, value=Decimal("8.90"))
    ActualFactory(indicator=tpt, year=2017, value=Decimal("61.2"))
    ActualFactory(indicator=kmb, year=2018, value=Decimal("10.9"))
    for year, value in ((2017, "8.60"), (2019, "7.00")):  # 2017: the record wins over 8.75
        PovertyFigure.objects.create(
            region=region_a, year=year, measure="p0", value=Decimal(value), source="BPS"
        )
    PovertyFigure.objects.create(  # another measure, and another region's rate: not KMS's
        region=region_a, year=2018, measure="poor_persons", value=Decimal(9000), source="BPS"
    )
    PovertyFigure.objects.create(
        region=region_b, year=2018, measure="p0", value=Decimal("3.1"), source="BPS"
    )
    PopulationFactory(region=region_a, year=2015, value=120_952)
    PopulationFactory(region=region_a, year=2019, value=123_000)
    PopulationFactory(region=region_b, year=2016, value=80_000)
    kelurahan = KelurahanFactory(kecamatan__region=region_a)
    world = BatchWorld(kms=kms, tpt=tpt, kmb=kmb, kelurahan=kelurahan)

    for number in range(opds):
        opd = OpdFactory(region=region_a)
        for year in (2018, 2019):
            status = STATUSES[(number + year) % len(STATUSES)]
            if number == 0:
                status = "submitted"  # the lists' OPD counts in 2018
            program = ProgramFactory(
                work_plan=WorkPlanFactory(opd=opd, plan=plan_a, year=year, status=status)
            )
            for index in range(activities):
                activity = ActivityFactory(
                    program=program, budget=Decimal(100_000_000 + 1_000_000 * index + number)
                )
                world.activities[f"{number}.{year}.{index}"] = activity
                claim = Decimal(0) if (index, number) == (1, 1) else Decimal(40 + index + number)
                ExpectedContributionFactory(activity=activity, indicator=kms, amount=claim)
                ExpectedContributionFactory(
                    activity=activity, indicator=tpt, amount=Decimal("2.5") * (index + 1)
                )
                if status == "approved" or index == 0:
                    realisation = RealisationFactory(activity=activity, quarter=1)
                    AchievedContributionFactory(
                        realisation=realisation, indicator=kms, amount=Decimal(7 + number)
                    )
                    realisation = RealisationFactory(activity=activity, quarter=2)
                    AchievedContributionFactory(
                        realisation=realisation, indicator=kms, amount=Decimal("1.5")
                    )
    OpdFactory(region=region_a)  # no plan at all: listed with nothing counted

    for number in range(2):
        opd = OpdFactory(region=region_b)
        program = ProgramFactory(
            work_plan=WorkPlanFactory(opd=opd, plan=plan_b, year=2018, status="submitted")
        )
        activity = ActivityFactory(program=program, budget=Decimal(50_000_000))
        world.activities[f"b{number}"] = activity
        ExpectedContributionFactory(activity=activity, indicator=kmb, amount=Decimal(30))
    _lists(world, opds)
    return world


def _lists(world: BatchWorld, opds: int) -> None:
    kms, tpt = world.kms, world.tpt
    first = world.activities["0.2018.0"]  # claims KMS and TPT (see above)
    only_kms = ActivityFactory(program=first.program, budget=Decimal(10_000_000))
    ExpectedContributionFactory(activity=only_kms, indicator=kms, amount=Decimal(30))
    only_tpt = ActivityFactory(program=first.program, budget=Decimal(20_000_000))
    ExpectedContributionFactory(activity=only_tpt, indicator=tpt, amount=Decimal(12))
    draft = om.WorkPlan.objects.filter(year=2018, status="draft").first()
    lists: dict[om.Activity, list[tuple[int, int | None]]] = {
        only_kms: [(n, 2) for n in range(0, 30)],  # L1
        first: [(0, 7)] + [(n, 5) for n in range(20, 50)] + [(500, None)],  # L2
        only_tpt: [(n, None) for n in range(40, 60)] + [(1, 3)],  # L3
        world.activities["b0"]: [(500, 1), (501, 2)],  # L5, in region B
    }
    if draft is not None:  # L4: in a draft plan, so never counted
        lists[draft.programs.get().activities.first()] = [(n, 1) for n in range(0, 45)]
    in_b = KelurahanFactory(kecamatan__region=world.kmb.plan.region)
    for activity, persons in lists.items():
        entry = om.BeneficiaryList.objects.create(
            activity=activity, persons=len(persons), imported_at=timezone.now()
        )
        place = in_b if activity == world.activities["b0"] else world.kelurahan
        om.Beneficiary.objects.bulk_create(
            om.Beneficiary(beneficiary_list=entry, person=person(n), kelurahan=place, desil=desil)
            for n, desil in persons
        )
