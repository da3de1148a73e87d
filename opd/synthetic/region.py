"""Writing one synthetic region in one transaction: its places, RPJMD with the poverty
indicator and its figures, Bappeda reviewer and 40 OPDs, then their work plans (``workplans``).

A fixed number of queries per region (about forty), whatever the number of activities, as long
as the region's rows of a table fit in one batch (``bulk.BATCH``); beyond that, one more query
per batch. The rows obey every database rule (``targets/rules.py``, ``opd/rules.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from opd.models import BappedaRole, ContributionState, Opd
from opd.synthetic import draw
from opd.synthetic.bulk import Rows
from opd.synthetic.vocabulary import AGENCIES
from opd.synthetic.workplans import JAKARTA, SOURCE, WorkPlanWriter
from targets.models import (
    Actual,
    Goal,
    Indicator,
    Kecamatan,
    Kelurahan,
    Mission,
    Objective,
    Plan,
    Population,
    Region,
    Target,
)


@dataclass(frozen=True)
class RegionSpec:
    """What to write: the region's code, kind and name, and its number in the run (its seed)."""

    number: int
    code: str
    kind: str
    name: str


@dataclass(frozen=True)
class Reviewer:
    """The Bappeda login every synthetic reviewer shares: its group and password hash."""

    group: Group
    password_hash: str
    email_domain: str


def reviewer_user(username: str, full_name: str, reviewer: Reviewer) -> Any:
    """An unsaved Bappeda login (its date joined fixed, so reruns store the same row)."""
    first, _sep, last = full_name.partition(" ")
    return get_user_model()(
        username=username,
        first_name=first,
        last_name=last[:150],
        email=f"{username}@{reviewer.email_domain}",
        password=reviewer.password_hash,
        date_joined=datetime(draw.BASELINE_YEAR, 12, 1, 9, 0, tzinfo=JAKARTA),
    )


def add_reviewer(rows: Rows, user: Any, region: Region, reviewer: Reviewer) -> None:
    """Save ``user`` into the reviewer group with a Bappeda role for ``region``."""
    rows.insert(get_user_model(), [user])
    through = get_user_model().groups.through
    rows.insert(through, [through(user_id=user.pk, group_id=reviewer.group.pk)])
    rows.insert(BappedaRole, [BappedaRole(user_id=user.pk, region_id=region.pk)])


def write_region(
    spec: RegionSpec, *, seed: int, province: Region, activities: int, reviewer: Reviewer
) -> tuple[int, int]:
    """Write the region in one transaction, its figures left pending; returns the rows written
    and the (indicator, year) pairs pending."""
    rng = draw.seeded(seed, "region", spec.number)
    facts = draw.region_facts(rng, spec.kind)
    rows = Rows()
    with transaction.atomic():
        region = Region.objects.create(
            code=spec.code, name=spec.name, kind=spec.kind, parent=province
        )
        rows.count += 1
        kelurahan_ids = _write_places(rows, region, facts)
        indicator = _write_plan(rows, region, facts)
        user = reviewer_user(f"bappeda.{spec.code}", f"Bappeda {spec.name}", reviewer)
        add_reviewer(rows, user, region, reviewer)
        opds = rows.insert(
            Opd,
            [
                Opd(
                    region=region,
                    code=code,
                    name=name,
                    short_name=short,
                    kind=kind,
                    is_illustrative=True,
                )
                for code, name, short, kind in _agencies(facts)
            ],
        )
        writer = WorkPlanWriter(rows, rng, facts, indicator, kelurahan_ids, user)
        writer.write(opds, activities)
        pending = _mark_pending(indicator)
    return rows.count, pending


def _mark_pending(indicator: Indicator) -> int:
    """Flag each year of the new indicator pending, in one insert; returns how many.

    Not ``marking.mark_pairs_dirty``: that also enqueues a recomputation per pair on commit,
    hundreds of single-pair recomputations racing the generator at province scale (and run
    inline without Redis). One ``recompute_contributions`` afterwards computes them all.
    """
    now = timezone.now()
    states = ContributionState.objects.bulk_create(
        [
            ContributionState(indicator=indicator, year=year, dirty=True, dirty_since=now)
            for year in range(draw.FIRST_YEAR, draw.LAST_YEAR + 1)
        ]
    )
    return len(states)


def _agencies(facts: draw.RegionFacts) -> list[tuple[str, str, str, str]]:
    offices = [
        (f"7.{number:02d}", f"Kecamatan {name}", f"Kec. {name}", "kecamatan")
        for number, (name, _kelurahan) in enumerate(facts.kecamatan, start=1)
    ]
    return AGENCIES + offices


def _write_places(rows: Rows, region: Region, facts: draw.RegionFacts) -> list[int]:
    kecamatan = rows.insert(
        Kecamatan,
        [
            Kecamatan(region=region, code=f"{region.code}.{number:02d}", name=name)
            for number, (name, _kelurahan) in enumerate(facts.kecamatan, start=1)
        ],
    )
    kelurahan = rows.insert(
        Kelurahan,
        [
            Kelurahan(kecamatan=district, code=f"{district.code}.{1000 + number}", name=name)
            for district, (_name, names) in zip(kecamatan, facts.kecamatan, strict=True)
            for number, name in enumerate(names, start=1)
        ],
    )
    return [k.pk for k in kelurahan]


def _write_plan(rows: Rows, region: Region, facts: draw.RegionFacts) -> Indicator:
    """The RPJMD with one mission, goal and objective, measured by the poverty rate."""
    plan = Plan.objects.create(
        region=region,
        name=f"RPJMD {region.name} {draw.FIRST_YEAR}–{draw.LAST_YEAR}",
        first_year=draw.FIRST_YEAR,
        last_year=draw.LAST_YEAR,
        vision=f"{region.name} yang sejahtera, mandiri dan berkeadilan",
        source=SOURCE,
    )
    mission = Mission.objects.create(plan=plan, number=1, text="Meningkatkan kesejahteraan")
    goal = Goal.objects.create(mission=mission, number=1, text="Menurunkan kemiskinan")
    objective = Objective.objects.create(
        goal=goal, number=1, text="Berkurangnya jumlah penduduk miskin"
    )
    indicator = Indicator.objects.create(
        plan=plan,
        objective=objective,
        code="KEMISKINAN",
        name="Persentase penduduk miskin",
        unit="%",
        direction="down",
        is_population_share=True,
        condition="kemiskinan",
        baseline_year=draw.BASELINE_YEAR,
        baseline_value=draw.percent(facts.baseline),
        baseline_source=SOURCE,
    )
    rows.count += 5
    rows.insert(
        Target,
        [
            Target(indicator=indicator, year=year, value=draw.percent(value), source=SOURCE)
            for year, value in facts.targets.items()
        ],
    )
    rows.insert(
        Actual,
        [
            Actual(indicator=indicator, year=year, value=draw.percent(value), source=SOURCE)
            for year, value in facts.actuals.items()
        ],
    )
    rows.insert(
        Population,
        [
            Population(region=region, year=year, value=value, source=SOURCE)
            for year, value in facts.population.items()
        ],
    )
    return indicator
