"""A Renstra's import pages: the file to fill in, the upload and its check, the preview of what
importing it changes, and the confirmation.

Who: the Renstra's own OPD members, while it is a draft or returned (``services.can_edit``);
on a submitted or approved one they are sent back to the Renstra with the reason. Someone who
sees the Renstra but is not its OPD's member (Bappeda; anyone, once it is approved) gets a 403;
a Renstra they cannot see is a 404. The template files are for everyone who sees the Renstra.

A bad file stores nothing: the upload page lists every bad row with its reasons (400). A clean
file is kept in the session (``import_run``) and the person is sent to its preview; confirming
imports it all or nothing, and refuses a Renstra changed since the preview.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from opd.agencies import roles
from opd.errors import StaleEdit, WorkflowError
from opd.models import Renstra
from opd.renstra import import_run, selectors, services
from opd.renstra.import_check import check_rows, load_existing
from opd.renstra.import_rows import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    columns_for,
    read_file,
)
from opd.renstra.import_template import template_csv, template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_stem(renstra: Renstra) -> str:
    """The download's name: the OPD's code as a slug (no quote reaches the header)."""
    return f"renstra-{slugify(renstra.opd.code)}-{renstra.plan.first_year}"


def _renstra(request: HttpRequest, pk: int) -> Renstra:
    """The Renstra as the Renstra pages see it (one rule: ``selectors.renstras_visible_to``)."""
    return get_object_or_404(
        selectors.renstras_visible_to(request.user).select_related("opd", "plan"), pk=pk
    )


def detail_url(renstra: Renstra) -> str:
    """The Renstra's page; the home page while the Renstra pages are not wired."""
    try:
        return reverse("renstra:detail", kwargs={"pk": renstra.pk})
    except NoReverseMatch:
        return reverse("home")


def _not_editable(request: HttpRequest, renstra: Renstra) -> HttpResponseBase | None:
    """403 for a non-member; back to the Renstra with the reason when its state forbids
    changes; None when the user may import into it."""
    if not roles.is_member(request.user, renstra.opd_id):
        raise PermissionDenied(_("Only members of this OPD can change its Renstra."))
    if services.can_edit(request.user, renstra):
        return None
    messages.error(
        request,
        _("The Renstra is %(status)s and cannot be changed.")
        % {"status": renstra.get_status_display().lower()},
    )
    return redirect(detail_url(renstra))


def _upload_page(
    request: HttpRequest, renstra: Renstra, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "renstra": renstra,
        "detail_url": detail_url(renstra),
        "columns": columns_for(list(renstra.plan.years())),
        "max_mb": MAX_FILE_BYTES // (1024 * 1024),
        "max_rows": MAX_ROWS,
        **extra,
    }
    return render(request, "renstra/import/upload.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponseBase:
    """GET: the upload form. POST: check the file; bad → every bad row (400, nothing kept);
    clean → kept in the session, and on to its preview."""
    renstra = _renstra(request, pk)
    refused = _not_editable(request, renstra)
    if refused is not None:
        return refused
    if request.method == "GET":
        return _upload_page(request, renstra)
    upload = request.FILES.get("file")
    if upload is None:
        return _upload_page(
            request, renstra, 400, file_error=_("Choose the XLSX or CSV file to import.")
        )
    # magelang.uploads delivers a file past the memory limit empty, with its real size.
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        return _upload_page(
            request,
            renstra,
            400,
            file_error=_("The file is larger than %(size)s MB: split it into smaller files.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)},
        )
    name = upload.name or ""
    try:
        rows = read_file(name, upload.read(), list(renstra.plan.years()))
    except ImportFileError as error:
        return _upload_page(request, renstra, 400, file_error=str(error))
    lines, bad = check_rows(rows, load_existing(renstra))
    if bad:
        return _upload_page(request, renstra, 400, bad=bad, file_name=name, row_count=len(rows))
    import_run.stage(request.session, renstra=renstra, file_name=name, lines=lines)
    return redirect("renstra:import_preview", pk=renstra.pk)


@login_required
@require_safe
def import_preview(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The checked file: what importing it creates, updates and leaves, and the confirm button
    (none when it changes nothing, or when the Renstra changed since the check)."""
    renstra = _renstra(request, pk)
    refused = _not_editable(request, renstra)
    if refused is not None:
        return refused
    staged = import_run.staged_for(request.session, renstra.pk)
    if staged is None:
        messages.info(request, _("No checked file is waiting: upload one first."))
        return redirect("renstra:import_upload", pk=renstra.pk)
    context = {
        "renstra": renstra,
        "detail_url": detail_url(renstra),
        "staged": staged,
        "counts": staged.counts(),
        "changing": staged.changing(),
        "stale": staged.version != renstra.version,
    }
    return render(request, "renstra/import/preview.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Import the checked file, all or nothing; back to the Renstra with what was done."""
    renstra = _renstra(request, pk)
    refused = _not_editable(request, renstra)
    if refused is not None:
        return refused
    staged = import_run.staged_for(request.session, renstra.pk)
    if staged is None or request.POST.get("token") != staged.token:
        messages.error(
            request,
            _(
                "This preview is no longer the file waiting for confirmation (it was imported, "
                "or another file was uploaded since): nothing was imported."
            ),
        )
        return redirect("renstra:import_upload", pk=renstra.pk)
    try:
        counts = import_run.run_import(renstra_id=renstra.pk, by=request.user, staged=staged)
    except (WorkflowError, PermissionDenied) as error:
        import_run.discard(request.session, renstra.pk)
        messages.error(request, str(error))
        return redirect("renstra:import_upload", pk=renstra.pk)
    except StaleEdit:
        import_run.discard(request.session, renstra.pk)
        messages.error(
            request,
            _(
                "A line was changed after this file was checked: nothing was imported. "
                "Upload the file again."
            ),
        )
        return redirect("renstra:import_upload", pk=renstra.pk)
    except (IntegrityError, DataError):
        messages.error(request, _("The database refused a line of the file: nothing was imported."))
        return redirect("renstra:import_preview", pk=renstra.pk)
    import_run.discard(request.session, renstra.pk)
    created = counts["program_create"] + counts["activity_create"]
    updated = counts["program_update"] + counts["activity_update"]
    same = counts["program_same"] + counts["activity_same"]
    if created or updated:
        messages.success(
            request,
            _(
                "%(file)s imported. Lines added: %(created)s; updated: %(updated)s; "
                "already as in the file: %(same)s."
            )
            % {"file": staged.file_name, "created": created, "updated": updated, "same": same},
        )
    else:
        messages.info(
            request,
            _("%(file)s changes nothing: the Renstra already holds every line as in the file.")
            % {"file": staged.file_name},
        )
    return redirect(detail_url(renstra))


@login_required
@require_safe
def import_template_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The workbook holding the Renstra's lines: for everyone who sees the Renstra."""
    renstra = _renstra(request, pk)
    response = HttpResponse(template_xlsx(renstra), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(renstra)}.xlsx"'
    return response


@login_required
@require_safe
def import_template_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The header row of the Renstra's layout: for everyone who sees the Renstra."""
    renstra = _renstra(request, pk)
    response = HttpResponse(template_csv(renstra), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(renstra)}.csv"'
    return response
