"""Bappeda's summary of a plan year's aspirations: counts per forum, per kelurahan and per OPD,
and the median days each stage took (design section 8, issue 11 item 5).

Every figure is of the aspirations of one region (chosen by the view) whose plan year is the
year shown.
An aspiration counts at a stage once it reached that stage or a later one on the usual way
(received → verified → recommended → accepted → funded → realised); a rejected one counts at
the stages before its rejection, read from the rejection's event ("from" stage), and at none
but received when that event is missing. "Accepted" includes funded and realised, "funded"
includes realised. "Carried over" are those whose first plan year is earlier than the year.

How long each stage took is measured from the stage events (kind intake or stage; carry-overs
and edits are not decisions): the first event into each stage, in whole calendar days in the
portal's time zone. The start of "received" is the forum date (``received_on``, always set,
also for imported rows that have no intake event). For a carried-over aspiration the time
includes the years it waited. Only aspirations that reached both ends of a step count in it.

The reads: the years with aspirations of the region, the year's aspirations (one narrow query
without the proposer's name or contact), their stage events (aspiration, kind, from, to, at:
one query) and the region's kelurahan: four queries, whatever the number of aspirations. The
counts and medians are then taken in Python: a median is not an aggregate that SQLite (used by
``make run``) and PostgreSQL share, and the rejected aspirations' stages come from their events,
which the same read supplies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opd.aspirations.models import (
    Aspiration,
    AspirationEvent,
    AspirationForum,
    AspirationStatus,
    RejectionCode,
)
from targets.models import Kelurahan, Region

Status = AspirationStatus

#: The usual way, in order; "rejected" leaves it after the stage it was rejected at.
PATH: tuple[str, ...] = (
    Status.RECEIVED,
    Status.VERIFIED,
    Status.RECOMMENDED,
    Status.ACCEPTED,
    Status.FUNDED,
    Status.REALISED,
)
#: The count columns of the tables, in order, with their headings.
COUNTED: tuple[tuple[str, object], ...] = (
    (Status.RECEIVED, _("Received")),
    (Status.VERIFIED, _("Verified")),
    (Status.RECOMMENDED, _("Recommended")),
    (Status.ACCEPTED, _("Accepted")),
    (Status.FUNDED, _("Funded")),
    (Status.REALISED, _("Realised")),
)
#: The steps whose median duration is shown: (from, to, heading). "accepted_or_rejected" ends
#: at the first event into either.
STEPS: tuple[tuple[str, str, object], ...] = (
    (Status.RECEIVED, Status.VERIFIED, _("Received → verified")),
    (Status.VERIFIED, Status.RECOMMENDED, _("Verified → recommended")),
    (Status.RECOMMENDED, "accepted_or_rejected", _("Recommended → accepted or rejected")),
    (Status.ACCEPTED, Status.FUNDED, _("Accepted → funded")),
    (Status.FUNDED, Status.REALISED, _("Funded → realised")),
)
#: The event kinds that move an aspiration into a stage.
STAGE_KINDS = (AspirationEvent.Kind.INTAKE, AspirationEvent.Kind.STAGE)

#: What the report reads of an aspiration, in :class:`Item`'s order: never ``proposer`` or
#: ``proposer_contact`` (the report and its export hold no personal data).
FIELDS = (
    "pk",
    "reference",
    "forum",
    "year",
    "first_year",
    "received_on",
    "kelurahan_id",
    "kelurahan__name",
    "kelurahan__kecamatan__name",
    "category",
    "title",
    "priority",
    "status",
    "recommended_opd_id",
    "recommended_opd__code",
    "recommended_opd__name",
    "activity__program__code",
    "activity__program__name",
    "activity__code",
    "activity__name",
    "rejection_code",
    "rejection_reason",
)


@dataclass
class Item:
    """One aspiration as the report sees it: its facts and the first day it reached each stage."""

    pk: int
    reference: str
    forum: str
    year: int
    first_year: int
    received_on: date
    kelurahan_id: int | None
    kelurahan: str
    kecamatan: str
    category: str
    title: str
    priority: int | None
    status: str
    opd_id: int | None
    opd_code: str
    opd_name: str
    program: str
    activity: str
    rejection_code: str
    rejection_reason: str
    reached_on: dict[str, date] = field(default_factory=dict)
    rejected_from: str = ""

    def reached(self, stage: str) -> bool:
        """Whether the aspiration reached ``stage`` (a stage of :data:`PATH`)."""
        if self.status == Status.REJECTED:
            last = self.rejected_from if self.rejected_from in PATH else Status.RECEIVED
        else:
            last = self.status
        return PATH.index(stage) <= PATH.index(last)

    @property
    def carried_over(self) -> bool:
        return self.first_year < self.year

    @property
    def activity_path(self) -> str:
        """The activity that took it up, as "program › activity" ("" before acceptance)."""
        if not self.activity:
            return ""
        return f"{self.program} › {self.activity}" if self.program else self.activity


@dataclass
class Counts:
    """The count columns of one row of a table."""

    stages: dict[str, int] = field(default_factory=lambda: {s: 0 for s, _l in COUNTED})
    rejected: int = 0
    by_reason: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(RejectionCode.values, 0)
    )
    carried_over: int = 0

    def add(self, item: Item) -> None:
        for stage in self.stages:
            if item.reached(stage):
                self.stages[stage] += 1
        if item.status == Status.REJECTED:
            self.rejected += 1
            if item.rejection_code in self.by_reason:
                self.by_reason[item.rejection_code] += 1
        if item.carried_over:
            self.carried_over += 1

    def values(self) -> list[int]:
        """The columns in order: stages, rejected, each reason code, carried over."""
        return [
            *self.stages.values(),
            self.rejected,
            *self.by_reason.values(),
            self.carried_over,
        ]


@dataclass
class Row:
    label: str
    #: The kecamatan, in the table per kelurahan ("" elsewhere).
    group: str = ""
    counts: Counts = field(default_factory=Counts)
    #: The row of aspirations without a kelurahan, or not yet recommended to an OPD.
    is_rest: bool = False


@dataclass
class Table:
    rows: list[Row]
    total: Counts


@dataclass(frozen=True)
class StepTime:
    label: str
    #: The median of the days, None when no aspiration made the step.
    median: Decimal | None
    #: How many aspirations the median is over.
    count: int


@dataclass
class Report:
    region: Region
    year: int
    years: list[int]
    items: list[Item]
    by_forum: Table
    by_kelurahan: Table
    by_opd: Table
    times: list[StepTime]


def median(values: Sequence[int]) -> Decimal | None:
    """The middle of ``values``: for an even count, the mean of the two middle values (so 1, 2,
    4, 5 gives 3, and 1, 2 gives 1.5, exactly); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2


