"""The aspirations' jobs: carry the unfinished ones into the next intake; import a confirmed
file; purge the staged imports a day old."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from opd.aspirations import import_run, services


@shared_task(name="opd.tasks.carry_over_aspirations")
def carry_over_aspirations() -> int:
    """At the start of calendar year Y the forums (Musrenbang, January to April) take proposals
    for plan year Y + 1, and plan year Y's work plans are already approved: what of plan year Y
    is not funded by now will not be, so it joins the intake for Y + 1. Returns how many."""
    return services.carry_over(to_year=timezone.localdate().year + 1)


@shared_task(name="opd.tasks.import_aspirations")
def import_aspirations(import_id: int) -> int:
    """Import a confirmed file of aspirations, all or nothing. Returns how many."""
    return import_run.run(import_id)


@shared_task(name="opd.tasks.purge_aspiration_imports")
def purge_aspiration_imports() -> int:
    """Delete the staged imports older than a day: their rows hold proposers' names."""
    return import_run.purge()
