"""Celery beat's schedule (``settings.CELERY_BEAT_SCHEDULE``), kept apart from the settings."""

from __future__ import annotations

import os
from typing import Any

from celery.schedules import crontab

# From 1 January, 00:30, every day of January: the unfunded aspirations of the plan year just
# begun join the next intake (the first run moves them; the others catch up a missed one).
NEW_YEAR = crontab(minute=30, hour=0, month_of_year=1)


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The periodic tasks, by the names their tasks were first published under."""
    return {
        "contribution-sweep": {
            "task": "opd.tasks.sweep_contributions",
            # Every five minutes on the clock; ENGINE_SWEEP_SECONDS sets an interval instead.
            "schedule": (
                float(os.environ["ENGINE_SWEEP_SECONDS"])
                if os.environ.get("ENGINE_SWEEP_SECONDS")
                else crontab(minute="*/5")
            ),
        },
        "contribution-nightly": {
            "task": "opd.tasks.recompute_all_contributions",
            "schedule": crontab(hour=1, minute=30),
        },
        "deadline-reminders": {
            "task": "opd.tasks.send_deadline_reminders_task",
            "schedule": crontab(hour=7, minute=0),
        },
        "aspiration-carry-over": {"task": "opd.tasks.carry_over_aspirations", "schedule": NEW_YEAR},
        # Staged aspiration files hold proposers' names: none is kept longer than a day.
        "aspiration-import-purge": {
            "task": "opd.tasks.purge_aspiration_imports",
            "schedule": crontab(minute=15),
        },
    }
