"""The Renstras a request may see: one definition, used by the views and the filters."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from opd.agencies import roles
from opd.models import Renstra


def visible_renstras(user: Any) -> QuerySet[Renstra]:
    """Approved Renstras for anyone (the public reads approved plans); besides them, every
    Renstra of the regions a Bappeda user reads (as ``WorkPlan.objects.visible_to``), and its
    own OPDs' drafts, submitted and returned ones for an OPD member (a token acts as its user,
    so an OPD's token too)."""
    shown = Q(status=Renstra.Status.APPROVED)
    if user is None or not user.is_authenticated:
        return Renstra.objects.filter(shown)
    regions = roles.readable_region_ids(user)
    if regions:
        shown |= Q(opd__region_id__in=regions)
    opd_ids = roles.member_opd_ids(user)
    if opd_ids:
        shown |= Q(opd_id__in=opd_ids)
    return Renstra.objects.filter(shown)
