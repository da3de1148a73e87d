"""A synthetic region's work plans: every OPD's plan for each year of the RPJMD, its programs,
activities, claimed contributions and, for approved plans, quarterly realisations.

One insert per table for the whole region (a few megabytes of values at 18,000 activities);
activities, contributions and realisations go in as plain values (``bulk.Rows.insert_values``). The rows pass the submission
checklist too: a submitted or approved plan has activities in every program, each with its
output, place, target group, funding and budget; a plan without activities is a draft;
contributions are whole persons above zero; only approved plans report realisations.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from opd.models import (
    AchievedContribution,
    Activity,
    ExpectedContribution,
    Opd,
    Program,
    Realisation,
    WorkPlan,
)
from opd.synthetic import draw
from opd.synthetic.bulk import Rows
from opd.synthetic.vocabulary import (
    ACTIVITIES,
    ESTIMATE_BASIS,
    FUNDING_SOURCES,
    FUNDING_WEIGHTS,
    PROGRAMS,
)
from targets.models import Indicator

JAKARTA = ZoneInfo("Asia/Jakarta")
SOURCE = "Data sintetis (manage.py generate_synthetic), bukan data resmi"
CENT = Decimal("0.01")

ACTIVITY_COLUMNS = (
    "program_id",
    "code",
    "name",
    "output_indicator",
    "output_target",
    "output_unit",
    "budget",
    "funding_source",
    "kelurahan_id",
    "target_group",
)
BUDGET, OUTPUT_TARGET = ACTIVITY_COLUMNS.index("budget"), ACTIVITY_COLUMNS.index("output_target")


class WorkPlanWriter:
    def __init__(
        self,
        rows: Rows,
        rng: random.Random,
        facts: draw.RegionFacts,
        indicator: Indicator,
        kelurahan_ids: list[int],
        reviewer: Any,
    ) -> None:
        self.rows = rows
        self.rng = rng
        self.facts = facts
        self.indicator = indicator
        self.kelurahan_ids = kelurahan_ids
        self.reviewer = reviewer

    def write(self, opds: list[Opd], activities: int) -> None:
        """Write the plans of ``opds`` with ``activities`` activities in all, shared unevenly:
        one insert per table (a batch per ``bulk.BATCH`` rows), whatever their number."""
        years = range(draw.FIRST_YEAR, draw.LAST_YEAR + 1)
        # Some agencies run many more activities than others.
        weights = [self.rng.randint(1, 6) for _opd in opds]
        sizes = draw.apportion(activities, weights * len(years))
        pairs = [(year, opd) for year in years for opd in opds]
        plans = [
            (self._work_plan(opd, year, size), size)
            for (year, opd), size in zip(pairs, sizes, strict=True)
        ]
        self.rows.insert(WorkPlan, [work_plan for work_plan, _size in plans])
        programs = self._programs(plans)
        self.rows.insert(Program, [program for program, _share in programs])
        values: list[tuple[Any, ...]] = []
        claims: list[int] = []  # persons each activity claims, 0 for none
        owners: list[Program] = []  # each activity's program
        for year in years:
            shares = [
                (program, share) for program, share in programs if program.work_plan.year == year
            ]
            # What each claim is worth on average, so that a year's claims (nine activities
            # in ten claim) cover ``coverage`` % of the persons the year requires.
            planned = self.facts.required_persons(year) * self.facts.coverage // 100
            mean_claim = max(1, planned // max(1, sum(share for _p, share in shares) * 9 // 10))
            for program, share in shares:
                for number in range(1, share + 1):
                    values.append(self._activity(program, number))
                    claims.append(self._claim(mean_claim))
                    owners.append(program)
        ids = self.rows.insert_values(Activity, ACTIVITY_COLUMNS, values)
        indicator_id = self.indicator.pk
        self.rows.insert_values(
            ExpectedContribution,
            ("activity_id", "indicator_id", "amount", "evidence", "evidence_basis"),
            [
                (activity_id, indicator_id, Decimal(claim), *self._evidence())
                for activity_id, claim in zip(ids, claims, strict=True)
                if claim
            ],
        )
        self._write_realisations(
            [
                (activity_id, line, claim, program.work_plan.year)
                for activity_id, line, claim, program in zip(
                    ids, values, claims, owners, strict=True
                )
                if program.work_plan.status == WorkPlan.Status.APPROVED
            ]
        )

    def _work_plan(self, opd: Opd, year: int, size: int) -> WorkPlan:
        status = draw.work_plan_status(self.rng, year, size)
        submitted_at = reviewed_at = None
        if status != "draft":
            submitted_at = datetime(year - 1, 9, 1, 10, 0, tzinfo=JAKARTA) + timedelta(
                days=self.rng.randint(0, 40)
            )
            if status == "approved":
                reviewed_at = submitted_at + timedelta(days=self.rng.randint(3, 30))
        return WorkPlan(
            opd=opd,
            plan_id=self.indicator.plan_id,
            year=year,
            status=status,
            submitted_at=submitted_at,
            reviewed_at=reviewed_at,
            reviewed_by=self.reviewer if reviewed_at else None,
            is_demo=True,
        )

    def _programs(self, plans: list[tuple[WorkPlan, int]]) -> list[tuple[Program, int]]:
        """Two to five programs a plan (no more than its activities), sharing them evenly."""
        programs: list[tuple[Program, int]] = []
        for work_plan, size in plans:
            count = min(size, self.rng.randint(2, 5))
            chosen = self.rng.sample(PROGRAMS, count)
            shares = draw.apportion(size, [1] * count) if count else []
            for number, ((name, outcome, unit), share) in enumerate(
                zip(chosen, shares, strict=True), start=1
            ):
                target = self.rng.randint(50, 100) if unit == "%" else self.rng.randint(10, 2000)
                program = Program(
                    work_plan=work_plan,
                    code=f"{work_plan.opd.code}.{number:02d}",
                    name=name,
                    outcome_indicator=outcome,
                    outcome_target=Decimal(target),
                    outcome_unit=unit,
                )
                programs.append((program, share))
        return programs

    def _activity(self, program: Program, number: int) -> tuple[Any, ...]:
        """An activity's values, in ``ACTIVITY_COLUMNS`` order."""
        rng = self.rng
        name, output, unit, group = rng.choice(ACTIVITIES)
        return (
            program.pk,
            f"{program.code}.{number:03d}",
            name,
            output,
            Decimal(rng.randint(10, 500)),
            unit,
            Decimal(rng.randint(25, 2500) * 1_000_000),
            rng.choices(FUNDING_SOURCES, FUNDING_WEIGHTS)[0],
            rng.choice(self.kelurahan_ids),
            group,
        )

    def _claim(self, mean: int) -> int:
        """Nine activities in ten claim persons leaving poverty, around the year's ``mean``."""
        if self.rng.randrange(10) == 0:
            return 0
        return max(1, mean * self.rng.randint(20, 180) // 100)

    def _evidence(self) -> tuple[str, str]:
        """Half the claims are estimates, with their basis; the others state nothing."""
        return ("estimate", ESTIMATE_BASIS) if self.rng.randrange(2) else ("", "")

    def _write_realisations(self, activities: list[tuple[int, tuple[Any, ...], int, int]]) -> None:
        """Each quarter's spending, output and persons of the (activity id, values, claim,
        year) given: an activity realises ``rate`` % of its budget and output over the year,
        and of its claim times the region's ``achievement``, spread unevenly over the quarters
        reported; a quarter that lifted nobody has no achieved contribution."""
        values: list[tuple[Any, ...]] = []
        persons: list[int] = []
        for activity_id, line, claim, year in activities:
            quarters = draw.reported_quarters(year)
            rate = self.rng.randint(60, 100)
            spent = _quarter_of(line[BUDGET], rate)
            output = _quarter_of(line[OUTPUT_TARGET], rate)
            year_persons = claim * rate * self.facts.achievement // 10_000 * len(quarters) // 4
            spread = draw.apportion(year_persons, [self.rng.randint(1, 4) for _q in quarters])
            for quarter, quarter_persons in zip(quarters, spread, strict=True):
                values.append((activity_id, quarter, spent, output))
                persons.append(quarter_persons)
        ids = self.rows.insert_values(
            Realisation, ("activity_id", "quarter", "budget_spent", "output_achieved"), values
        )
        indicator_id = self.indicator.pk
        self.rows.insert_values(
            AchievedContribution,
            ("realisation_id", "indicator_id", "amount"),
            [
                (realisation_id, indicator_id, Decimal(count))
                for realisation_id, count in zip(ids, persons, strict=True)
                if count
            ],
        )


def _quarter_of(amount: Decimal, rate: int) -> Decimal:
    """A quarter of ``rate`` % of ``amount``, to the cent."""
    return (amount * rate / 400).quantize(CENT, ROUND_HALF_UP)
