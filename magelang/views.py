"""Project-wide error pages."""

from __future__ import annotations

from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page, saying what was wrong where that is safe to tell; JSON under ``/api/``.

    Only a ``BadRequest`` carries a message written for the visitor: other
    ``SuspiciousOperation`` messages are for the log.
    """
    if isinstance(exception, RequestDataTooBig):
        message = " ".join(
            (
                _("The form sent more data than the portal accepts."),
                _("Shorten the longest texts and send it again."),
            )
        )
    elif isinstance(exception, BadRequest) and str(exception):
        message = str(exception)
    else:
        message = _("The request could not be understood.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)
