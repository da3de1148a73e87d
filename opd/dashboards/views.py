"""Dashboards, the public transparency page and the exports.

Who sees what: a Bappeda reviewer sees the dashboards of the regions it reads
(``roles.readable_region_ids``: its own and those under it, one at a time, chosen
with the region picker, ``?wilayah=``; a province's or the country's dashboard is
the roll-up of its regions) and exports every OPD's tables there; an OPD member
sees their own OPD's view and exports their own OPD's tables (another OPD is a
404, the region-wide ones a 403; a region the user may not see is a 404);
anyone, signed in or not, sees the public page of any region, which shows no
OPD's plan data at all.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from magelang.query import query_number as _number
from magelang.query import query_param as _param
from opd.agencies import picker, roles
from opd.dashboards import charts, csv_export, evaluation, exports, renja, selectors
from opd.dashboards.province import roll_up
from opd.models import Opd, WorkPlan
from targets.models import Indicator, Region
from targets.poverty import region_record
from targets.selectors import IndicatorOverview

#: Seconds after which a download asked for before the year's first computation is worth
#: asking for again (the Retry-After of its 503).
BEING_COMPUTED_RETRY_AFTER = 30
#: Kinds of region whose dashboard is the roll-up of the regions under it.
ROLL_UP_KINDS = (Region.Kind.PROVINCE, Region.Kind.COUNTRY)


def _indicator(request: HttpRequest, region: Region) -> Indicator:
    indicator = selectors.choose_indicator(_param(request, "indikator"), region.pk)
    if indicator is None:
        raise Http404(_("No plan data has been loaded yet."))
    return indicator


def _trajectory(
    overview: IndicatorOverview,
    year: int,
    projected_planned: Decimal | None = None,
    projected_achieved: Decimal | None = None,
) -> charts.TrajectoryChart:
    projections = []
    if projected_planned is not None:
        projections.append(("planned", year, projected_planned))
    if projected_achieved is not None:
        projections.append(("achieved", year, projected_achieved))
    return charts.trajectory(
        years=[row.year for row in overview.rows],
        targets={p.year: (p.value, str(p.kind)) for p in overview.path},
        actuals={row.year: row.actual for row in overview.rows if row.actual is not None},
        projections=projections,
    )


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Bappeda's dashboard; an OPD member is sent to their own OPD's view."""
    if not roles.is_reviewer(request.user):
        if Opd.objects.visible_to(request.user).exists():
            return redirect("dashboards:opd")
        raise PermissionDenied
    region = picker.chosen_region(request)
    if region.kind in ROLL_UP_KINDS:
        return _same_query(request, "dashboards:province")
    indicator = _indicator(request, region)
    year = selectors.choose_year(indicator, _number(request, "tahun"))
    sort = _param(request, "urut") or "planned"
    descending = _param(request, "arah") != "naik"
    data = selectors.dashboard(indicator=indicator, year=year, sort=sort, descending=descending)
    region_picker = picker.offer(request, region)
    snapshot = data.snapshot
    bar_rows = [
        (row.opd.short_name or row.opd.name, row.planned, row.achieved)
        for row in data.rows
        if row.planned or row.achieved
    ]
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "data": data,
            "trajectory": _trajectory(
                data.overview,
                year,
                snapshot.projected_planned if snapshot else None,
                snapshot.projected_achieved if snapshot else None,
            ),
            "bars": charts.bars(bar_rows),
            "plan_labels": dict(WorkPlan.Status.choices),
            "sort_columns": _sort_columns(
                deduplicated=bool(data.overlap and data.overlap.has_lists)
            ),
            "region_picker": region_picker,
            "wilayah": region.code,
            # The province (or country) above, when the user reads it: a link to its roll-up.
            "roll_up_region": next(
                (r for r in region_picker.regions if r.pk == region.parent_id), None
            ),
        },
    )


def _same_query(request: HttpRequest, name: str) -> HttpResponse:
    """A redirect to the page ``name`` with the request's query string."""
    query = request.GET.urlencode()
    return redirect(reverse(name) + (f"?{query}" if query else ""))


@require_safe
@login_required
def province(request: HttpRequest) -> HttpResponse:
    """The roll-up of a province (or the country) for Bappeda: each region under it with its
    required, planned and achieved persons and status from the stored snapshots, their sum,
    and the regions off track. A kota or kabupaten chosen goes to its own dashboard."""
    if not roles.is_reviewer(request.user):
        raise PermissionDenied
    region = picker.chosen_region(request)
    if region.kind not in ROLL_UP_KINDS:
        return _same_query(request, "dashboards:dashboard")
    data = roll_up(region=region, year=_number(request, "tahun"))
    return render(
        request,
        "dashboards/province.html",
        {
            "data": data,
            "region_picker": picker.offer(request, region, keep=("tahun",)),
            "wilayah": region.code,
        },
    )


