"""The worker's view of the tasks: every room's ``tasks.py`` is found, under the names beat
schedules and earlier releases published."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys
import django
django.setup()
before = set(sys.modules)
from magelang.celery import app
app.loader.import_default_modules()
print(json.dumps({
    "tasks": sorted(name for name in app.tasks if not name.startswith("celery.")),
    "imported": sorted(set(sys.modules) - before),
}))
"""


def _worker_view() -> dict[str, list[str]]:
    """What a worker process loads, in a fresh interpreter (nothing imported by other tests)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "magelang.settings"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_every_rooms_tasks_module_is_found_by_the_worker():
    rooms = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "opd").rglob("tasks.py")
    }
    assert rooms == {"opd.engine.tasks", "opd.workplans.tasks", "opd.aspirations.tasks"}
    assert rooms <= set(_worker_view()["imported"])


def test_beat_schedules_registered_tasks_under_their_first_names():
    tasks = set(_worker_view()["tasks"])
    assert tasks == {
        "opd.tasks.recompute_contribution",
        "opd.tasks.sweep_contributions",
        "opd.tasks.recompute_all_contributions",
        "opd.tasks.send_deadline_reminders_task",
        "opd.tasks.carry_over_aspirations",
        "opd.tasks.import_aspirations",
        "opd.tasks.purge_aspiration_imports",
    }
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= tasks
    # The staged imports (proposers' names in their rows) are purged every hour.
    purge = settings.CELERY_BEAT_SCHEDULE["aspiration-import-purge"]
    assert purge["task"] == "opd.tasks.purge_aspiration_imports"
    assert purge["schedule"].minute == {15} and len(purge["schedule"].hour) == 24
