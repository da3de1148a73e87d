"""The bulk import pages: upload and check a file, its preview, the confirmation and the
progress, and the blank templates.

Only the Bappeda of a kota or kabupaten (for the region it reviews) and kelurahan or kecamatan
staff (for their area) import; others, a province's Bappeda among them, get a 403. The upload
page and the XLSX template are of one region (``?wilayah=``, one of
``imports.import_regions``, by default the user's own). A bad file stores nothing:
its page lists every bad row with its reasons. A clean file is staged and the person is sent
to its page, which shows a summary and a confirm button; once confirmed, the same page shows
the progress (polled by HTMX every second, or refreshed by the browser without JavaScript)
and, when done, how many were imported. Only the uploader, or Bappeda, sees an import: for
anyone else it does not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opd.agencies import picker
from opd.aspirations import import_jobs, imports
from opd.aspirations.import_models import AspirationImport, ImportState
from opd.aspirations.import_rows import COLUMNS, MAX_FILE_BYTES, MAX_ROWS, ImportFileError
from opd.aspirations.import_template import template_csv, template_xlsx
from opd.aspirations.models import Aspiration, AspirationEvent, AspirationForum
from opd.errors import WorkflowError
from targets.models import Kelurahan, Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The imported aspirations listed on a finished import's page.
LISTED = 100
FORUMS = dict(AspirationForum.choices)


def _require_importer(request: HttpRequest) -> None:
    if not imports.may_import(request.user):
        raise PermissionDenied(
            _("Only Bappeda and kelurahan or kecamatan staff can import aspirations.")
        )


def _region(request: HttpRequest) -> Region:
    """The region the file is of (``?wilayah=``, one the user imports for; else a 404)."""
    return picker.choose(request, imports.import_regions(request.user))


def _upload_context(request: HttpRequest, region: Region, **extra: Any) -> dict[str, Any]:
    return {
        "region": region,
        "region_picker": picker.offer(
            request, region, imports.import_regions(request.user), keep=()
        ),
        "columns": COLUMNS,
        "max_mb": MAX_FILE_BYTES // (1024 * 1024),
        "max_rows": MAX_ROWS,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponseBase:
    """GET: the upload form. POST: check the file; bad → its bad rows (400, nothing stored);
    clean → staged, and on to its page."""
    _require_importer(request)
    region = _region(request)
    if request.method == "GET":
        return render(request, "aspirations/import/upload.html", _upload_context(request, region))
    upload = request.FILES.get("file")
    if upload is None:
        return _refuse(request, region, _("Choose the XLSX or CSV file to import."))
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        return _refuse(
            request,
            region,
            _("The file is larger than %(size)s MB: split it into smaller files.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)},
        )
    name = upload.name or ""
    try:
        checked = imports.check_file(
            user=request.user, name=name, data=upload.read(), region=region
        )
    except ImportFileError as error:
        return _refuse(request, region, str(error))
    if checked.bad:
        context = _upload_context(
            request,
            region,
            bad=checked.bad,
            file_name=name,
            row_count=len(checked.clean) + len(checked.bad),
        )
        return render(request, "aspirations/import/upload.html", context, status=400)
    try:
        batch = imports.stage(user=request.user, name=name, checked=checked)
    except WorkflowError as error:
        return _refuse(request, region, str(error))
    return redirect("aspirations:import_batch", pk=batch.pk)


def _refuse(request: HttpRequest, region: Region, message: str) -> HttpResponse:
    context = _upload_context(request, region, file_error=message)
    return render(request, "aspirations/import/upload.html", context, status=400)


def _visible(request: HttpRequest, pk: int) -> AspirationImport:
    batch = import_jobs.visible_import(request.user, pk)
    if batch is None:
        raise Http404(_("No such import."))
    return batch


@login_required
@require_GET
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """A staged import: its summary and the confirm button, then its progress, then the
    result. The progress part alone for HTMX's polling."""
    batch = _visible(request, pk)
    done = import_jobs.progress(batch)
    startable = import_jobs.startable(batch)
    context: dict[str, Any] = {
        "batch": batch,
        "done": done,
        "working": batch.state in (ImportState.QUEUED, ImportState.RUNNING) and not startable,
        "stuck": batch.state == ImportState.RUNNING and startable,
        "startable": startable,
        "preview": batch.rows[:20] if startable else [],
        "forums": [(FORUMS.get(value, value), count) for value, count in batch.summary["forum"]],
    }
    if batch.state == ImportState.DONE:
        context["imported"] = list(
            Aspiration.objects.filter(
                region_id=batch.region_id,
                events__kind=AspirationEvent.Kind.INTAKE,
                events__note=batch.note,
            )
            .only("pk", "reference", "title", "year")
            .order_by("pk")[:LISTED]
        )
        context["years"] = sorted({row.year for row in context["imported"]})
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "aspirations/import/partials/_progress.html", context)
    return render(request, "aspirations/import/batch.html", context)


@login_required
@require_POST
def import_run(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Confirm a staged import: it starts once, whatever the number of confirmations."""
    batch = _visible(request, pk)
    try:
        started = import_jobs.start(batch=batch, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("aspirations:import_batch", pk=batch.pk)
    if not started:
        messages.info(request, _("This import was already started: it runs once."))
    return redirect("aspirations:import_batch", pk=batch.pk)


@login_required
@require_GET
def import_template_xlsx(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    places = Kelurahan.objects.filter(kecamatan__region=_region(request)).values_list(
        "kecamatan__name", "name"
    )
    response = HttpResponse(
        template_xlsx(places.order_by("kecamatan__name", "name")), content_type=XLSX
    )
    response["Content-Disposition"] = 'attachment; filename="templat-impor-usulan.xlsx"'
    return response


@login_required
@require_GET
def import_template_csv(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-impor-usulan.csv"'
    return response
