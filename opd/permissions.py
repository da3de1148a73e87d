"""Who may do what with a work plan. One place, used by views, services and the API.

- An OPD member (head or staff) reads and edits only their own OPD's plans,
  edits only while the plan is a draft, returned or reopened, and reports realisations
  once the plan is approved.
- A Bappeda reviewer (permission ``opd.review_workplan``; superusers have it)
  reads every plan, reviews submitted ones, reopens approved ones and sets deadlines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opd.models import OpdMembership, WorkPlan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser
else:
    AnyUser = Any

EDITABLE_STATUSES = frozenset(
    {WorkPlan.Status.DRAFT, WorkPlan.Status.RETURNED, WorkPlan.Status.REOPENED}
)


def is_reviewer(user: AnyUser) -> bool:
    return bool(user.is_active and user.has_perm("opd.review_workplan"))


def member_opd_ids(user: AnyUser) -> frozenset[int]:
    """The OPDs ``user`` belongs to (none for an anonymous user)."""
    if not user.is_authenticated:
        return frozenset()
    # Cached on the user object, i.e. for one request: a page asks several times.
    cached = user.__dict__.get("_member_opd_ids")
    if cached is None:
        cached = frozenset(OpdMembership.objects.filter(user=user).values_list("opd_id", flat=True))
        user.__dict__["_member_opd_ids"] = cached
    return cached  # type: ignore[no-any-return]


def is_member(user: AnyUser, opd_id: int) -> bool:
    return opd_id in member_opd_ids(user)


def can_edit(user: AnyUser, work_plan: WorkPlan) -> bool:
    return work_plan.status in EDITABLE_STATUSES and is_member(user, work_plan.opd_id)


def can_report(user: AnyUser, work_plan: WorkPlan) -> bool:
    return work_plan.status == WorkPlan.Status.APPROVED and is_member(user, work_plan.opd_id)


def can_review(user: AnyUser, work_plan: WorkPlan) -> bool:
    return work_plan.status == WorkPlan.Status.SUBMITTED and is_reviewer(user)


def can_reopen(user: AnyUser, work_plan: WorkPlan) -> bool:
    return work_plan.status == WorkPlan.Status.APPROVED and is_reviewer(user)
