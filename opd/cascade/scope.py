"""Who sees what of the cascade: the Renja work plans and the Renstras one reader may see,
as querysets the reads use as subqueries (no query of their own).

- the signed-in pages (``page_scope``): a Bappeda reviewer the region they review, an OPD
  member their own OPDs' plans and Renstras at any status (the sums are of those alone),
  anyone else nothing;
- the public page (``public_scope``): every approved work plan and approved Renstra;
- the API (``api_scope``): as the API's other reads, the public's part for anyone (approved
  plans and Renstras), besides it an OPD member's own at any status, and everything of the
  region for Bappeda (``opd.renstra.api.visibility`` decides the Renstras the same way).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from opd.agencies import roles
from opd.models import ExpectedContribution, Renstra, RenstraStatus, WorkPlan

APPROVED = WorkPlan.Status.APPROVED


@dataclass(frozen=True)
class Scope:
    """The work plans and Renstras a reader may see of the cascade."""

    work_plans: QuerySet[WorkPlan]
    renstras: QuerySet[Renstra]
    public: bool = False

    def claims(self) -> QuerySet[ExpectedContribution]:
        """The claimed contributions of the visible work plans' activities."""
        return ExpectedContribution.objects.filter(
            activity__program__work_plan__in=self.work_plans.values("pk")
        )


def _filtered(shown: Q | None) -> tuple[QuerySet[WorkPlan], QuerySet[Renstra]]:
    if shown is None:
        return WorkPlan.objects.none(), Renstra.objects.none()
    return WorkPlan.objects.filter(shown), Renstra.objects.filter(shown)


def page_scope(user: Any) -> Scope:
    """The signed-in pages: the regions a Bappeda user reads, the member's own OPDs, or
    nothing."""
    if not user.is_authenticated:
        return Scope(*_filtered(None))
    # The user's own OPDs as a subquery (no query of its own), as ``visible_to``.
    shown = Q(opd_id__in=user.opd_memberships.values("opd_id"))
    regions = roles.readable_region_ids(user)
    if regions:
        shown |= Q(opd__region_id__in=regions)
    return Scope(*_filtered(shown))


def public_scope() -> Scope:
    """Anyone: the approved work plans and the approved Renstras."""
    return Scope(
        WorkPlan.objects.filter(status=APPROVED),
        Renstra.objects.filter(status=RenstraStatus.APPROVED),
        public=True,
    )


def api_scope(user: Any) -> Scope:
    """The API: the approved ones for anyone; the region's all for Bappeda; an OPD member's
    (or their token's) own at any status besides the approved ones."""
    if user is None or not user.is_authenticated:
        return public_scope()
    shown = Q(status=APPROVED)
    regions = roles.readable_region_ids(user)
    if regions:
        shown |= Q(opd__region_id__in=regions)
    opd_ids = roles.member_opd_ids(user)
    if opd_ids:
        shown |= Q(opd_id__in=opd_ids)
    return Scope(*_filtered(shown))
