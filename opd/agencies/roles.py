"""Who someone is in the portal: a Bappeda reviewer, or a member of some OPDs.

- An OPD member (head or staff) belongs to one or more OPDs (``OpdMembership``).
- A Bappeda user holds the permission ``opd.review_workplan`` (superusers have it) and works
  for one region (``BappedaRole``, else the deployment's region): a kota or kabupaten's Bappeda
  reviews that region's plans (:func:`reviewed_region_id`); a province's reads the plans and
  dashboards of the regions under it and reviews none (:func:`readable_region_ids`).
- Kelurahan and kecamatan staff (``AreaStaff``) record and verify the aspirations of their
  area: a kelurahan's staff that kelurahan, a kecamatan's staff all its kelurahan.

Every scoping decision is made here: what each may do with a work plan is
``opd.workplans.permissions``, which rows each may read is the querysets' ``visible_to``, and
both ask these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Exists, Q

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


# Kinds of region whose Bappeda reviews its own plans; a province's or the country's reads
# the regions under it and reviews none.
_REVIEWING_KINDS = frozenset({"kota", "kabupaten"})


@dataclass(frozen=True)
class BappedaScope:
    """Where a Bappeda user works: ``region_id`` (of ``kind``) and ``readable``, that region
    with every region under it."""

    region_id: int
    kind: str
    readable: frozenset[int]


def bappeda_scope(user: AnyUser) -> BappedaScope | None:
    """The region ``user`` works for as Bappeda (the region of the user's ``BappedaRole``, else
    the deployment's region, ``DEFAULT_REGION_CODE``) and the regions under it; None for a user
    who is not Bappeda, or whose region does not exist. One query, cached on the user object
    (that is, for one request)."""
    if not is_reviewer(user):
        return None
    cached = user.__dict__.get("_bappeda_scope", ...)
    if cached is ...:
        from django.conf import settings

        region = apps.get_model("targets", "Region")
        roles = apps.get_model("opd", "BappedaRole").objects.filter(user=user)
        own = region.objects.filter(
            Q(pk__in=roles.values("region_id"))
            | (Q(code=settings.DEFAULT_REGION_CODE) & ~Exists(roles))
        ).values("pk")[:1]
        rows = list(
            region.objects.filter(region.at_or_under(own)).values_list("pk", "kind", "parent_id")
        )
        readable = frozenset(pk for pk, _kind, _parent in rows)
        roots = [(pk, kind) for pk, kind, parent in rows if parent not in readable]
        cached = BappedaScope(roots[0][0], roots[0][1], readable) if roots else None
        user.__dict__["_bappeda_scope"] = cached
    return cached  # type: ignore[no-any-return]


def reviewed_region_id(user: AnyUser) -> int | None:
    """The region whose plans, Renstra and aspirations ``user`` reviews as Bappeda: a kota or
    kabupaten (see :func:`bappeda_scope`); None for a province's or the country's Bappeda,
    who only read, and for a user who is not Bappeda."""
    scope = bappeda_scope(user)
    if scope is None or scope.kind not in _REVIEWING_KINDS:
        return None
    return scope.region_id


def reviews_region(user: AnyUser, region_id: int | None) -> bool:
    """Whether ``user`` acts as Bappeda for ``region_id`` (see :func:`reviewed_region_id`)."""
    return region_id is not None and reviewed_region_id(user) == region_id


def readable_region_ids(user: AnyUser) -> frozenset[int]:
    """The regions whose plans and dashboards ``user`` reads as Bappeda: the user's own region
    and every region under it (a province's kota and kabupaten; the country's provinces and
    theirs). Empty for a user who is not Bappeda. One query, cached for the request."""
    scope = bappeda_scope(user)
    return frozenset() if scope is None else scope.readable


def reads_region(user: AnyUser, region_id: int | None) -> bool:
    """Whether ``user`` reads ``region_id``'s plans and dashboards as Bappeda."""
    return region_id is not None and region_id in readable_region_ids(user)
