"""The aspirations' scheduled job: carry the unfinished ones into the next intake."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from opd.aspirations import services


@shared_task(name="opd.tasks.carry_over_aspirations")
def carry_over_aspirations() -> int:
    """At the start of calendar year Y the forums (Musrenbang, January to April) take proposals
    for plan year Y + 1, and plan year Y's work plans are already approved: what of plan year Y
    is not funded by now will not be, so it joins the intake for Y + 1. Returns how many."""
    return services.carry_over(to_year=timezone.localdate().year + 1)
