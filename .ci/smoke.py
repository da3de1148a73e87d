"""The production process set, for real: `make serve` on PostgreSQL and a Redis of our own.

Run by .ci/run after the test suite (bounded by `timeout` there). Each step prints what it
saw and how long it took; any failure exits non-zero with the step's name. What it shows:

1. `make serve` (gunicorn, a Celery worker, beat) answers /healthz and /readyz with 200;
2. a work plan submitted through the API with a token has its snapshot within 30 s;
3. a stopped worker (SIGSTOP: it holds its connections but answers nothing) is named by
   /readyz within a minute, and is ready again once it runs on;
4. with our Redis stopped, a submission still succeeds and /readyz names Redis; started
   again, the backlog drains (the sweep runs every few seconds here: ENGINE_SWEEP_SECONDS);
5. one Ctrl-C (SIGINT to the process group, as a terminal sends it) stops all of it.

Never touches the machine's Redis: it starts its own on a free port, and drops the database
it created.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
TMP = ROOT / "var" / "smoke"
DATABASE = "magelang_smoke"
MARK = f"SMOKE_RUN={secrets.token_hex(4)}"
START = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - START:6.1f} s] {message}", flush=True)


class Failed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(what: str, check: Callable[[], Any], timeout: float, every: float = 0.5) -> Any:
    """Poll ``check`` until it returns something truthy; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except (OSError, ValueError) as error:
            last = error
        if last and not isinstance(last, Exception):
            return last
        time.sleep(every)
    raise Failed(f"{what}: not within {timeout:.0f} s (last: {last!r})")