def column_headings() -> list[str]:
    """The headings of the count columns, in the order of :meth:`Counts.values`."""
    return [
        *(str(label) for _s, label in COUNTED),
        str(_("Rejected")),
        *(str(label) for label in RejectionCode.labels),
        str(_("Carried over")),
    ]


# --- the reads --------------------------------------------------------------------------------


def report_years(region: Region) -> tuple[list[int], int]:
    """The plan years with aspirations in ``region``, latest first, and the year shown by
    default: the latest (the default plan year when there is none). One query."""
    years = list(
        Aspiration.objects.filter(region=region)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return years, years[0] if years else settings.RENJA_DEFAULT_YEAR


def _day(at: datetime) -> date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def _items(region: Region, year: int) -> list[Item]:
    rows = (
        Aspiration.objects.filter(region=region, year=year)
        .order_by("reference")
        .values_list(*FIELDS)
    )
    items = []
    for values in rows:
        (pk, reference, forum, plan_year, first_year, received_on, kelurahan_id, kelurahan,
         kecamatan, category, title, priority, status, opd_id, opd_code, opd_name,
         program_code, program_name, activity_code, activity_name, code, reason) = values  # fmt: skip
        items.append(
            Item(
                pk=pk,
                reference=reference,
                forum=forum,
                year=plan_year,
                first_year=first_year,
                received_on=received_on,
                kelurahan_id=kelurahan_id,
                kelurahan=kelurahan or "",
                kecamatan=kecamatan or "",
                category=category,
                title=title,
                priority=priority,
                status=status,
                opd_id=opd_id,
                opd_code=opd_code or "",
                opd_name=opd_name or "",
                program=_labelled(program_code, program_name),
                activity=_labelled(activity_code, activity_name),
                rejection_code=code,
                rejection_reason=reason,
            )
        )
    return items


def _labelled(code: str | None, name: str | None) -> str:
    return " ".join(part for part in (code, name) if part)


def _add_events(region: Region, year: int, items: list[Item]) -> None:
    """Each item's first day into each stage, and the stage it was rejected at."""
    by_pk = {item.pk: item for item in items}
    events = (
        AspirationEvent.objects.filter(
            aspiration__region=region, aspiration__year=year, kind__in=STAGE_KINDS
        )
        .order_by("at", "pk")
        .values_list("aspiration_id", "from_status", "to_status", "at")
    )
    for aspiration_id, from_status, to_status, at in events:
        item = by_pk.get(aspiration_id)
        if item is None:
            continue
        item.reached_on.setdefault(to_status, _day(at))
        if to_status == Status.REJECTED:
            item.rejected_from = from_status


def _kelurahan(region: Region) -> list[Kelurahan]:
    return list(
        Kelurahan.objects.filter(kecamatan__region=region)
        .select_related("kecamatan")
        .order_by("kecamatan__name", "name")
    )


def build(region: Region, year: int, years: list[int]) -> Report:
    """The report of ``region``'s aspirations of plan ``year``: three queries."""
    items = _items(region, year)
    _add_events(region, year, items)
    return Report(
        region=region,
        year=year,
        years=years,
        items=items,
        by_forum=by_forum(items),
        by_kelurahan=by_kelurahan(items, _kelurahan(region)),
        by_opd=by_opd(items),
        times=step_times(items),
    )


# --- the figures (no query) -------------------------------------------------------------------


def _table(rows: dict[object, Row], items: Iterable[Item], key: str) -> Table:
    """``rows`` (keyed by the item attribute ``key``) with each item counted in its row."""
    total = Counts()
    for item in items:
        rows[getattr(item, key)].counts.add(item)
        total.add(item)
    return Table(rows=list(rows.values()), total=total)


def by_forum(items: Sequence[Item]) -> Table:
    """One row per forum, every forum listed."""
    rows: dict[object, Row] = {
        value: Row(label=str(label)) for value, label in AspirationForum.choices
    }
    return _table(rows, items, "forum")


def by_kelurahan(items: Sequence[Item], kelurahan: Sequence[Kelurahan]) -> Table:
    """One row per kelurahan of the region (by kecamatan, then name; those without any
    aspiration show 0), then the aspirations without a kelurahan (a city forum's), if any."""
    rows: dict[object, Row] = {k.pk: Row(label=k.name, group=k.kecamatan.name) for k in kelurahan}
    for item in items:  # a kelurahan of another region: not expected, still counted
        if item.kelurahan_id is not None and item.kelurahan_id not in rows:
            rows[item.kelurahan_id] = Row(label=item.kelurahan, group=item.kecamatan)
    if any(item.kelurahan_id is None for item in items):
        rows[None] = Row(label=str(_("No kelurahan (city-wide forum)")), is_rest=True)
    return _table(rows, items, "kelurahan_id")


def by_opd(items: Sequence[Item]) -> Table:
    """One row per OPD recommended (by code), then those not recommended to an OPD, if any."""
    named = sorted({(i.opd_code, i.opd_name, i.opd_id) for i in items if i.opd_id is not None})
    rows: dict[object, Row] = {pk: Row(label=name, group=code) for code, name, pk in named}
    if any(item.opd_id is None for item in items):
        rows[None] = Row(label=str(_("Not recommended to an OPD")), is_rest=True)
    return _table(rows, items, "opd_id")


def _end(item: Item, stage: str) -> date | None:
    if stage != "accepted_or_rejected":
        return item.reached_on.get(stage)
    ends = [item.reached_on[s] for s in (Status.ACCEPTED, Status.REJECTED) if s in item.reached_on]
    return min(ends) if ends else None


def step_times(items: Sequence[Item]) -> list[StepTime]:
    """The median days of each step of :data:`STEPS`, over the aspirations that made it."""
    times = []
    for start, end, label in STEPS:
        days = []
        for item in items:
            began = item.received_on if start == Status.RECEIVED else item.reached_on.get(start)
            ended = _end(item, end)
            if began is not None and ended is not None:
                days.append((ended - began).days)
        times.append(StepTime(label=str(label), median=median(days), count=len(days)))
    return times
