"""Who someone is in the portal: a Bappeda reviewer, or a member of some OPDs.

- An OPD member (head or staff) belongs to one or more OPDs (``OpdMembership``).
- A Bappeda reviewer holds the permission ``opd.review_workplan`` (superusers have it).
- Kelurahan and kecamatan staff (``AreaStaff``) record and verify the aspirations of their
  area: a kelurahan's staff that kelurahan, a kecamatan's staff all its kelurahan.

What each may do with a work plan is ``opd.workplans.permissions``; which rows each may
read is the querysets' ``visible_to``, which ask :func:`is_reviewer` too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser
else:
    AnyUser = Any


def is_reviewer(user: AnyUser) -> bool:
    return bool(user.is_active and user.has_perm("opd.review_workplan"))


def member_opd_ids(user: AnyUser) -> frozenset[int]:
    """The OPDs ``user`` belongs to (none for an anonymous user)."""
    if not user.is_authenticated:
        return frozenset()
    # Cached on the user object, i.e. for one request: a page asks several times.
    cached = user.__dict__.get("_member_opd_ids")
    if cached is None:
        # Through the user's reverse relation, not the model: the models import the
        # querysets, which import this module.
        cached = frozenset(user.opd_memberships.values_list("opd_id", flat=True))
        user.__dict__["_member_opd_ids"] = cached
    return cached  # type: ignore[no-any-return]


def is_member(user: AnyUser, opd_id: int) -> bool:
    return opd_id in member_opd_ids(user)


def area_kelurahan_ids(user: AnyUser) -> frozenset[int]:
    """The kelurahan whose aspirations ``user`` records and verifies as area staff (none for an
    anonymous user): a kecamatan's staff act for all its kelurahan."""
    if not user.is_authenticated:
        return frozenset()
    cached = user.__dict__.get("_area_kelurahan_ids")
    if cached is None:
        # The model by name: the models import the querysets, which import this module.
        kelurahan = apps.get_model("targets", "Kelurahan")
        roles = user.area_roles.all()
        cached = frozenset(
            kelurahan.objects.filter(
                Q(pk__in=roles.exclude(kelurahan=None).values("kelurahan_id"))
                | Q(kecamatan__in=roles.exclude(kecamatan=None).values("kecamatan_id"))
            ).values_list("pk", flat=True)
        )
        user.__dict__["_area_kelurahan_ids"] = cached
    return cached  # type: ignore[no-any-return]


def acts_for_kelurahan(user: AnyUser, kelurahan_id: int | None) -> bool:
    return kelurahan_id is not None and kelurahan_id in area_kelurahan_ids(user)


def reviewed_region_id(user: AnyUser) -> int | None:
    """The region whose plans and aspirations ``user`` reviews as Bappeda: for now the
    deployment's region (``DEFAULT_REGION_CODE``), as every Bappeda page shows; None for a
    user who reviews nothing. Regions get their own reviewers with design section 9."""
    if not is_reviewer(user):
        return None
    cached = user.__dict__.get("_reviewed_region_id", ...)
    if cached is ...:
        from django.conf import settings

        region = apps.get_model("targets", "Region")
        cached = (
            region.objects.filter(code=settings.DEFAULT_REGION_CODE)
            .values_list("pk", flat=True)
            .first()
        )
        user.__dict__["_reviewed_region_id"] = cached
    return cached  # type: ignore[no-any-return]


def reviews_region(user: AnyUser, region_id: int | None) -> bool:
    """Whether ``user`` acts as Bappeda for ``region_id`` (see :func:`reviewed_region_id`)."""
    return region_id is not None and reviewed_region_id(user) == region_id
