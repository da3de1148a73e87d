"""The OPDs a user may see."""

from __future__ import annotations

from typing import Any

from django.db import models


def _sees_everything(user: Any) -> bool:
    return bool(user.is_active and user.has_perm("opd.review_workplan"))


class OpdQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> OpdQuerySet:
        if not user.is_authenticated:
            return self.none()
        if _sees_everything(user):
            return self
        return self.filter(memberships__user=user)
