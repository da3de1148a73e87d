"""Editing a Renstra in the browser: a program or an activity with its year grid, and deleting
one. Plain pages (they work without JavaScript), shaped as the Renja's editors.

A stale save is never a 500 nor an overwrite: the form comes back (409) with what the other
person changed, their changes merged with the ones posted, and a choice wherever both changed
the same field; saving again applies it. A line deleted meanwhile is a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opd.errors import StaleEdit, WorkflowError, record_gone
from opd.models import Renstra, RenstraActivity, RenstraAuditEntry, RenstraProgram
from opd.renstra import selectors, services
from opd.renstra.forms import RenstraActivityForm, RenstraProgramForm
from opd.renstra.history import entries_with_changes
from opd.renstra.views import int_or_zero, not_editable, refused, renstra_of, renstra_url


def _gone(request: HttpRequest, renstra: Renstra) -> HttpResponseBase:
    """A line deleted meanwhile (or never this Renstra's): back to the Renstra, saying so."""
    messages.error(request, str(record_gone()))
    return redirect(renstra_url(renstra))


def _form_page(
    request: HttpRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    return render(request, f"renstra/{template}.html", context, status=status)


def _stale_context(stale: StaleEdit) -> dict[str, object]:
    """What the conflict notice lists: the entries written since the form was opened."""
    entries = cast(list[RenstraAuditEntry], stale.changes)  # a Renstra service's trail
    return {"stale": stale, "stale_entries": entries_with_changes(entries)}


def _save_page(
    request: HttpRequest,
    renstra: Renstra,
    kind: str,
    form: RenstraProgramForm | RenstraActivityForm,
    context: dict[str, object],
    line: RenstraProgram | RenstraActivity | None,
    save: Callable[[int | None], RenstraProgram | RenstraActivity],
    saved_text: Callable[[RenstraProgram | RenstraActivity], str],
) -> HttpResponseBase:
    """The ``kind`` ("program" or "activity") form page, shared by both editors.

    GET: the form (200). A valid POST calls ``save`` with the version the form saw (None for a
    new line) and returns to the saved line on the Renstra page, saying ``saved_text``; a stale
    save is the form again with the other person's changes merged (409); a line deleted
    meanwhile is a message on the Renstra page; a refused save keeps the input (422), as does an
    invalid form.
    """
    template = f"{kind}_form"
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data["seen_version"] if line else None)
        except StaleEdit as stale:
            current = type(line).objects.filter(pk=line.pk).first() if line else None
            if current is None:
                return refused(request, renstra, record_gone())
            form.rebase(current)  # type: ignore[arg-type]  # a versioned line, as the Renja's
            return _form_page(request, template, {**context, **_stale_context(stale)}, 409)
        except WorkflowError as error:
            form.add_error(None, str(error))  # a repeated code, say: the form keeps the input
            return _form_page(request, template, context, 422)
        messages.success(request, saved_text(saved))
        return redirect(renstra_url(renstra, f"{kind}-{saved.pk}"))
    status = 422 if request.method == "POST" else 200
    return _form_page(request, template, context, status)


@login_required
@require_http_methods(["GET", "POST"])
def program_form(request: HttpRequest, pk: int, program_pk: int | None = None) -> HttpResponseBase:
    renstra = renstra_of(request, pk)
    if refusal := not_editable(request, renstra):
        return refusal
    program = None
    if program_pk:
        program = RenstraProgram.objects.filter(pk=program_pk, renstra=renstra).first()
        if program is None:
            return _gone(request, renstra)
    form = RenstraProgramForm(
        request.POST or None,
        instance=program,
        renstra=renstra,
        indicators=selectors.plan_indicators(renstra),
    )
    context: dict[str, object] = {"renstra": renstra, "form": form, "program": program}
    return _save_page(
        request,
        renstra,
        "program",
        form,
        context,
        program,
        lambda seen: services.renstra_program_save(
            renstra_id=renstra.pk,
            by=request.user,
            values=form.values(),
            years=form.year_grid(),
            program_id=program.pk if program else None,
            seen_version=seen,
        ),
        lambda saved: _("Program %(program)s was saved.") % {"program": saved},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_form(
    request: HttpRequest, pk: int, activity_pk: int | None = None
) -> HttpResponseBase:
    renstra = renstra_of(request, pk)
    if refusal := not_editable(request, renstra):
        return refusal
    activity = None
    if activity_pk:
        activity = RenstraActivity.objects.filter(pk=activity_pk, program__renstra=renstra).first()
        if activity is None:
            return _gone(request, renstra)
    initial = {}
    if activity is None and request.GET.get("program"):
        initial["program"] = int_or_zero(request.GET.get("program"))
    form = RenstraActivityForm(
        request.POST or None, instance=activity, renstra=renstra, initial=initial
    )
    context: dict[str, object] = {"renstra": renstra, "form": form, "activity": activity}
    if not activity and not form.fields["program"].queryset.exists():  # type: ignore[attr-defined]
        return refused(request, renstra, WorkflowError(_("Add a program first.")))
    return _save_page(
        request,
        renstra,
        "activity",
        form,
        context,
        activity,
        lambda seen: services.renstra_activity_save(
            renstra_id=renstra.pk,
            by=request.user,
            values=form.values(),
            years=form.year_grid(),
            activity_id=activity.pk if activity else None,
            seen_version=seen,
        ),
        lambda saved: _("Activity %(activity)s was saved.") % {"activity": saved},
    )


def _delete(
    request: HttpRequest, renstra: Renstra, delete: Callable[[], None], done: str
) -> HttpResponseBase:
    if not request.POST.get("confirm"):  # the row's "I am sure" was not ticked
        return refused(request, renstra, WorkflowError(_("Tick “I am sure” to delete the line.")))
    try:
        delete()
    except StaleEdit:
        return refused(
            request,
            renstra,
            WorkflowError(_("The line changed since you opened the page; it was not deleted.")),
        )
    except WorkflowError as error:
        return refused(request, renstra, error)
    messages.success(request, done)
    return redirect(renstra_url(renstra))


@login_required
@require_POST
def program_delete(request: HttpRequest, pk: int, program_pk: int) -> HttpResponseBase:
    renstra = renstra_of(request, pk)
    if refusal := not_editable(request, renstra):
        return refusal
    return _delete(
        request,
        renstra,
        lambda: services.renstra_program_delete(
            renstra_id=renstra.pk,
            program_id=program_pk,  # one deleted meanwhile: the service says so
            by=request.user,
            seen_version=int_or_zero(request.POST.get("seen_version")),
        ),
        _("The program was deleted."),
    )


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponseBase:
    renstra = renstra_of(request, pk)
    if refusal := not_editable(request, renstra):
        return refusal
    return _delete(
        request,
        renstra,
        lambda: services.renstra_activity_delete(
            renstra_id=renstra.pk,
            activity_id=activity_pk,
            by=request.user,
            seen_version=int_or_zero(request.POST.get("seen_version")),
        ),
        _("The activity was deleted."),
    )
