"""The address's query parameters, read the one way every page reads them.

A parameter the page cannot use is a 400 saying which one and why (``templates/400.html``,
or the messages region for htmx), never a silent fallback to another value.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils.translation import gettext as _


def query_param(request: HttpRequest, name: str) -> str:
    """The query parameter ``name`` ("" when absent); a 400 when it holds a NUL.

    PostgreSQL refuses a NUL in any string, so one must never reach a query.
    """
    value = request.GET.get(name, "")
    if "\x00" in value:
        raise BadRequest(_("The address holds a character that is not allowed."))
    return value


def query_number(request: HttpRequest, name: str) -> int | None:
    """The query parameter ``name`` as a whole number (None when absent or empty).

    Anything but up to nine ASCII digits is a 400: no sign, no other digits that
    ``int()`` would accept, nothing too large for the database's integer columns.
    """
    value = query_param(request, name)
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise BadRequest(
            _("The address parameter “%(name)s” must be a whole number.") % {"name": name}
        )
    return int(value)
