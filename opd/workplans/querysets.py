"""The work plans a user may see."""

from __future__ import annotations

from typing import Any

from django.db import models

from opd.agencies.roles import is_reviewer


class WorkPlanQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> WorkPlanQuerySet:
        """Every plan for a Bappeda reviewer; the user's own OPDs' plans for an OPD member."""
        if not user.is_authenticated:
            return self.none()
        if is_reviewer(user):
            return self
        return self.filter(opd__memberships__user=user)
