"""Reads of aspirations for the public status pages (no login), each in a fixed number of
queries, none of which loads the proposer's name or contact.

A citizen looks up the reference number they were given at the forum and sees the stages
with their dates, the reason for a rejection or the activity that took the aspiration up, the
plan's status in words and, once funded, the realisation so far in counts and Rupiah. The list
per kelurahan shows titles and stages only.

Regions: a reference number is unique across the deployment, so the lookup and an
aspiration's page find it whatever its region (a citizen has the number, not the region's
code). The list per kelurahan shows one region at a time, any kota or kabupaten with a plan
(:func:`public_plans`, chosen with the region picker; the deployment's by default), as the
public dashboard does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opd.aspirations.models import (
    LEGACY_REFERENCE_PATTERN,
    REFERENCE_PATTERN,
    WITH_ACTIVITY,
    WITH_OPD,
    Aspiration,
    AspirationEvent,
    AspirationStatus,
)
from opd.workplans.models import Realisation, WorkPlanStatus
from targets.models import Kelurahan, Plan, Region

Status = AspirationStatus

#: The way an aspiration goes when nothing stops it; a rejection ends it after the stage it
#: was rejected at.
PATH: tuple[str, ...] = (
    Status.RECEIVED,
    Status.VERIFIED,
    Status.RECOMMENDED,
    Status.ACCEPTED,
    Status.FUNDED,
    Status.REALISED,
)
#: The stages at which the activity's plan is approved: the public sees "funded", whatever
#: the plan went through since.
FUNDED: tuple[str, ...] = (Status.FUNDED, Status.REALISED)
#: Rows per page of the list per kelurahan.
PER_PAGE = 50
_MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=2)

#: The fields the public pages read: never ``proposer`` or ``proposer_contact``, so a
#: template cannot show them even by mistake (reading a deferred field would be a query,
#: which the pinned query counts catch).
PUBLIC_FIELDS = (
    "reference",
    "forum",
    "year",
    "first_year",
    "title",
    "description",
    "category",
    "received_on",
    "status",
    "rejection_code",
    "rejection_reason",
    "kelurahan__name",
    "kelurahan__kecamatan__name",
    "recommended_opd__name",
    "activity__name",
    "activity__output_indicator",
    "activity__output_target",
    "activity__output_unit",
    "activity__budget",
    "activity__program__work_plan__status",
    "activity__program__work_plan__opd__name",
)

#: What a citizen is told about the plan of an accepted, not yet funded, aspiration.
PLAN_NOT_YET_FUNDED: dict[str, object] = {
    WorkPlanStatus.DRAFT: _("Not funded yet: the OPD is drafting its work plan."),
    WorkPlanStatus.SUBMITTED: _("Not funded yet: Bappeda is reviewing the OPD's work plan."),
    WorkPlanStatus.RETURNED: _(
        "Not funded yet: the work plan was returned to the OPD for changes."
    ),
    WorkPlanStatus.REOPENED: _("Not funded yet: the work plan was reopened for changes."),
}
PLAN_FUNDED = _("Funded: Bappeda approved the OPD's work plan.")
PLAN_PENDING = _("Not funded yet: the work plan awaits approval.")

_DASHES = re.compile(r"\s*[-‐‑‒–—―−_]\s*")
_SPACES = re.compile(r"\s+")
#: In Crockford's base32 a misread O is 0 and a misread I or L is 1.
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise_reference(raw: str) -> str:
    """The reference as issued, from what a person typed: trimmed, upper case, any dash (or a
    space between the parts) as "-", and in the random part O read as 0, I and L as 1.

    "  msr-2018-7qk4 " and "MSR 2018 7QK4" give "MSR-2018-7QK4". What does not come out in
    the shape of a reference is returned as it came out, for :func:`is_reference` to refuse.
    """
    value = _DASHES.sub("-", raw.strip().upper())
    value = _SPACES.sub("-", value)
    parts = value.split("-")
    if len(parts) == 3 and parts[0] != "USL":
        parts[2] = parts[2].translate(_MISREAD)
    return "-".join(parts)


def is_reference(value: str) -> bool:
    """Whether ``value`` (normalised) has the shape of a reference, new or legacy."""
    return bool(re.match(REFERENCE_PATTERN, value) or re.match(LEGACY_REFERENCE_PATTERN, value))


def reference_exists(reference: str) -> bool:
    """Whether an aspiration (of any region) has ``reference``: one query."""
    return _public().filter(reference=reference).exists()


def _public() -> QuerySet[Aspiration]:
    """Every region's aspirations: a reference is unique across the deployment."""
    return Aspiration.objects.all()


