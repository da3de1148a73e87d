"""`make serve` runs what docker-compose.yml runs: every service of the portal's image is a
process of the Procfile (started with the same command), or a one-shot step the Makefile's
serve target runs first; the smoke test in .ci/smoke.py then drives that process set."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.test_compose import compose_services, one_shot_services

ROOT = Path(__file__).resolve().parents[1]
# PostgreSQL and Redis come from the environment (DATABASE_URL, REDIS_URL) outside compose.
INFRASTRUCTURE = {"db", "redis"}


def procfile() -> dict[str, list[str]]:
    """Each process of the Procfile and its command's words, variables left as written."""
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            processes[name.strip()] = shlex.split(command)
    return processes


def serve_recipe() -> str:
    makefile = (ROOT / "Makefile").read_text()
    found = re.search(r"^serve:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert found, "the Makefile has no serve target"
    return found.group(1)


def _program(words: list[str]) -> list[str]:
    """The command up to its first option (``-A app`` aside): what it runs, not how it is tuned."""
    program: list[str] = []
    for word in words:
        if word.startswith("-") and word != "-A":
            break
        program.append(word)
    return program


def test_every_compose_service_of_the_portal_is_run_by_make_serve():
    services = compose_services()
    portal = set(services) - INFRASTRUCTURE
    one_shot = one_shot_services(services)
    processes = procfile()
    assert portal - one_shot == set(processes), "compose and the Procfile run different processes"
    recipe = serve_recipe()
    for name in one_shot:
        command = " ".join(services[name]["command"])
        assert command.removeprefix("python ") in recipe, f"make serve does not run {name}"
    assert "honcho start --procfile Procfile" in recipe


def test_each_process_runs_the_command_its_compose_service_runs():
    services = compose_services()
    for name, words in procfile().items():
        assert _program(words) == _program(services[name]["command"]), name
