"""Bappeda's summary of the aspirations (``/usulan/ringkasan/``) and its xlsx export
(``/usulan/ringkasan.xlsx``), for a plan year (``?tahun=``, by default the latest year with
aspirations) of the region the portal shows.

Bappeda reviewers only: an anonymous visitor is sent to sign in, anyone else signed in gets a
403. A ``tahun`` that is not a year with aspirations is a 400 page naming the parameter. Both
run a fixed number of queries (see ``report``), neither writes.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from magelang.query import query_number
from opd.agencies import roles
from opd.aspirations import report, report_export
from opd.aspirations.models import RejectionCode
from opd.dashboards.exports import XLSX, to_bytes


def _report(request: HttpRequest) -> report.Report:
    """The report the request asks for, after the access and the year are checked."""
    if not roles.is_reviewer(request.user):
        raise PermissionDenied
    region = report.region()
    if region is None:
        raise Http404(_("No plan data has been loaded yet."))
    years, default = report.report_years(region)
    year = query_number(request, "tahun")
    if year is None:
        year = default
    elif year not in years:
        raise BadRequest(
            _("The address parameter “%(name)s” must be a year with aspirations: %(years)s.")
            % {"name": "tahun", "years": ", ".join(str(y) for y in years) or "–"}
        )
    return report.build(region, year, years or [year])


@require_safe
@login_required
def summary(request: HttpRequest) -> HttpResponse:
    """The three tables (per forum, kelurahan and OPD) and the median days of each step."""
    data = _report(request)
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
    data = _report(request)
    response = HttpResponse(to_bytes(report_export.workbook(data)), content_type=XLSX)
    # The name holds only the year: nothing a person typed reaches the header.
    response["Content-Disposition"] = f'attachment; filename="usulan-ringkasan-{data.year}.xlsx"'
    return response
