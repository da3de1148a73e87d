"""What a synthetic region is, drawn from a seeded generator: codes, names and figures.

Pure: no Django import, no clock and no global ``random``; every draw comes from a
``random.Random`` the caller seeded, so the same seed gives the same region on every run and
every machine (string seeds are hashed with SHA-512 by ``random.Random``, not with ``hash()``).
Percentages are drawn as whole hundredths and persons as integers, so no float reaches a figure.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from opd.synthetic.vocabulary import KECAMATAN_PER_REGION, PLACE_PREFIXES, PLACE_SUFFIXES

# The plan period of every synthetic region: six years, as Kota Magelang's RPJMD 2016-2021, so
# the synthetic regions and the real city share their years in a province roll-up.
FIRST_YEAR = 2016
LAST_YEAR = 2021
BASELINE_YEAR = FIRST_YEAR - 1
POPULATION_YEARS = (BASELINE_YEAR, 2020)
# Kemendagri numbers a province's kabupaten from 01 and its kota from 71: a province has at most
# 70 kabupaten, and one kota for every five kabupaten here (35 regions: 29 + 6, as Jawa Tengah).
FIRST_KOTA = 71
MAX_REGIONS = 84  # 70 kabupaten and 14 kota: the most that numbering allows at that ratio

PLACE_NAMES = [prefix + suffix for prefix, suffix in product(PLACE_PREFIXES, PLACE_SUFFIXES)]


def seeded(seed: int, *stream: object) -> random.Random:
    """The generator of one stream of the run with ``seed`` ("names", "region", 3, ...)."""
    # Seeded on purpose, for reproducible data; nothing secret is drawn (so S311 does not apply).
    return random.Random(":".join(map(str, ("generate_synthetic", seed, *stream))))  # noqa: S311


def region_codes(province_code: str, regions: int) -> list[tuple[str, str]]:
    """The (code, kind) of each of ``regions`` regions under ``province_code``, in order:
    kabupaten ``<province>.01``, ``.02``, ..., then kota ``<province>.71``, ``.72``, ...
    (one kota for every six regions)."""
    if not 1 <= regions <= MAX_REGIONS:
        raise ValueError(f"regions must lie within 1 and {MAX_REGIONS}")
    kota = regions // 6
    kabupaten = regions - kota
    return [(f"{province_code}.{n:02d}", "kabupaten") for n in range(1, kabupaten + 1)] + [
        (f"{province_code}.{n:02d}", "kota") for n in range(FIRST_KOTA, FIRST_KOTA + kota)
    ]


def region_names(rng: random.Random, kinds: list[str]) -> list[str]:
    """A distinct name for each region, "Kabupaten Sidorejo (sintetis)"."""
    places = rng.sample(PLACE_NAMES, len(kinds))
    return [
        f"{'Kota' if kind == 'kota' else 'Kabupaten'} {place} (sintetis)"
        for kind, place in zip(kinds, places, strict=True)
    ]


@dataclass(frozen=True)
class RegionFacts:
    """A region's geography and figures; percentages in hundredths (905 is 9.05 %)."""

    kecamatan: list[tuple[str, list[str]]]  # (name, its kelurahan's names)
    population: dict[int, int]
    baseline: int
    targets: dict[int, int]
    actuals: dict[int, int]
    # Persons the region's activities claim per year, as a percentage of those the targets
    # require, and the percentage of the claims that approved plans report achieved.
    coverage: int
    achievement: int

    def required_persons(self, year: int) -> int:
        """The persons who must leave poverty in ``year`` to meet its target, as the method
        counts them (``opd.engine.method``, steps 2-3): the last actual before the year (or the
        baseline) less the year's target, times the latest population, floored at 0."""
        reference = self.actuals.get(year - 1, self.baseline)
        population = max((y, p) for y, p in self.population.items() if y <= year)[1]
        return max(0, reference - self.targets[year]) * population // 10_000


def region_facts(rng: random.Random, kind: str) -> RegionFacts:
    kelurahan_counts = [rng.randint(3, 6) for _ in range(KECAMATAN_PER_REGION)]
    names = rng.sample(PLACE_NAMES, KECAMATAN_PER_REGION + sum(kelurahan_counts))
    kecamatan = []
    start = KECAMATAN_PER_REGION
    for number, count in enumerate(kelurahan_counts):
        kecamatan.append((names[number], names[start : start + count]))
        start += count
    people = rng.randint(100_000, 700_000) if kind == "kota" else rng.randint(500_000, 2_000_000)
    population = {
        POPULATION_YEARS[0]: people,
        POPULATION_YEARS[1]: people * (1000 + rng.randint(20, 60)) // 1000,
    }
    baseline = rng.randint(400, 1800)
    drop = rng.randint(15, 50)  # hundredths of a point a year
    targets = {
        year: max(50, baseline - drop * (year - BASELINE_YEAR))
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
    }
    pace = rng.randint(40, 140)  # how fast the actuals fall, as a percentage of the targets'
    # The last year has no figure yet, as a plan still running.
    actuals = {
        year: max(10, baseline - drop * pace * (year - BASELINE_YEAR) // 100 + rng.randint(-15, 15))
        for year in range(FIRST_YEAR, LAST_YEAR)
    }
    return RegionFacts(
        kecamatan=kecamatan,
        population=population,
        baseline=baseline,
        targets=targets,
        actuals=actuals,
        coverage=rng.randint(50, 150),
        achievement=rng.randint(50, 100),
    )


def percent(hundredths: int) -> Decimal:
    """905 -> Decimal("9.05")."""
    return Decimal(hundredths).scaleb(-2)


def apportion(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder; ties to the earlier)."""
    whole = sum(weights)
    shares = [total * weight // whole for weight in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


# Work plan statuses: a plan still running (its last year) has more plans under review.
STATUSES = ("approved", "submitted", "draft")
STATUS_WEIGHTS = (90, 6, 4)
LAST_YEAR_STATUS_WEIGHTS = (60, 25, 15)


def work_plan_status(rng: random.Random, year: int, activities: int) -> str:
    """Mostly approved; a plan without activities cannot be submitted, so it is a draft."""
    weights = LAST_YEAR_STATUS_WEIGHTS if year == LAST_YEAR else STATUS_WEIGHTS
    status = rng.choices(STATUSES, weights)[0]
    return status if activities else "draft"


def reported_quarters(year: int) -> range:
    """The quarters an approved plan has reported: all four, two in the running last year."""
    return range(1, 3) if year == LAST_YEAR else range(1, 5)
