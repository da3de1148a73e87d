"""What a user may do with one work plan; used by views, services and the API.

- An OPD member edits only their own OPD's plans, only while the plan is a draft, returned
  or reopened, and reports realisations once the plan is approved.
- A Bappeda reviewer reviews the submitted plans of the region they review and reopens its
  approved ones (``roles.reviews_region``); a province's Bappeda reviews none.

Which plans a user may *read* is ``WorkPlan.objects.visible_to(user)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opd.agencies.roles import is_member, reviews_region
from opd.models import WorkPlan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser
else:
    AnyUser = Any


EDITABLE_STATUSES = frozenset(
    {WorkPlan.Status.DRAFT, WorkPlan.Status.RETURNED, WorkPlan.Status.REOPENED}
)


def can_edit(user: AnyUser, work_plan: WorkPlan) -> bool:
    return work_plan.status in EDITABLE_STATUSES and is_member(user, work_plan.opd_id)


def can_report(user: AnyUser, work_plan: WorkPlan) -> bool:
    return work_plan.status == WorkPlan.Status.APPROVED and is_member(user, work_plan.opd_id)


def can_review(user: AnyUser, work_plan: WorkPlan) -> bool:
    return work_plan.status == WorkPlan.Status.SUBMITTED and reviews_region(
        user, work_plan.opd.region_id
    )


def can_reopen(user: AnyUser, work_plan: WorkPlan) -> bool:
    return work_plan.status == WorkPlan.Status.APPROVED and reviews_region(
        user, work_plan.opd.region_id
    )
