"""The OPD contribution table of a snapshot as CSV, for Excel set to Indonesian or for programs.

Every text cell goes through ``csv_safe``, so text that a user typed is never run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from opd.dashboards.exports import status_label
from opd.dashboards.sheets import FORMULA_STARTS
from opd.models import ContributionRow

CONTRIBUTION_HEADERS = [
    "Kode OPD",
    "Perangkat Daerah",
    "Status Renja",
    "Kontribusi Rencana",
    "Kontribusi Rencana (diajukan)",
    "Kontribusi Rencana (disetujui)",
    "Kontribusi Capaian",
    "Porsi terhadap Kebutuhan",
    "Pagu Selaras (Rp)",
    "Total Pagu (Rp)",
    "Keselarasan Anggaran",
    "Biaya per Jiwa (Rp)",
    # Design section 7, last so the columns before keep their places for programs reading them.
    "Kontribusi Rencana Tanpa Hitung Ganda",
    "Kontribusi Capaian Tanpa Hitung Ganda",
]


def csv_safe(value: str) -> str:
    """``value`` for a CSV cell: prefixed with ' when a spreadsheet would run it (OWASP)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def contribution_csv(rows: Sequence[ContributionRow], *, plain: bool = False) -> str:
    """The OPD contribution table of a snapshot as CSV, states in words.

    For Excel set to Indonesian by default: a byte-order mark (so it reads UTF-8), ";"
    between cells and the decimal comma, which is what it expects there. ``plain`` is for
    programs: "," and the decimal dot, no byte-order mark. Numbers are never grouped.
    """
    out = io.StringIO()
    if not plain:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter="," if plain else ";")
    number = _plain if plain else _comma
    writer.writerow(CONTRIBUTION_HEADERS)
    for line in rows:
        writer.writerow(
            [
                csv_safe(line.opd.code),
                csv_safe(line.opd.name),
                csv_safe(status_label(line.work_plan_status)),
                number(line.planned),
                number(line.planned_submitted),
                number(line.planned_approved),
                number(line.achieved),
                number(line.share),
                number(line.aligned_budget),
                number(line.total_budget),
                number(line.alignment),
                number(line.cost_per_person),
                number(line.planned_deduplicated),
                number(line.achieved_deduplicated),
            ]
        )
    return out.getvalue()


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value else "0"


def _comma(value: Decimal | None) -> str:
    return _plain(value).replace(".", ",")
