"""Bappeda's summary of the aspirations (``/usulan/ringkasan/``) and its xlsx export
(``/usulan/ringkasan.xlsx``), for a plan year (``?tahun=``, by default the latest year with
aspirations) of one region the user reads as Bappeda (``?wilayah=``, chosen with the region
picker as on the staff list: by default the user's own, for a province's Bappeda a region under
it; another region is a 404).

Bappeda only: an anonymous visitor is sent to sign in, anyone else signed in gets a 403. A ``tahun`` that is not a year with aspirations is a 400 page naming the parameter. Both
run a fixed number of queries (see ``report``), neither writes.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from magelang.query import query_number
from opd.agencies import picker, roles
from opd.aspirations import report, report_export
from opd.aspirations.models import RejectionCode
from opd.aspirations.staff_selectors import aspiration_regions
from opd.dashboards.exports import XLSX, to_bytes


def _report(request: HttpRequest) -> tuple[report.Report, picker.RegionPicker]:
    """The report the request asks for, after the access, the region and the year are checked,
    and the region picker offering the regions the user reads."""
    user = request.user
    if not roles.is_reviewer(user):
        raise PermissionDenied
    # Of the regions the staff pages offer, those the user reads as Bappeda: no query more.
    regions = [r for r in aspiration_regions(user) if roles.reads_region(user, r.pk)]
    region = picker.choose(request, regions)
    years, default = report.report_years(region)
    year = query_number(request, "tahun")
    if year is None:
        year = default
    elif year not in years:
        raise BadRequest(
            _("The address parameter “%(name)s” must be a year with aspirations: %(years)s.")
            % {"name": "tahun", "years": ", ".join(str(y) for y in years) or "–"}
        )
    # A change of region drops the year: the other region may have no aspirations for it.
    return report.build(region, year, years or [year]), picker.offer(
        request, region, regions, keep=()
    )


@require_safe
@login_required
def summary(request: HttpRequest) -> HttpResponse:
    """The three tables (per forum, kelurahan and OPD) and the median days of each step."""
    data, region_picker = _report(request)
    counts = len(report.column_headings())
    tables = [
        ("forum", _("Per forum"), _("Forum"), "", data.by_forum),
        ("kelurahan", _("Per kelurahan"), _("Kelurahan"), _("Kecamatan"), data.by_kelurahan),
        ("opd", _("Per OPD (recommended to)"), _("OPD"), _("Code"), data.by_opd),
    ]
    return render(
        request,
        "aspirations/report/summary.html",
        {
            "report": data,
            "region_picker": region_picker,
            "stage_headings": [str(label) for _stage, label in report.COUNTED],
            "reason_headings": [str(label) for label in RejectionCode.labels],
            "tables": [
                {
                    "key": key,
                    "title": title,
                    "label_heading": label,
                    "group_heading": group,
                    "table": table,
                    "width": 1 + bool(group) + counts,
                }
                for key, title, label, group, table in tables
            ],
        },
    )


@require_safe
@login_required
def summary_xlsx(request: HttpRequest) -> HttpResponse:
    """The year's aspirations as a list, then the three tables and the medians, as xlsx."""
    data, _picker = _report(request)
    response = HttpResponse(to_bytes(report_export.workbook(data)), content_type=XLSX)
    # The name holds only the year: nothing a person typed reaches the header.
    response["Content-Disposition"] = f'attachment; filename="usulan-ringkasan-{data.year}.xlsx"'
    return response
