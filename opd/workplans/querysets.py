"""The work plans a user may see."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from opd.agencies.roles import readable_region_ids


class WorkPlanQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> WorkPlanQuerySet:
        """The plans of the regions a Bappeda user reads (``roles.readable_region_ids``) and
        the plans of the user's own OPDs."""
        if not user.is_authenticated:
            return self.none()
        # The user's own OPDs (a subquery, no query of its own) and a Bappeda user's regions.
        shown = Q(opd_id__in=user.opd_memberships.values("opd_id"))
        regions = readable_region_ids(user)
        if regions:
            shown |= Q(opd__region_id__in=regions)
        return self.filter(shown)
