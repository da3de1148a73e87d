"""The demo beneficiary lists of ``load_magelang --demo``: synthetic persons on four 2018
activities that claim persons out of poverty, overlapping as in design section 7's example.

Every person is made by arithmetic from a number, never drawn at random, so every load makes the
same persons: NIK ``3371990`` and No. KK ``3371999`` then nine digits (no kecamatan 99 exists in
Kota Magelang, 33.71), three persons to a family, every seventeenth without a No. KK, a family in
one of the region's kelurahan, its desil mostly 1 to 4 and every eleventh family's blank. The rows
go through the import's own checking and hashing (``rows.check_rows``) and the lists store the
counts the import stores, so the database holds hashes and counts only, as after a real import.

Who is on which list (person numbers, end excluded), as in the worked example:

* Dinas Sosial 1.06.01.001: persons 0–1,000 (claim 600);
* Dinas Sosial 1.06.01.002: persons 0–100 (on both Dinsos lists) and 1,450–1,850 (claim 300);
* Dinas Tenaga Kerja 2.07.01.001: persons 850–1,450, so 150 shared with Dinas Sosial (claim 400);
* Dinas Kesehatan 1.02.01.001: persons 700–710 and 850–860 (so 20 shared with Dinas Sosial, 10
  of them also with Dinas Tenaga Kerja) and 1,850–2,080 (claim 200). Its plan is a draft, so it
  counts only once submitted.

Each claim stays below its list and its evidence is ``list``. A list already there is left alone
when its counts match, and reported as a conflict when they do not (the loader's rule).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from opd.beneficiaries import hashing
from opd.beneficiaries.models import BeneficiaryList
from opd.beneficiaries.rows import check_rows, kelurahan_names
from opd.beneficiaries.services import insert_persons, list_counts
from opd.models import Activity, ContributionEvidence, ExpectedContribution
from opd.tabular import RawRow
from targets.models import Indicator, Kelurahan, Region

#: The demo lists were imported before the plans were submitted (a fixed time: reruns match).
IMPORTED_AT = datetime(2017, 9, 1, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
NIK_PREFIX = "3371990"
KK_PREFIX = "3371999"
#: The desil of family n is DESIL_CYCLE[n % len]: mostly the poorest four deciles, all ten.
DESIL_CYCLE = (1, 1, 2, 2, 3, 3, 4, 4, 1, 2, 5, 6, 7, 8, 9, 10, 3, 4, 2)

#: Activity code, the OPD code of its head (who imported it) and its persons' number ranges.
DEMO_LISTS: list[tuple[str, str, list[range]]] = [
    ("1.06.01.001", "1.06", [range(0, 1000)]),
    ("1.06.01.002", "1.06", [range(0, 100), range(1450, 1850)]),
    ("2.07.01.001", "2.07", [range(850, 1450)]),
    ("1.02.01.001", "1.02", [range(700, 710), range(850, 860), range(1850, 2080)]),
]


def nik(n: int) -> str:
    """Person n's synthetic NIK: 16 digits starting 337199."""
    return f"{NIK_PREFIX}{n:09d}"


def kk(n: int) -> str | None:
    """Person n's synthetic No. KK (three persons to a family), or None for every 17th."""
    return None if n % 17 == 16 else f"{KK_PREFIX}{n // 3:09d}"


def desil(n: int) -> int | None:
    """The n-th family's desil, or None for every 11th."""
    return None if n % 11 == 10 else DESIL_CYCLE[n % len(DESIL_CYCLE)]


def person_rows(numbers: list[range], places: list[str]) -> list[RawRow]:
    """The rows a file of these persons would hold; a family lives in one kelurahan."""
    rows: list[RawRow] = []
    for n in (n for numbers_range in numbers for n in numbers_range):
        family_desil = desil(n // 3)  # a family's welfare decile
        rows.append(
            RawRow(
                number=len(rows) + 2,
                cells={
                    "nik": nik(n),
                    "kk": kk(n) or "",
                    "kelurahan": places[(n // 3) * 7 % len(places)],
                    "desil": "" if family_desil is None else str(family_desil),
                },
            )
        )
    return rows


def load_demo_beneficiaries(
    seeder: Any,
    *,
    region: Region,
    indicator: Indicator,
    activities: dict[str, Activity],
    users: dict[str, Any],
) -> None:
    """Each demo list, its persons and its claim's evidence, once (see the module)."""
    places = list(
        Kelurahan.objects.filter(kecamatan__region=region)
        .order_by("code")
        .values_list("pk", "name", "code")
    )
    names = kelurahan_names(places)
    codes = [code for _pk, _name, code in places]
    secret = hashing.key()
    for code, opd_code, numbers in DEMO_LISTS:
        activity = activities[code]
        checked = check_rows(person_rows(numbers, codes), names, region=region.name, secret=secret)
        if checked.bad:  # a mistake in this module, not in the database
            raise ValueError(f"Demo list {code} has bad rows: {checked.bad[:3]}")
        counts = list_counts(checked)
        claim = ExpectedContribution.objects.get(activity=activity, indicator=indicator)
        if claim.amount > counts["persons"]:
            raise ValueError(f"Demo activity {code} claims more persons than its list holds.")
        existed = BeneficiaryList.objects.filter(activity=activity).exists()
        beneficiary_list = seeder.ensure(
            BeneficiaryList,
            {"activity": activity},
            {
                **counts,
                "imported_at": IMPORTED_AT,
                "imported_by": users[f"head:{opd_code}"],
                "is_demo": True,
            },
        )
        if not existed:
            insert_persons(beneficiary_list, checked)
            seeder.report.created[str(_("beneficiary"))] += len(checked.persons)
        if not claim.evidence:  # seeded before the lists existed: now backed by one
            claim.evidence = ContributionEvidence.LIST
            claim.save(update_fields=["evidence"])
            seeder.report.created[str(_("contribution backed by a list"))] += 1
        elif claim.evidence != ContributionEvidence.LIST:
            seeder.report.conflicts.append(
                _("%(claim)s: evidence is %(current)r in the database but 'list' in the seed")
                % {"claim": claim, "current": claim.evidence}
            )
