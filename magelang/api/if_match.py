"""``If-Match`` on writes: a write names the version it saw; 428 without one, 412 unless it is
the current one. Apart from ``etags.py`` because it raises the opd services' refusal, and the
public ``targets`` resources, which read ``etags.py``, import nothing of ``opd``.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from magelang.api.errors import PreconditionRequired
from magelang.api.etags import etag_for
from opd.errors import StaleEdit


def seen_version(request: Request, obj: Any) -> int:
    """The version named by ``If-Match``: 428 without one, 412 unless it is the current one.

    The service claims that version again with a conditional UPDATE, so a request that
    passes here but loses a race is still refused (412).
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    for tag in header.split(","):
        value = tag.strip().removeprefix("W/").strip('"')
        if value.isascii() and value.isdigit() and int(value) == obj.version:
            return int(obj.version)
    raise StaleEdit(current_version=obj.version, changes=[])


def with_etag(response: Response, obj: Any) -> Response:
    response["ETag"] = etag_for(obj, response.data)
    return response
