"""Reads of aspirations for the staff pages under ``/usulan/``: who sees which aspiration, who
sees the proposer, which stage actions a user may take now, and the list and detail pages'
data, each in a fixed number of queries.

Who sees an aspiration (:func:`visible_to`), the regions decided in ``opd.agencies.roles``:

- Bappeda: every aspiration of the regions it reads (``roles.readable_region_ids``): a kota's
  or kabupaten's its own region's, a province's those of the regions under it;
- kelurahan and kecamatan staff: those of the kelurahan they act for;
- an OPD member: those recommended to their OPD, at that stage and every later one.

Who acts on one is :func:`role_allows` (and the services again): Bappeda only for the region
it reviews (``roles.reviews_region``), so a province's Bappeda reads and never acts. The list
shows one region at a time (:func:`aspiration_regions`, chosen with the region picker).

Someone with none of these roles has no aspiration pages at all (403).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet

from opd.agencies import roles
from opd.aspirations.models import Aspiration, AspirationEvent, AspirationStatus
from opd.aspirations.services import (
    EDITABLE,
    EDITABLE_PLAN_STATUSES,
    PRIVATE_FIELDS,
    REJECTABLE,
)
from opd.models import Activity, AreaStaff, Opd, OpdMembership
from targets.models import Indicator, Kelurahan, Region

Status = AspirationStatus

#: Rows per page of the staff list.
PER_PAGE = 50


#: Kinds of region that hold no aspirations of their own: their Bappeda reads those of the
#: regions under them.
ROLL_UP_KINDS = (Region.Kind.PROVINCE, Region.Kind.COUNTRY)


def has_role(user: Any) -> bool:
    """Whether ``user`` has any aspiration pages: Bappeda of a region, area staff or an OPD
    member."""
    return (
        bool(roles.readable_region_ids(user))
        or bool(roles.area_kelurahan_ids(user))
        or bool(roles.member_opd_ids(user))
    )


def may_record(user: Any) -> bool:
    """Whether ``user`` records aspirations (for some kelurahan): the Bappeda of a kota or
    kabupaten (not a province's, who only reads) or area staff."""
    return roles.reviewed_region_id(user) is not None or bool(roles.area_kelurahan_ids(user))


def aspiration_regions(user: Any) -> list[Region]:
    """The regions whose aspirations ``user`` sees on the staff pages, by code, which the region
    picker offers: those a Bappeda user reads (a province's kota and kabupaten, not the province
    itself, which holds none), those of the user's OPDs and those of the user's area. One query,
    cached for the request."""
    cached = user.__dict__.get("_aspiration_regions")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    member_of = OpdMembership.objects.filter(user=user, opd__region=OuterRef("pk"))
    area = AreaStaff.objects.filter(user=user).filter(
        Q(kelurahan__kecamatan__region=OuterRef("pk")) | Q(kecamatan__region=OuterRef("pk"))
    )
    found = list(
        Region.objects.filter(
            (Q(pk__in=roles.readable_region_ids(user)) & ~Q(kind__in=ROLL_UP_KINDS))
            | Q(Exists(member_of))
            | Q(Exists(area))
        ).order_by("code")
    )
    user.__dict__["_aspiration_regions"] = found
    return found


def sees_proposer(user: Any, aspiration: Aspiration) -> bool:
    """Whether ``user`` may see who proposed ``aspiration``: Bappeda and the staff of its place,
    never an OPD member as such (the API adds: never through a token)."""
    return roles.reviews_region(user, aspiration.region_id) or roles.acts_for_kelurahan(
        user, aspiration.kelurahan_id
    )


def visible_to(user: Any) -> QuerySet[Aspiration]:
    """The aspirations ``user`` sees on the staff pages (see the module's docstring)."""
    if not user.is_authenticated:
        return Aspiration.objects.none()
    seen = []
    readable = roles.readable_region_ids(user)
    if readable:
        seen.append(Q(region_id__in=readable))
    area = roles.area_kelurahan_ids(user)
    if area:
        seen.append(Q(kelurahan_id__in=area))
    opds = roles.member_opd_ids(user)
    if opds:
        seen.append(Q(recommended_opd_id__in=opds))
    if not seen:
        return Aspiration.objects.none()
    condition = seen[0]
    for other in seen[1:]:
        condition |= other
    return Aspiration.objects.filter(condition)


# --- the list ------------------------------------------------------------------------------


def visible_in(user: Any, region: Region) -> QuerySet[Aspiration]:
    """The aspirations of ``region`` that ``user`` sees: all of them for its Bappeda (no read of
    the user's other roles), else those :func:`visible_to` allows."""
    if roles.reads_region(user, region.pk):
        return Aspiration.objects.filter(region=region)
    return visible_to(user).filter(region=region)


def list_kelurahan(user: Any, region: Region) -> list[Kelurahan]:
    """The kelurahan of ``region`` the list may be filtered by: all of them for its Bappeda and
    for the members of its OPDs, those of their area for area staff; by kecamatan then name.
    One query."""
    rows = Kelurahan.objects.filter(kecamatan__region=region)
    if not roles.reads_region(user, region.pk):
        places = Q(pk__in=roles.area_kelurahan_ids(user))
        opds = roles.member_opd_ids(user)
        if opds:
            places |= Q(kecamatan__region__opds__in=opds)
        rows = rows.filter(places).distinct()
    return list(rows.select_related("kecamatan").order_by("kecamatan__name", "name", "pk"))


@dataclass(frozen=True)
class ListFilter:
    year: int | None = None
    status: str = ""
    forum: str = ""
    kelurahan: Kelurahan | None = None


def staff_list(
    *, user: Any, region: Region, chosen: ListFilter, page_number: int
) -> tuple[Page, Paginator]:
    """The aspirations of ``region`` that ``user`` sees, filtered, newest forum first (then
    reference, then pk), :data:`PER_PAGE` a page. Two queries (count, page). Raises
    ``EmptyPage`` past the last."""
    rows = (
        visible_in(user, region)
        .select_related("kelurahan__kecamatan")
        .only(
            "reference",
            "title",
            "forum",
            "year",
            "status",
            "received_on",
            "kelurahan__name",
            "kelurahan__kecamatan__name",
        )
        .order_by("-received_on", "reference", "pk")
    )
    if chosen.year is not None:
        rows = rows.filter(year=chosen.year)
    if chosen.status:
        rows = rows.filter(status=chosen.status)
    if chosen.forum:
        rows = rows.filter(forum=chosen.forum)
    if chosen.kelurahan is not None:
        rows = rows.filter(kelurahan=chosen.kelurahan)
    paginator = Paginator(rows, PER_PAGE)
    return paginator.page(page_number), paginator


# --- the intake and edit forms' choices -----------------------------------------------------


def intake_kelurahan(user: Any) -> QuerySet[Kelurahan]:
    """The kelurahan ``user`` records aspirations for: Bappeda every one of the region it
    reviews, area staff those of their area."""
    places = Q(pk__in=roles.area_kelurahan_ids(user))
    reviewed = roles.reviewed_region_id(user)
    if reviewed is not None:
        places |= Q(kecamatan__region_id=reviewed)
    return (
        Kelurahan.objects.filter(places)
        .select_related("kecamatan")
        .order_by("kecamatan__name", "name", "pk")
    )


def grouped_kelurahan(places: list[Kelurahan]) -> list[Any]:
    """``places`` grouped by kecamatan, for a ``<select>`` with ``<optgroup>``s."""
    return [
        (kecamatan, [(k.pk, k.name) for k in group])
        for kecamatan, group in groupby(places, key=lambda k: k.kecamatan.name)
    ]


def intake_indicators(user: Any, places: list[Kelurahan]) -> QuerySet[Indicator]:
    """The indicators an aspiration may name: those of the RPJMDs of the regions of ``places``
    (and, for Bappeda, of the region it reviews)."""
    regions = Q(plan__region_id__in={k.kecamatan.region_id for k in places})
    reviewed = roles.reviewed_region_id(user)
    if reviewed is not None:
        regions |= Q(plan__region_id=reviewed)
    return (
        Indicator.objects.filter(regions)
        .select_related("plan")
        .order_by("plan__first_year", "code", "pk")
    )


# --- one aspiration ------------------------------------------------------------------------


@dataclass(frozen=True)
class Actions:
    """What a user may do with an aspiration now (the services decide again on each POST)."""

    verify: bool = False
    recommend: bool = False
    accept: bool = False
    reject: bool = False
    edit: bool = False

    def any(self) -> bool:
        return self.verify or self.recommend or self.accept or self.reject or self.edit


def role_allows(user: Any, aspiration: Aspiration, action: str) -> bool:
    """Whether ``user``'s role lets them take ``action`` (verify, recommend, accept, reject,
    edit) on ``aspiration`` at some stage: the services' role rule, without the stage's.

    A page refuses with 403 what no stage would allow; the stage is the services' to refuse.
    Bappeda acts only for the region it reviews: a province's Bappeda, reading, never acts."""
    reviewer = roles.reviews_region(user, aspiration.region_id)
    opd_id = aspiration.recommended_opd_id
    member = opd_id is not None and roles.is_member(user, opd_id)
    if action in ("verify", "edit"):
        return reviewer or roles.acts_for_kelurahan(user, aspiration.kelurahan_id)
    if action == "recommend":
        return reviewer
    if action == "accept":
        return member
    if action == "reject":
        return reviewer or member
    raise ValueError(action)


def actions_for(user: Any, aspiration: Aspiration) -> Actions:
    """The stage actions the services would allow ``user`` on ``aspiration`` as it is now."""
    status = aspiration.status
    recommended_to_user = status == Status.RECOMMENDED and role_allows(user, aspiration, "accept")
    return Actions(
        verify=status == Status.RECEIVED and role_allows(user, aspiration, "verify"),
        recommend=status == Status.VERIFIED and role_allows(user, aspiration, "recommend"),
        accept=recommended_to_user,
        reject=status in REJECTABLE
        and (roles.reviews_region(user, aspiration.region_id) or recommended_to_user),
        edit=status in EDITABLE and role_allows(user, aspiration, "edit"),
    )


def recommend_opds(aspiration: Aspiration) -> QuerySet[Opd]:
    """The OPDs an aspiration may be recommended to: those of its region."""
    return Opd.objects.filter(region_id=aspiration.region_id).order_by("code", "pk")


def accept_activities(aspiration: Aspiration) -> QuerySet[Activity]:
    """The activities an aspiration may be accepted into: of its recommended OPD's work plan for
    its year, while that plan can still be changed."""
    if aspiration.recommended_opd_id is None:
        return Activity.objects.none()
    return (
        Activity.objects.filter(
            program__work_plan__opd_id=aspiration.recommended_opd_id,
            program__work_plan__year=aspiration.year,
            program__work_plan__status__in=EDITABLE_PLAN_STATUSES,
        )
        .select_related("program")
        .order_by("program__code", "code", "pk")
    )


@dataclass(frozen=True)
class Change:
    """One changed field of an ``edit`` event: its label, and the values unless private."""

    label: str
    private: bool
    before: Any = None
    after: Any = None


@dataclass
class EventRow:
    event: AspirationEvent
    changes: list[Change] = field(default_factory=list)


def aspiration_for(user: Any, pk: int) -> Aspiration | None:
    """The aspiration ``pk`` if ``user`` sees it, with everything its page shows: one query."""
    return (
        visible_to(user)
        .select_related(
            "region",
            "kelurahan__kecamatan",
            "indicator",
            "recommended_opd",
            "activity__program__work_plan__opd",
        )
        .filter(pk=pk)
        .first()
    )


def history(aspiration: Aspiration) -> list[EventRow]:
    """The aspiration's events, oldest first, with each edit's changed fields labelled and the
    kelurahan and indicators named (private fields without values). One query, and one more
    for each of the kelurahan and the indicators an edit changed, if any."""
    events = list(AspirationEvent.objects.filter(aspiration=aspiration).order_by("at", "pk"))
    named: dict[str, dict[Any, str]] = {"kelurahan": {}, "indicator": {}}
    for event in events:
        for name in named:
            for value in (event.changes or {}).get(name) or ():
                if value is not None:
                    named[name][value] = ""
    if named["kelurahan"]:
        for pk, label in Kelurahan.objects.filter(pk__in=named["kelurahan"]).values_list(
            "pk", "name"
        ):
            named["kelurahan"][pk] = label
    if named["indicator"]:
        for pk, code, label in Indicator.objects.filter(pk__in=named["indicator"]).values_list(
            "pk", "code", "name"
        ):
            named["indicator"][pk] = f"{code}: {label}"
    rows = []
    for event in events:
        changes = []
        for name, values in (event.changes or {}).items():
            model_field: Any = Aspiration._meta.get_field(name)
            label = str(model_field.verbose_name)
            if name in PRIVATE_FIELDS or values is None:
                changes.append(Change(label=label, private=True))
                continue
            before, after = values
            if name in named:
                before, after = (named[name].get(v, v) if v is not None else None for v in values)
            elif model_field.choices:
                words = dict(model_field.flatchoices)
                before, after = (words.get(v, v) for v in values)
            changes.append(Change(label=label, private=False, before=before, after=after))
        rows.append(EventRow(event=event, changes=changes))
    return rows
