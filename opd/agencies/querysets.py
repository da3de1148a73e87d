"""The OPDs a user may see."""

from __future__ import annotations

from typing import Any

from django.db import models

from opd.agencies.roles import is_reviewer


class OpdQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> OpdQuerySet:
        if not user.is_authenticated:
            return self.none()
        if is_reviewer(user):
            return self
        return self.filter(memberships__user=user)
