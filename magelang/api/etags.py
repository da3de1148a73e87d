"""ETags on reads, for every resource of the API (the public ones of ``targets`` too).

A read carries an ETag (a record's version where it has one, else a digest of what was sent);
an unchanged one is a 304. The write side, ``If-Match``, is ``magelang.api.if_match``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models import Model
from django.http import HttpResponseBase, HttpResponseNotModified
from django.utils.http import parse_etags
from rest_framework.request import Request
from rest_framework.response import Response


def etag_for(obj: Model | None, data: Any) -> str:
    """A record's ETag: its version where it has one, else a digest of what was sent."""
    version = getattr(obj, "version", None)
    if version is not None:
        return f'"{version}"'
    body = json.dumps(data, sort_keys=True, default=str).encode()
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def not_modified(request: Request, response: HttpResponseBase) -> HttpResponseBase:
    """A 304 instead of a read the caller holds already: its ``If-None-Match`` names the ETag.

    Weak comparison (``W/"3"`` matches ``"3"``), as RFC 9110 asks for ``If-None-Match``.
    """
    header = request.headers.get("If-None-Match", "")
    etag = response.get("ETag")
    if not header or not etag or request.method not in ("GET", "HEAD"):
        return response
    if response.status_code != 200:
        return response
    seen = {tag.removeprefix("W/") for tag in parse_etags(header)}
    if "*" not in seen and etag.removeprefix("W/") not in seen:
        return response
    answer = HttpResponseNotModified()
    for name in ("ETag", "Vary", "Cache-Control", "Content-Language"):
        if name in response:
            answer[name] = response[name]
    return answer


class ETagRetrieveMixin:
    """Reads carry an ETag (a list: a digest of the page sent), and an unchanged one is a 304."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        data = self.get_serializer(instance).data  # type: ignore[attr-defined]
        response = Response(data)
        response["ETag"] = etag_for(instance, data)
        return response

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        response["ETag"] = etag_for(None, response.data)
        return response

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        return not_modified(request, response)
