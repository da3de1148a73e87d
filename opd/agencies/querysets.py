"""The OPDs a user may see."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from opd.agencies.roles import readable_region_ids


class OpdQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> OpdQuerySet:
        if not user.is_authenticated:
            return self.none()
        # The user's own OPDs (a subquery, no query of its own) and a Bappeda user's regions.
        shown = Q(pk__in=user.opd_memberships.values("opd_id"))
        regions = readable_region_ids(user)
        if regions:
            shown |= Q(region_id__in=regions)
        return self.filter(shown)
