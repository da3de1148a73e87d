"""A request id on every log line: taken from the proxy's X-Request-ID or made here.

The id lives in a context variable for the length of a request (or of a Celery task), so any
logger picks it up through ``RequestIdFilter``; the response echoes it in ``X-Request-ID`` so a
user's report, the proxy's log, gunicorn's access line and the application's lines can be joined.
A task enqueued by a request carries the request's id to the worker in its message headers.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# What a proxy may hand over: a UUID, nginx's $request_id, an id of its own; never control
# characters, spaces or quotes, and never longer than a log line should carry.
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request or task being handled in this context, or None outside one."""
    return _current.get()


def accepted_or_new(given: str | None) -> str:
    """``given`` when it is well-formed, else a fresh uuid4 hex."""
    if given and WELL_FORMED.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every line logged while handling the request carries its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted_or_new(request.headers.get(HEADER))
        # Not reset on the way out: Django logs a 4xx or 5xx after the middleware has returned,
        # and gunicorn its access line after that; request_finished clears it.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def clear_after_request(**_kwargs: Any) -> None:
    """``request_finished`` (the response closed): lines logged after it belong to no request."""
    _current.set(None)


request_finished.connect(clear_after_request, dispatch_uid="magelang.request_id")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record: the current one, else the one in gunicorn's access
    record (read from the response header, since gunicorn logs after the request has left)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _current.get()
        if (
            request_id is None
            and record.name == "gunicorn.access"
            and isinstance(record.args, dict)
        ):
            echoed = record.args.get("{x-request-id}o")
            request_id = echoed if isinstance(echoed, str) and echoed != "-" else None
        if request_id is not None:  # else absent: null in JSON, the text format's default
            record.request_id = request_id
        return True


_task_tokens: dict[str, Token[str | None]] = {}


def add_to_task_headers(headers: dict[str, Any], **_kwargs: Any) -> None:
    """Celery ``before_task_publish``: the task inherits the id of whoever enqueued it."""
    request_id = _current.get()
    if request_id is not None:
        headers[TASK_HEADER] = request_id


def enter_task(task_id: str, task: Any, **_kwargs: Any) -> None:
    """Celery ``task_prerun``: the enqueuer's id, else (a run on the request's own thread, in
    eager mode) the id already current, else (beat, a command) a fresh one."""
    given = task.request.get(TASK_HEADER)
    request_id = accepted_or_new(given if isinstance(given, str) else _current.get())
    _task_tokens[task_id] = _current.set(request_id)


def leave_task(task_id: str, **_kwargs: Any) -> None:
    """Celery ``task_postrun``: back to the id before the task (None in a worker)."""
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _current.reset(token)
