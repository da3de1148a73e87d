"""The demo nomenclature of ``load_magelang --demo``: a version holding exactly the codes of the
demo work plans (and so of the demo Renstras, which share them), so the plan and Renstra pages'
nomenclature check can be seen at work on the demo: every code found, and a code typed outside
the list named in the warning.

It is not the official list. The demo plans' codes are illustrative, not Permendagri 13/2006's,
so the version says in its name and regulation that it is a demo list built from the demo plans,
and its names are the demo plans' own. It covers the years of the RPJMD period that Permendagri
13/2006 governed (2016–2019: the demo Renja's 2018, and 2016, the first year of the Renstra,
whose check reads that year's version). Two versions never share a year, so when the operator
has loaded a version covering any of those years the demo leaves the nomenclature alone: the
operator's list wins. Loading the official 13/2006 list over these years later means deleting
the demo version first (the loader names it as the overlap).
"""

from __future__ import annotations

from typing import Any

from opd.nomenclature.models import CodeKind, NomenclatureCode, NomenclatureVersion

DEMO_NAME = "DEMO Permendagri 13/2006 (kode rencana demo)"
DEMO_REGULATION = (
    "Permendagri 13/2006 — DEMO: daftar contoh yang disusun dari kode Renja/Renstra demo "
    "portal, bukan daftar resmi"
)
DEMO_FIRST_YEAR, DEMO_LAST_YEAR = 2016, 2019


def demo_codes(work_plans: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """(kind, code): name for every program and activity of the demo plans (a Renja activity
    is a kegiatan under Permendagri 13/2006); a code repeated keeps its first name."""
    codes: dict[tuple[str, str], str] = {}
    for plan in work_plans:
        for program in plan["programs"]:
            codes.setdefault((CodeKind.PROGRAM.value, program["code"]), program["name"])
            for activity in program["activities"]:
                codes.setdefault((CodeKind.ACTIVITY.value, activity["code"]), activity["name"])
    return codes


def load_demo_nomenclature(seeder: Any, *, work_plans: list[dict[str, Any]]) -> None:
    """The demo version and its codes (see the module), through the seed's ``ensure``: created
    when missing, a conflict when they differ, nothing when the operator's version covers a
    year of the demo's."""
    theirs = NomenclatureVersion.objects.overlapping(DEMO_FIRST_YEAR, DEMO_LAST_YEAR)
    if theirs.exclude(name=DEMO_NAME).exists():
        return
    version = seeder.ensure(
        NomenclatureVersion,
        {"name": DEMO_NAME},
        {
            "regulation": DEMO_REGULATION,
            "first_year": DEMO_FIRST_YEAR,
            "last_year": DEMO_LAST_YEAR,
        },
    )
    for (kind, code), name in demo_codes(work_plans).items():
        seeder.ensure(
            NomenclatureCode, {"version": version, "kind": kind, "code": code}, {"name": name}
        )