def _sort_columns(*, deduplicated: bool) -> list[tuple[str, str]]:
    """The OPD table's columns; with beneficiary lists, each gross figure (planned,
    achieved) is followed by its deduplicated counterpart."""
    columns = [("opd", _("OPD")), ("status", _("Plan status")), ("planned", _("Planned"))]
    if deduplicated:
        columns.append(("planned_deduplicated", _("Planned, deduplicated")))
    columns.append(("achieved", _("Achieved")))
    if deduplicated:
        columns.append(("achieved_deduplicated", _("Achieved, deduplicated")))
    return [
        *columns,
        ("share", _("Share of required")),
        ("aligned_budget", _("Aligned budget")),
        ("alignment", _("Alignment")),
        ("cost_per_person", _("Cost per person")),
    ]


@require_safe
@login_required
def opd_dashboard(request: HttpRequest) -> HttpResponse:
    """An OPD's own contribution and rank: members see their OPD, reviewers any of the regions
    they read (``?opd=``), one region at a time (``?wilayah=``, the picker offering the regions
    of the OPDs the user sees; an OPD chosen shows its own region).

    Whoever sees more than one OPD picks it from a list; a reviewer who has not picked one
    yet gets the list alone, not some OPD's figures.
    """
    visible = list(Opd.objects.visible_to(request.user).select_related("region").order_by("code"))
    is_reviewer = roles.is_reviewer(request.user)
    regions = sorted({o.region_id: o.region for o in visible}.values(), key=lambda r: r.code)
    opd_id = _number(request, "opd")
    opd: Opd | None = None
    if opd_id is not None:
        opd = next((o for o in visible if o.pk == opd_id), None)
        if opd is None:
            raise Http404(_("No such OPD."))
        if _param(request, picker.PARAM) not in ("", opd.region.code):
            raise Http404(_("No such OPD."))
        region = opd.region
    elif not visible:
        raise PermissionDenied
    else:
        region = picker.choose(request, regions)
    in_region = [o for o in visible if o.region_id == region.pk]
    if opd is None and (not is_reviewer or len(in_region) == 1):
        opd = in_region[0]  # nothing to choose from
    indicator = _indicator(request, region)
    year = selectors.choose_year(indicator, _number(request, "tahun"))
    context = {
        "years": selectors.plan_years(indicator),
        "is_reviewer": is_reviewer,
        "opds": in_region if len(in_region) > 1 else [],
        "region_picker": picker.offer(request, region, regions, keep=("indikator", "tahun")),
        "wilayah": region.code,
    }
    if opd is None:  # a reviewer who has not chosen yet
        return render(
            request,
            "dashboards/opd_pick.html",
            {**context, "indicator": indicator, "year": year},
        )
    view = selectors.opd_view(opd=opd, indicator=indicator, year=year)
    return render(request, "dashboards/opd.html", {**context, "view": view})


@require_safe
def public(request: HttpRequest) -> HttpResponse:
    """The transparency page: trajectory, targets, the city's totals and status. No login.
    Any region with a plan may be chosen (``?wilayah=``), the deployment's by default."""
    regions = picker.public_regions()
    region = picker.choose(request, regions)
    indicator = _indicator(request, region)
    year = selectors.choose_year(indicator, _number(request, "tahun"))
    page = selectors.public_page(indicator=indicator, year=year)
    return render(
        request,
        "dashboards/public.html",
        {
            "page": page,
            "years": selectors.plan_years(indicator),
            # Approved plans' projections only: see PublicPage.
            "trajectory": _trajectory(
                page.overview, year, page.projected_planned, page.projected_achieved
            ),
            # The region's poverty record, all its years: one query.
            "poverty_region": indicator.plan.region,
            "poverty_record": region_record(indicator.plan.region_id),
            "region_picker": picker.offer(request, region, regions, keep=("indikator", "tahun")),
            "wilayah": region.code,
        },
    )


def _export_scope(request: HttpRequest, opd_id: int | None) -> tuple[Region, Opd | None]:
    """The region and OPD of an export: one OPD the user sees (its region), or for Bappeda
    every OPD of the region chosen (``?wilayah=``, one the user reads)."""
    if opd_id is None:
        if not roles.is_reviewer(request.user):
            raise PermissionDenied
        return picker.chosen_region(request), None
    opd = get_object_or_404(
        Opd.objects.visible_to(request.user).select_related("region"), pk=opd_id
    )
    return opd.region, opd


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """``content`` as a download; the name keeps only letters, digits, dots and dashes, since
    it holds a code a person typed and a quote or a line break would break the header."""
    response = HttpResponse(content, content_type=content_type)
    safe = re.sub(r"[^0-9A-Za-z.]+", "-", filename).strip("-")
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


