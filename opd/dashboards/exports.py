"""What the exports in the official table layouts share: the plans they hold, a plan's state
in words, the draft mark, the heading row of each OPD and the workbook as bytes.

The exports themselves: the Renja table T-C.33 (``renja``), the quarterly evaluation
(``evaluation``) and the contribution CSV (``csv_export``). Column headers are the official
Indonesian ones (Permendagri 86/2017, see the glossary): they are names of a regulated layout,
not interface text, so they are not translated. Each export runs a fixed number of queries.

The workbooks print as the official forms (``sheets``): borders, wrapped text,
landscape A4 fitted to the width, headings repeated on every page. Targets are
numbers, their unit in its own column. A file holding a plan that is not approved
says so in its title.

Text that a user typed is written as text, never as a formula: every row of the
workbooks goes through ``sheets.row``, which puts each string in a ``text_cell``,
and every text cell of the CSV through ``csv_export.csv_safe``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from opd.dashboards.sheets import emphasise, row
from opd.models import AchievedContribution, Activity, ExpectedContribution, Realisation, WorkPlan

UNIT = "Satuan"
# The state of each plan as the official forms name it; "" is an OPD without a plan.
STATUS_ID = {
    "": "Belum ada Renja",
    "draft": "Draf",
    "submitted": "Diajukan",
    "returned": "Dikembalikan",
    "approved": "Disetujui",
    "reopened": "Dibuka kembali",
}
DRAFT_MARK = "DRAF: memuat Renja yang belum disetujui"
NONE_APPROVED = "Belum ada Renja Perangkat Daerah yang disetujui untuk tahun {year}."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def status_label(status: str | None) -> str:
    """A plan's state in words, as the official forms name it."""
    return STATUS_ID.get(status or "", status or "")


def plans_for_export(
    *,
    year: int,
    region_id: int,
    opd_id: int | None = None,
    approved_only: bool = False,
    with_results: bool = False,
) -> QuerySet[WorkPlan]:
    """The year's plans with programs, activities and places: 3 queries; ``with_results``
    adds the realisations, what they achieved and what each activity plans: 3 more."""
    plans = WorkPlan.objects.filter(year=year, opd__region_id=region_id).select_related("opd")
    if opd_id is not None:
        plans = plans.filter(opd_id=opd_id)
    if approved_only:
        plans = plans.filter(status=WorkPlan.Status.APPROVED)
    activities = Activity.objects.select_related("kelurahan__kecamatan")
    if with_results:
        achieved = AchievedContribution.objects.select_related("indicator")
        activities = activities.prefetch_related(
            Prefetch(
                "realisations",
                queryset=Realisation.objects.order_by("quarter").prefetch_related(
                    Prefetch("achieved_contributions", queryset=achieved)
                ),
            ),
            Prefetch(
                "expected_contributions",
                queryset=ExpectedContribution.objects.select_related("indicator"),
            ),
        )
    return plans.order_by("opd__code").prefetch_related(
        "programs", Prefetch("programs__activities", queryset=activities)
    )


def _scope(plans: Sequence[WorkPlan]) -> str:
    return plans[0].opd.name if len(plans) == 1 else "Seluruh Perangkat Daerah"


def subtitle(region_name: str, plans: Sequence[WorkPlan]) -> str:
    return f"{region_name} – {_scope(plans)}"


def marked(title: str, plans: Sequence[WorkPlan]) -> str:
    """``title``, marked as a draft when a plan in the file is not approved."""
    if any(plan.status != WorkPlan.Status.APPROVED for plan in plans):
        return f"{title} ({DRAFT_MARK})"
    return title


def opd_row(sheet: Worksheet, plan: WorkPlan, width: int, *, with_code: bool) -> None:
    label = f"{plan.opd.name} (Renja {status_label(plan.status)})"
    values = [plan.opd.code, label] if with_code else ["", label]
    emphasise(row(sheet, values + [None] * (width - 2)), fill=True)


def to_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
