"""JSON error bodies for the API: the services' exceptions become 4xx answers, never 500s."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from magelang.views import too_large_message
from opd.errors import ChecklistFailed, StaleEdit, WorkflowError


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = gettext_lazy("Send the ETag of the record you saw in an If-Match header.")
    default_code = "precondition_required"


class RequestTooLarge(exceptions.APIException):
    # A 400, as handler400 answers when a middleware meets the limit first (the rule).
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("The request body is larger than the server accepts.")
    default_code = "request_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request does not fit the record's state.")
    default_code = "conflict"


def not_found(view: Any) -> exceptions.NotFound:
    """A 404 naming what was not found, in the caller's language (Django's own message)."""
    model = view.get_queryset().model if hasattr(view, "get_queryset") else None
    if model is None:
        return exceptions.NotFound()
    return exceptions.NotFound(
        _("No %(verbose_name)s found matching the query")
        % {"verbose_name": model._meta.verbose_name}
    )


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, after translating the services' and the database's refusals."""
    if isinstance(exc, StaleEdit):
        response = Response(
            {
                "detail": str(exc),
                "code": "precondition_failed",
                "current_version": exc.current_version,
            },
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
        response["ETag"] = f'"{exc.current_version}"'
        return response
    if isinstance(exc, ChecklistFailed):
        return Response(
            {
                "detail": str(exc),
                "code": "checklist_failed",
                "problems": [
                    {
                        "code": problem.code,
                        "message": problem.message,
                        "activity": problem.activity_id,
                    }
                    for problem in exc.problems
                ],
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, WorkflowError):
        exc = Conflict(str(exc))
    elif isinstance(exc, IntegrityError):
        exc = Conflict(_("The change conflicts with data already stored."))
    elif isinstance(exc, RequestDataTooBig):
        # Django's handler400 would answer this; the same JSON 400 as it gives under /api/.
        exc = RequestTooLarge(too_large_message())
    elif isinstance(exc, Http404):
        # Django's "No Activity matches the given query." is English whatever the language.
        exc = not_found(context.get("view"))
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.messages)
    return exception_handler(exc, context)