def _choice(request: HttpRequest, name: str, allowed: tuple[str, ...]) -> str:
    """The query parameter ``name``, one of ``allowed`` ("" when absent), else a 400."""
    value = _param(request, name)
    if value and value not in allowed:
        raise BadRequest(
            _("The address parameter “%(name)s” must be one of: %(allowed)s.")
            % {"name": name, "allowed": ", ".join(allowed)}
        )
    return value


def _export_plans(
    request: HttpRequest, year: int, opd_id: int | None, *, with_results: bool
) -> tuple[Region, Opd | None, list[WorkPlan], str, bool]:
    """The plans of an official table, with the note standing in for none.

    One OPD's file holds its plan whatever its state (its title says when it is not
    approved); the all-OPD file only the approved plans, unless ``?draf=1`` asks for every
    plan. A year without any plan is a 404; an all-OPD file without an approved plan says so.
    """
    region, opd = _export_scope(request, opd_id)
    drafts = _choice(request, "draf", ("0", "1")) == "1"
    plans = list(
        exports.plans_for_export(
            year=year,
            region_id=region.pk,
            opd_id=opd.pk if opd else None,
            approved_only=opd is None and not drafts,
            with_results=with_results,
        )
    )
    note = ""
    if not plans:
        if (
            opd is not None
            or not WorkPlan.objects.filter(year=year, opd__region_id=region.pk).exists()
        ):
            raise Http404(_("No work plan for this year."))
        note = exports.NONE_APPROVED.format(year=year)
    return region, opd, plans, note, drafts


def _suffix(opd: Opd | None, drafts: bool) -> str:
    if opd is not None:
        return opd.code
    return "semua-opd-draf" if drafts else "semua-opd"


@require_safe
@login_required
def renja_export(request: HttpRequest, year: int, opd_id: int | None = None) -> HttpResponse:
    """The Renja table T-C.33 for one OPD or (reviewers) every OPD of the region."""
    region, opd, plans, note, drafts = _export_plans(request, year, opd_id, with_results=False)
    book, _totals = renja.renja_workbook(plans, year=year, region_name=region.name, empty_note=note)
    return _download(
        exports.to_bytes(book), exports.XLSX, f"renja-t-c33-{year}-{_suffix(opd, drafts)}.xlsx"
    )


@require_safe
@login_required
def evaluation_export(request: HttpRequest, year: int, opd_id: int | None = None) -> HttpResponse:
    """The quarterly evaluation table for one OPD or (reviewers) every OPD."""
    region, opd, plans, note, drafts = _export_plans(request, year, opd_id, with_results=True)
    book = evaluation.evaluation_workbook(
        plans, year=year, region_name=region.name, empty_note=note
    )
    return _download(
        exports.to_bytes(book), exports.XLSX, f"evaluasi-renja-{year}-{_suffix(opd, drafts)}.xlsx"
    )


@require_safe
@login_required
def contribution_export(request: HttpRequest, year: int) -> HttpResponse:
    """The OPD contribution table of the year's current snapshot as CSV (reviewers): for
    Excel in Indonesian (";", decimal comma) by default, ``?format=plain`` for programs.

    Before the year's first computation there is no table to give: a 503 with Retry-After
    and a page saying the figures are being computed (their recomputation is enqueued), not
    a file with the headers alone that a program would read as "no OPD contributes".
    """
    if not roles.is_reviewer(request.user):
        raise PermissionDenied
    indicator = _indicator(request, picker.chosen_region(request))
    if year not in selectors.plan_years(indicator):
        # Only the plan's years have figures; no other is ever computed.
        raise Http404(_("The plan has no figures for this year."))
    plain = _choice(request, "format", ("plain",)) == "plain"
    state = selectors.year_state(indicator=indicator, year=year)
    if state.snapshot is None:
        response = render(
            request,
            "dashboards/being_computed.html",
            {"indicator": indicator, "year": year, "wilayah": indicator.plan.region.code},
            status=503,
        )
        response["Retry-After"] = str(BEING_COMPUTED_RETRY_AFTER)
        return response
    rows = selectors.sort_rows(selectors.snapshot_rows(state.snapshot), "planned", True)
    return _download(
        csv_export.contribution_csv(rows, plain=plain),
        "text/csv; charset=utf-8",
        f"kontribusi-{indicator.code.lower()}-{year}.csv",
    )