# --- the status of one aspiration ----------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """One stage on the aspiration's way: reached or not, and since when."""

    status: str
    label: str
    reached: bool
    current: bool
    at: date | None


@dataclass(frozen=True)
class RealisationSoFar:
    """The activity's reports summed over the quarters reported: counts and Rupiah only."""

    quarters: int
    output_achieved: Decimal
    budget_spent: Decimal


@dataclass(frozen=True)
class PublicStatus:
    aspiration: Aspiration
    stages: list[Stage]
    #: The plan years it was carried into, with the day it was carried.
    carried: list[tuple[int, date]]
    #: The OPD it was recommended to (from "recommended" on), else "".
    opd_name: str
    #: Whether the activity that took it up is shown (accepted, funded, realised).
    shows_activity: bool
    #: The plan's status in words, for an aspiration taken up by an activity.
    plan_status: str
    #: Shown from "funded" on, once the plan is approved.
    realisation: RealisationSoFar | None


def _sum_of_realisations(field: str) -> Subquery:
    rows = (
        Realisation.objects.filter(activity=OuterRef("activity"))
        .order_by()
        .values("activity")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Subquery(rows, output_field=_MONEY)


def public_status(reference: str) -> PublicStatus | None:
    """The public status of the aspiration with ``reference`` (as issued), or None: two queries,
    whatever its stage and however many quarters its activity reported."""
    quarters = (
        Realisation.objects.filter(activity=OuterRef("activity"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    aspiration = (
        _public()
        .filter(reference=reference)
        .select_related(
            "kelurahan__kecamatan", "recommended_opd", "activity__program__work_plan__opd"
        )
        .only(*PUBLIC_FIELDS)
        .annotate(
            realised_quarters=Coalesce(Subquery(quarters, output_field=IntegerField()), 0),
            realised_output=Coalesce(
                _sum_of_realisations("output_achieved"), Value(Decimal(0)), output_field=_MONEY
            ),
            realised_spent=Coalesce(
                _sum_of_realisations("budget_spent"), Value(Decimal(0)), output_field=_MONEY
            ),
        )
        .first()
    )
    if aspiration is None:
        return None
    events = list(
        AspirationEvent.objects.filter(aspiration=aspiration)
        .order_by("at", "pk")
        .values_list("kind", "from_status", "to_status", "year", "at")
    )
    status = aspiration.status
    activity = aspiration.activity if status in WITH_ACTIVITY else None
    realisation = None
    plan_status = ""
    if activity is not None:
        if status in FUNDED:
            plan_status = str(PLAN_FUNDED)
            realisation = RealisationSoFar(
                quarters=aspiration.realised_quarters,  # type: ignore[attr-defined]
                output_achieved=aspiration.realised_output,  # type: ignore[attr-defined]
                budget_spent=aspiration.realised_spent,  # type: ignore[attr-defined]
            )
        else:
            plan_status = str(
                PLAN_NOT_YET_FUNDED.get(activity.program.work_plan.status, PLAN_PENDING)
            )
    opd = aspiration.recommended_opd
    return PublicStatus(
        aspiration=aspiration,
        stages=stages(status, aspiration.received_on, events),
        carried=[(year, _day(at)) for kind, _f, _t, year, at in events if kind == "carry_over"],
        opd_name=opd.name if opd is not None and status in WITH_OPD else "",
        shows_activity=activity is not None,
        plan_status=plan_status,
        realisation=realisation,
    )


def _day(at: datetime) -> date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def stages(
    status: str, received_on: date, events: list[tuple[str, str, str, int, datetime]]
) -> list[Stage]:
    """The stages of an aspiration now at ``status``, from its history ``events`` (kind,
    from, to, year, at; oldest first).

    Every stage of :data:`PATH` up to ``status`` is reached; the later ones are not reached
    yet. A rejected aspiration's way ends with "rejected", after the stage it was rejected at.
    A stage's date is the day it was last reached (a carry-over into the next year is not a
    decision, so it dates no stage); "received" without an intake event is dated by the
    forum; a stage reached before the history was kept has no date.
    """
    reached_at: dict[str, date] = {}
    rejected_from = ""
    for kind, from_status, to_status, _year, at in events:
        if kind == "carry_over":
            continue
        reached_at[to_status] = _day(at)
        if to_status == Status.REJECTED:
            rejected_from = from_status
    reached_at.setdefault(Status.RECEIVED, received_on)
    labels = dict(Status.choices)
    if status == Status.REJECTED:
        last = PATH.index(rejected_from) if rejected_from in PATH[:3] else 0
        way = [*PATH[: last + 1], Status.REJECTED]
        current = len(way) - 1
    else:
        way = list(PATH)
        current = way.index(status)
    return [
        Stage(
            status=str(stage),
            label=str(labels[stage]),
            reached=i <= current,
            current=i == current,
            at=reached_at.get(stage) if i <= current else None,
        )
        for i, stage in enumerate(way)
    ]


# --- the list per kelurahan ----------------------------------------------------------------


def public_plans() -> list[Plan]:
    """The RPJMDs of every kota and kabupaten (a province holds no aspirations of its own) with
    their region, by region code then latest first: one query, which gives the regions the list
    offers and the years of each."""
    return list(
        Plan.objects.filter(~Q(region__kind__in=(Region.Kind.PROVINCE, Region.Kind.COUNTRY)))
        .select_related("region")
        .only("first_year", "last_year", "region__code", "region__name", "region__kind")
        .order_by("region__code", "-first_year", "pk")
    )


def plan_regions(plans: list[Plan]) -> list[Region]:
    """The regions of ``plans``, once each, in their order."""
    return list({plan.region_id: plan.region for plan in plans}.values())


def plan_years(plans: list[Plan]) -> tuple[list[int], int]:
    """The years of the RPJMD of ``plans`` (one region's, latest first) that covers the default
    plan year (else the latest), and the year shown by default: the default plan year when the
    RPJMD covers it, else the RPJMD's first, as the dashboards choose. No query."""
    default = settings.RENJA_DEFAULT_YEAR
    if not plans:
        return [default], default
    plan = next((p for p in plans if default in p.years()), plans[0])
    years = list(plan.years())
    return years, default if default in years else years[0]


def kelurahan_choices(region: Region | None) -> list[Kelurahan]:
    """The region's kelurahan with their kecamatan, by kecamatan then name: one query (none
    without a region)."""
    if region is None:
        return []
    return list(
        Kelurahan.objects.filter(kecamatan__region=region)
        .select_related("kecamatan")
        .order_by("kecamatan__name", "name")
    )


def public_list(
    *, region: Region | None, year: int, kelurahan: Kelurahan | None, page_number: int
) -> tuple[Page, Paginator]:
    """The aspirations of ``region`` and ``year`` (of one kelurahan, else all), by kecamatan
    and kelurahan then title, :data:`PER_PAGE` a page: titles, stages and places only. Two
    queries (count, page).

    Raises ``EmptyPage`` for a page past the last."""
    rows = (
        _public()
        .filter(region=region, year=year)
        .select_related("kelurahan__kecamatan")
        .only("title", "status", "kelurahan__name", "kelurahan__kecamatan__name")
        .order_by(
            F("kelurahan__kecamatan__name").asc(nulls_first=True),
            F("kelurahan__name").asc(nulls_first=True),
            "title",
            "pk",
        )
    )
    if kelurahan is not None:
        rows = rows.filter(kelurahan=kelurahan)
    paginator = Paginator(rows, PER_PAGE)
    return paginator.page(page_number), paginator
