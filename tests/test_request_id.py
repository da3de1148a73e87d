"""Every log line carries the id of the request that wrote it; the response echoes the id.

A proxy's well-formed X-Request-ID is kept, anything else replaced by a fresh uuid4 hex. The JSON
format is checked as production writes it: LOG_FORMAT=json in a fresh interpreter, stderr parsed.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from magelang import request_id
from magelang.logs import PortalJsonFormatter

ROOT = Path(__file__).resolve().parent.parent
UUID_HEX = re.compile(r"[0-9a-f]{32}")

# Two requests in a fresh interpreter (a 404 makes Django log a warning), then a line outside any.
SCRIPT = """
import json, logging, django
django.setup()
from django.test import Client
given = Client(headers={"X-Request-ID": "proxy-4f2a.77"}).get("/tidak-ada/")
made = Client().get("/tidak-ada/")
logging.getLogger("magelang.probe").warning("between requests")
print(json.dumps({"echo": [given["X-Request-ID"], made["X-Request-ID"]]}), flush=True)
"""


def run_logged(env: dict[str, str]) -> tuple[list[dict[str, Any]], list[str]]:
    clean = {k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "DJANGO_ENV", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "magelang.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]  # every line is JSON
    return lines, json.loads(result.stdout)["echo"]


def test_json_lines_carry_the_id_of_the_request_that_logged_them():
    lines, (given, made) = run_logged({"LOG_FORMAT": "json"})
    assert given == "proxy-4f2a.77"
    assert UUID_HEX.fullmatch(made)
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert [(line["level"], line["request_id"]) for line in not_found] == [
        ("WARNING", given),
        ("WARNING", made),
    ]
    assert not_found[0]["message"] == "Not Found: /tidak-ada/"
    assert {"time", "level", "logger", "message", "request_id"} <= set(not_found[0])
    between = [line for line in lines if line["logger"] == "magelang.probe"]
    assert between == [
        {
            "level": "WARNING",
            "logger": "magelang.probe",
            "message": "between requests",
            "request_id": None,
            "time": between[0]["time"],
        }
    ]


def test_text_lines_carry_the_request_id_too():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "magelang.settings", "LOG_FORMAT": "text"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(
        r" WARNING django\.request \[proxy-4f2a\.77\] Not Found: /tidak-ada/$", result.stderr, re.M
    )
    assert re.search(r" WARNING magelang\.probe \[-\] between requests$", result.stderr, re.M)


def test_a_well_formed_request_id_is_echoed():
    for given in ("7f0c1d9e-5b1a-4c7e-9a55-0d3e2b1c4f60", "a" * 64, "nginx.req:01"):
        response = Client(headers={"X-Request-ID": given}).get("/tidak-ada/")
        assert response["X-Request-ID"] == given


@pytest.mark.parametrize(
    "given",
    ["a" * 65, "abc\x07def", "abc def", "abc\tdef", 'x"y', "<script>", "", "ĉiu"],
    ids=["too-long", "bell", "space", "tab", "quote", "markup", "empty", "non-ascii"],
)
def test_a_malformed_request_id_is_replaced(given: str):
    response = Client().get("/tidak-ada/", HTTP_X_REQUEST_ID=given)
    assert UUID_HEX.fullmatch(response["X-Request-ID"])


def test_each_request_without_an_id_gets_its_own():
    client = Client()
    first, second = (client.get("/tidak-ada/")["X-Request-ID"] for _ in range(2))
    assert UUID_HEX.fullmatch(first) and UUID_HEX.fullmatch(second) and first != second


def gunicorn_access_record(atoms: dict[str, Any]) -> logging.LogRecord:
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, "glogging.py", 1, "%(r)s", None, None
    )
    record.args = atoms  # as gunicorn passes them (a LogRecord would unpack a 1-tuple of a dict)
    return record


def test_gunicorns_access_line_carries_the_echoed_id_and_its_fields():
    record = gunicorn_access_record(
        {
            "h": "10.0.0.5",
            "m": "GET",
            "U": "/renja/",
            "q": "tahun=2018",
            "s": "200",
            "B": 5120,
            "M": 42,
            "a": 'Mozilla \\"Quoted\\"',
            "r": "GET /renja/?tahun=2018 HTTP/1.1",
            "{x-request-id}o": "proxy-4f2a.77",
        }
    )
    assert request_id.RequestIdFilter().filter(record)
    line = json.loads(
        PortalJsonFormatter(["levelname", "name", "message", "request_id"]).format(record)
    )
    assert line["request_id"] == "proxy-4f2a.77"
    assert line["message"] == "GET /renja/?tahun=2018 HTTP/1.1"
    assert (line["method"], line["path"], line["query"], line["status"]) == (
        "GET",
        "/renja/",
        "tahun=2018",
        200,
    )
    assert (line["bytes"], line["duration_ms"], line["remote_addr"]) == (5120, 42, "10.0.0.5")
    assert line["user_agent"] == 'Mozilla "Quoted"'


def test_a_task_logs_with_the_id_of_the_request_that_enqueued_it():
    token = request_id._current.set("req-web-1")
    try:
        headers: dict[str, Any] = {}
        request_id.add_to_task_headers(headers=headers)
        assert headers == {"request_id": "req-web-1"}
    finally:
        request_id._current.reset(token)

    def in_a_worker() -> None:  # no id until the task starts, the enqueuer's during it, none after
        task = SimpleNamespace(request={"request_id": "req-web-1"})
        assert request_id.current_request_id() is None
        request_id.enter_task(task_id="t1", task=task)
        assert request_id.current_request_id() == "req-web-1"
        request_id.leave_task(task_id="t1")
        assert request_id.current_request_id() is None

    contextvars.Context().run(in_a_worker)


def test_a_task_run_eagerly_inside_a_request_keeps_the_requests_id():
    token = request_id._current.set("req-web-2")
    try:
        request_id.enter_task(task_id="t2", task=SimpleNamespace(request={}))
        assert request_id.current_request_id() == "req-web-2"
        request_id.leave_task(task_id="t2")
        assert request_id.current_request_id() == "req-web-2"
    finally:
        request_id._current.reset(token)


def test_a_task_from_beat_gets_an_id_of_its_own():
    def in_a_worker() -> None:
        request_id.enter_task(task_id="t3", task=SimpleNamespace(request={}))
        assert UUID_HEX.fullmatch(request_id.current_request_id() or "")
        request_id.leave_task(task_id="t3")
        assert request_id.current_request_id() is None

    contextvars.Context().run(in_a_worker)