class Portal:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"

    def call(
        self, method: str, path: str, body: Any = None, token: str = "", etag: str = ""
    ) -> tuple[int, Any, dict[str, str]]:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Token {token}"
        if etag:
            headers["If-Match"] = etag
        request = urllib.request.Request(  # noqa: S310
            self.base + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                raw, status, answer_headers = response.read(), response.status, response.headers
        except urllib.error.HTTPError as error:
            raw, status, answer_headers = error.read(), error.code, error.headers
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode(errors="replace")[:300]
        return status, payload, dict(answer_headers)

    def ok(self, method: str, path: str, body: Any = None, **kwargs: Any) -> tuple[Any, str]:
        status, payload, headers = self.call(method, path, body, **kwargs)
        if status not in (200, 201):
            raise Failed(f"{method} {path} answered {status}: {payload}")
        return payload, headers.get("ETag", "")

    def readiness(self) -> tuple[int, Any]:
        status, payload, _headers = self.call("GET", "/readyz")
        return status, payload


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise Failed(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def psql(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)  # noqa: S603


def our_processes(word: str) -> list[int]:
    """The pids of this run's processes (by the MARK in their environment) running ``word``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if MARK.encode() in environ and word in command:
            found.append(int(entry.name))
    return found


def start_redis(port: int) -> subprocess.Popen[bytes]:
    redis = subprocess.Popen(  # noqa: S603
        [  # noqa: S607
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")

    wait_until("our Redis answers", answers, 10)
    return redis


def plan_with_activity(
    portal: Portal, token: str, opd: int, indicator: int, kelurahan: int, amount: str
) -> tuple[int, str]:
    """A draft 2018 plan of ``opd`` with one complete activity; returns its id and ETag."""
    plan, _ = portal.ok("POST", "/api/v1/work-plans/", {"opd": opd, "year": 2018}, token=token)
    program, _ = portal.ok(
        "POST",
        "/api/v1/programs/",
        {"work_plan": plan["id"], "code": "1.06.01", "name": "Program Perlindungan Sosial"},
        token=token,
    )
    portal.ok(
        "POST",
        "/api/v1/activities/",
        {
            "program": program["id"],
            "code": "1.06.01.001",
            "name": "Bantuan sosial keluarga miskin",
            "output_indicator": "Keluarga miskin menerima bantuan",
            "output_target": "120",
            "output_unit": "KK",
            "budget": "250000000",
            "funding_source": "apbd_kota",
            "kelurahan": kelurahan,
            "target_group": "Keluarga miskin",
            "expected_contributions": [{"indicator": indicator, "amount": amount}],
        },
        token=token,
    )
    _, etag = portal.ok("GET", f"/api/v1/work-plans/{plan['id']}/", token=token)
    return plan["id"], etag


def planned_of(portal: Portal, token: str, indicator: int, opd_code: str) -> str | None:
    """The OPD's planned persons in the current 2018 snapshot, once no recomputation is pending."""
    figures, _ = portal.ok(
        "GET", f"/api/v1/contributions/?indicator={indicator}&year=2018", token=token
    )
    for state in figures["results"]:
        if state["pending"]:
            return None
        for row in state["rows"]:
            if row["opd_code"] == opd_code:
                return str(row["planned"])
    return None


def main() -> None:
    TMP.mkdir(parents=True, exist_ok=True)
    redis_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "BENEFICIARY_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "CACHE_REDIS_URL": "",
        "ENGINE_SWEEP_SECONDS": "3",
        "READY_WORKER_MAX_AGE": "15",
        "BEAT_SCHEDULE_FILE": str(TMP / "celerybeat-schedule"),
        "STATIC_ROOT": str(TMP / "static"),
        "WORKER_CONCURRENCY": "1",
        "WEB_CONCURRENCY": "2",
        MARK.split("=")[0]: MARK.split("=")[1],
    }
    env.pop("CI", None)
    portal = Portal(web_port)
    redis = start_redis(redis_port)
    serve: subprocess.Popen[bytes] | None = None
    log = (TMP / "serve.log").open("wb")
    psql("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE)
    psql("createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE)
    try:
        manage(env, "migrate", "--no-input")
        manage(env, "load_magelang")
        say("database migrated and seeded")
        token = manage(
            env, "api_client_create", "smoke-dinsos", "--scope", "write", "--opd", "1.06"
        )
        token = token.strip().split()[-1]
        other = manage(
            env, "api_client_create", "smoke-dinkes", "--scope", "write", "--opd", "1.02"
        )
        other = other.strip().split()[-1]

        serve = subprocess.Popen(  # noqa: S603
            ["make", "serve", f"PORT={web_port}"],  # noqa: S607
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until("/healthz answers 200", lambda: portal.call("GET", "/healthz")[0] == 200, 90)
        status, body = wait_until(
            "/readyz answers 200", lambda: (r := portal.readiness())[0] == 200 and r, 90
        )
        say(f"make serve is ready: {json.dumps(body)}")

        opds, _ = portal.ok("GET", "/api/v1/opds/?page_size=100")
        opd_ids = {row["code"]: row["id"] for row in opds["results"]}
        indicator = portal.ok("GET", "/api/v1/indicators/?code=KEMISKINAN")[0]["results"][0]["id"]
        # The city, not the province the seed puts above it (no kecamatan of its own).
        regions = portal.ok("GET", "/api/v1/regions/")[0]["results"]
        region = next(r for r in regions if r["kecamatan"])
        kelurahan = region["kecamatan"][0]["kelurahan"][0]["id"]

        plan, etag = plan_with_activity(portal, token, opd_ids["1.06"], indicator, kelurahan, "40")
        began = time.monotonic()
        portal.ok("POST", f"/api/v1/work-plans/{plan}/submit/", token=token, etag=etag)
        wait_until(
            "the submitted plan's snapshot",
            lambda: planned_of(portal, token, indicator, "1.06") == "40.00",
            30,
        )
        say(f"plan submitted through the API; snapshot after {time.monotonic() - began:.1f} s")

        workers = our_processes("magelang worker")
        if not workers:
            raise Failed("no worker process of this run found")
        for pid in workers:
            os.kill(pid, signal.SIGSTOP)
        began = time.monotonic()
        status, body = wait_until(
            "/readyz names the stopped worker",
            lambda: (r := portal.readiness())[0] == 503 and "worker" in r[1]["failing"] and r,
            60,
        )
        say(
            f"worker stopped: /readyz {status} after {time.monotonic() - began:.1f} s: {body['failing']}"
        )
        for pid in workers:
            os.kill(pid, signal.SIGCONT)
        wait_until("/readyz ready again", lambda: portal.readiness()[0] == 200, 60)
        say("worker running again: /readyz 200")

        second, etag = plan_with_activity(
            portal, other, opd_ids["1.02"], indicator, kelurahan, "25"
        )
        redis.terminate()
        redis.wait(10)
        began = time.monotonic()
        portal.ok("POST", f"/api/v1/work-plans/{second}/submit/", token=other, etag=etag)
        say(f"Redis stopped: a submission succeeded in {time.monotonic() - began:.2f} s")
        status, body = wait_until(
            "/readyz names Redis",
            lambda: (r := portal.readiness())[0] == 503 and "redis" in r[1]["failing"] and r,
            30,
        )
        say(f"/readyz {status}: {body['failing']}")
        redis = start_redis(redis_port)
        began = time.monotonic()
        wait_until(
            "the backlog drains after Redis returns",
            lambda: planned_of(portal, other, indicator, "1.02") == "25.00",
            90,
        )
        wait_until("/readyz ready again", lambda: portal.readiness()[0] == 200, 60)
        say(f"Redis back: backlog drained and ready in {time.monotonic() - began:.1f} s")

        os.killpg(serve.pid, signal.SIGINT)
        began = time.monotonic()
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired as error:
            raise Failed("one Ctrl-C did not stop make serve within 30 s") from error
        left = our_processes("magelang")
        if left:
            raise Failed(f"processes left after Ctrl-C: {left}")
        say(f"one Ctrl-C stopped everything in {time.monotonic() - began:.1f} s")
        serve = None
    finally:
        if serve is not None:
            with contextlib.suppress(Exception):
                os.killpg(serve.pid, signal.SIGKILL)
            for pid in our_processes("magelang"):
                with contextlib.suppress(Exception):
                    os.kill(pid, signal.SIGKILL)
            log.close()
            sys.stdout.write((TMP / "serve.log").read_text(errors="replace")[-6000:])
        redis.kill()
        with contextlib.suppress(Exception):
            psql("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE)


if __name__ == "__main__":
    try:
        main()
    except Failed as failure:
        say(f"SMOKE TEST FAILED: {failure}")
        sys.exit(1)
    say("smoke test passed")
