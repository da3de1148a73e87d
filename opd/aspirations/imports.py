"""Bulk import of aspirations: check a file, stage it, import it all or nothing.

1. :func:`check_file` reads the file (``import_rows``), loads what the rows are checked
   against in a fixed number of queries (:func:`lookups`), and checks every row
   (:func:`check_rows`, no query): every reason of every bad row, with its row number.
2. A clean file is staged (:func:`stage`): an :class:`AspirationImport` holding the checked
   rows, owned by the uploader. A bad file stores nothing.
3. ``opd.aspirations.import_jobs`` starts it once confirmed and imports it, all or nothing.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DataError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from opd.agencies import roles
from opd.aspirations.import_models import AspirationImport
from opd.aspirations.import_rows import (
    COLUMNS,
    RawRow,
    as_text,
    has_control,
    normalise,
    parse_date,
    parse_whole,
    read_file,
    without_control,
)
from opd.aspirations.models import (
    Aspiration,
    AspirationCategory,
    AspirationForum,
    ProposerKind,
)
from opd.errors import WorkflowError
from targets.models import MAX_YEAR, MIN_YEAR, Indicator, Kelurahan, Region

#: Indonesian names accepted besides the values and the labels in either language.
FORUM_ALIASES = {
    "musrenbang kel": AspirationForum.MUSRENBANG_KELURAHAN,
    "musrenbang kec": AspirationForum.MUSRENBANG_KECAMATAN,
    "konsultasi publik": AspirationForum.PUBLIC_CONSULTATION,
    "focus group discussion": AspirationForum.FGD,
}
KIND_ALIASES = {"perorangan": ProposerKind.PERSON, "kelompok": ProposerKind.GROUP}
HEADER_OF = {column.key: column.header for column in COLUMNS}

logger = logging.getLogger(__name__)


def choice_names(choices: Any, aliases: Mapping[str, str]) -> dict[str, str]:
    """Every accepted spelling (normalised) of each value of ``choices``: the value, its label
    in English and in Indonesian, and the aliases."""
    names = {normalise(alias): str(value) for alias, value in aliases.items()}
    for value, label in choices.choices:
        names[normalise(value)] = value
        for language in ("en", "id"):
            with override(language):
                names[normalise(str(label))] = value
    return names


@dataclass(frozen=True)
class Lookups:
    """What rows are checked against, loaded once per file (:func:`lookups`)."""

    region_id: int
    #: normalised kelurahan name → [(kelurahan id, normalised kecamatan name, name)]
    kelurahan: dict[str, list[tuple[int, str, str]]]
    kecamatan: frozenset[str]
    #: the kelurahan the uploader may import for; None: all of the region (Bappeda)
    allowed: frozenset[int] | None
    #: indicator code → [(id, first plan year, last plan year)]
    indicators: dict[str, list[tuple[int, int, int]]]
    #: (year, kelurahan id, normalised title) of the region's stored aspirations
    existing: frozenset[tuple[int, int | None, str]]
    forums: dict[str, str]
    categories: dict[str, str]
    kinds: dict[str, str]


@dataclass
class CleanRow:
    """A checked row, as staged (JSON) and imported."""

    row: int
    forum: str
    received_on: str
    year: int
    kelurahan: int
    kelurahan_name: str
    proposer_kind: str
    proposer: str
    proposer_contact: str
    category: str
    title: str
    description: str
    priority: int | None
    indicator: int | None


@dataclass
class BadRow:
    """A row refused, with every reason and what it says (for the person to find it)."""

    row: int
    title: str
    kelurahan: str
    reasons: list[str]


def default_region() -> Region:
    """The deployment's region (``DEFAULT_REGION_CODE``), for the benchmark's generated file."""
    from django.conf import settings

    return Region.objects.get(code=settings.DEFAULT_REGION_CODE)


def may_import(user: Any) -> bool:
    """The Bappeda of a kota or kabupaten (for the region it reviews; a province's only reads),
    or staff of some kelurahan or kecamatan (for their area only)."""
    return roles.reviewed_region_id(user) is not None or bool(roles.area_kelurahan_ids(user))


def import_regions(user: Any) -> list[Region]:
    """The regions ``user`` imports aspirations for, by code: the one its Bappeda reviews and
    those of the user's area. One query (with the region Bappeda reviews, read once), cached
    for the request."""
    from opd.models import AreaStaff

    cached = user.__dict__.get("_import_regions")
    if cached is None:
        area = AreaStaff.objects.filter(user=user).filter(
            Q(kelurahan__kecamatan__region=OuterRef("pk")) | Q(kecamatan__region=OuterRef("pk"))
        )
        reviewed = Q(pk=roles.reviewed_region_id(user))
        cached = list(Region.objects.filter(reviewed | Q(Exists(area))).order_by("code"))
        user.__dict__["_import_regions"] = cached
    return cached  # type: ignore[no-any-return]


def lookups(*, user: Any, region: Region, years: Iterable[int]) -> Lookups:
    """Everything :func:`check_rows` needs, in four queries (plus the uploader's area)."""
    kelurahan: dict[str, list[tuple[int, str, str]]] = {}
    kecamatan: set[str] = set()
    for pk, name, kecamatan_name in Kelurahan.objects.filter(kecamatan__region=region).values_list(
        "pk", "name", "kecamatan__name"
    ):
        kelurahan.setdefault(normalise(name), []).append((pk, normalise(kecamatan_name), name))
        kecamatan.add(normalise(kecamatan_name))
    indicators: dict[str, list[tuple[int, int, int]]] = {}
    for pk, code, first, last in Indicator.objects.filter(plan__region=region).values_list(
        "pk", "code", "plan__first_year", "plan__last_year"
    ):
        indicators.setdefault(normalise(code), []).append((pk, first, last))
    existing = frozenset(
        (year, kelurahan_id, normalise(title))
        for year, kelurahan_id, title in Aspiration.objects.filter(
            region=region, year__in=sorted(set(years))
        ).values_list("year", "kelurahan_id", "title")
    )
    return Lookups(
        region_id=region.pk,
        kelurahan=kelurahan,
        kecamatan=frozenset(kecamatan),
        allowed=None if roles.reviews_region(user, region.pk) else roles.area_kelurahan_ids(user),
        indicators=indicators,
        existing=existing,
        forums=choice_names(AspirationForum, FORUM_ALIASES),
        categories=choice_names(AspirationCategory, {}),
        kinds=choice_names(ProposerKind, KIND_ALIASES),
    )


def file_years(rows: list[RawRow]) -> set[int]:
    return {year for row in rows if (year := parse_whole(row.cells.get("year"))) is not None}


def check_rows(rows: list[RawRow], found: Lookups) -> tuple[list[CleanRow], list[BadRow]]:
    """Each row checked against ``found`` (no query): the clean rows, and every bad row with
    every reason. A file is clean when the second list is empty."""
    clean: list[CleanRow] = []
    bad: list[BadRow] = []
    seen: dict[tuple[int, int, str], int] = {}
    for raw in rows:
        reasons: list[str] = []
        row = _check_row(raw, found, reasons)
        if row is not None:
            key = (row.year, row.kelurahan, normalise(row.title))
            if key in found.existing:
                reasons.append(
                    _(
                        "An aspiration with this title is already recorded for this kelurahan "
                        "and year."
                    )
                )
            elif key in seen:
                reasons.append(
                    _("Same title, kelurahan and year as row %(row)s.") % {"row": seen[key]}
                )
            else:
                seen[key] = raw.number
        if reasons or row is None:
            bad.append(
                BadRow(
                    row=raw.number,
                    title=without_control(as_text(raw.cells.get("title"))),
                    kelurahan=without_control(as_text(raw.cells.get("kelurahan"))),
                    reasons=reasons,
                )
            )
        else:
            clean.append(row)
    return clean, bad


def _check_row(raw: RawRow, found: Lookups, reasons: list[str]) -> CleanRow | None:
    """The row checked, or None with its reasons appended to ``reasons``.

    A cell holding a control character (NUL and the like: invisible, and refused by the
    database) is a reason naming its column; a description may hold tabs and line breaks. The
    other reasons quote the cells without their control characters."""
    cells: dict[str, str] = {}
    for key, value in raw.cells.items():
        text = as_text(value)
        if has_control(key, text):
            reasons.append(
                _(
                    "The column “%(column)s” holds an invisible control character: "
                    "type the cell again."
                )
                % {"column": HEADER_OF[key]}
            )
            text = without_control(text)
        cells[key] = text
    forum = found.forums.get(normalise(cells.get("forum", "")))
    if forum is None:
        reasons.append(
            _("Unknown forum “%(value)s”.") % {"value": cells.get("forum", "")}
            if cells.get("forum")
            else _("The forum is missing.")
        )
    received_on = parse_date(raw.cells.get("received_on"))
    if received_on is None:
        reasons.append(
            _("Bad forum date “%(value)s”: write dd/mm/yyyy or yyyy-mm-dd.")
            % {"value": cells.get("received_on", "")}
            if cells.get("received_on")
            else _("The forum date is missing.")
        )
    year = parse_whole(raw.cells.get("year"))
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        reasons.append(_("Bad plan year “%(value)s”.") % {"value": cells.get("year", "")})
        year = None
    kelurahan = _kelurahan(cells, found, reasons)
    kind = found.kinds.get(normalise(cells.get("proposer_kind", "")))
    if kind is None:
        reasons.append(
            _("Unknown proposer kind “%(value)s”: write perorangan or kelompok.")
            % {"value": cells.get("proposer_kind", "")}
        )
    category = (
        found.categories.get(normalise(cells["category"]))
        if cells.get("category")
        else AspirationCategory.OTHER
    )
    if category is None:
        reasons.append(_("Unknown category “%(value)s”.") % {"value": cells["category"]})
    title = cells.get("title", "")
    if not title:
        reasons.append(_("The title is missing."))
    _length(reasons, title, 300, _("The title"))
    proposer = cells.get("proposer", "")
    if not proposer:
        reasons.append(_("The proposer's name is missing."))
    _length(reasons, proposer, 200, _("The proposer's name"))
    contact = cells.get("proposer_contact", "")
    _length(reasons, contact, 200, _("The proposer's contact"))
    priority = parse_whole(raw.cells.get("priority")) if cells.get("priority") else None
    if cells.get("priority") and (priority is None or not 1 <= priority <= 32767):
        reasons.append(
            _("Bad priority “%(value)s”: write a whole number from 1.")
            % {"value": cells["priority"]}
        )
    indicator = _indicator(cells.get("indicator", ""), year, found, reasons)
    if reasons:
        return None
    assert forum and received_on and year and kelurahan and kind and category  # noqa: S101
    return CleanRow(
        row=raw.number,
        forum=forum,
        received_on=received_on.isoformat(),
        year=year,
        kelurahan=kelurahan[0],
        kelurahan_name=kelurahan[2],
        proposer_kind=kind,
        proposer=proposer,
        proposer_contact=contact,
        category=category,
        title=title,
        description=cells.get("description", ""),
        priority=priority,
        indicator=indicator,
    )


def _length(reasons: list[str], value: str, limit: int, what: str) -> None:
    if len(value) > limit:
        reasons.append(
            _("%(what)s is longer than %(limit)s characters.") % {"what": what, "limit": limit}
        )


def _kelurahan(
    cells: dict[str, str], found: Lookups, reasons: list[str]
) -> tuple[int, str, str] | None:
    name, kecamatan = cells.get("kelurahan", ""), normalise(cells.get("kecamatan", ""))
    if not name:
        reasons.append(_("The kelurahan is missing."))
        return None
    if kecamatan and kecamatan not in found.kecamatan:
        reasons.append(_("Unknown kecamatan “%(name)s”.") % {"name": cells["kecamatan"]})
        return None
    matches = [
        match
        for match in found.kelurahan.get(normalise(name), [])
        if not kecamatan or match[1] == kecamatan
    ]
    if not matches:
        reasons.append(
            _("Unknown kelurahan “%(name)s” in kecamatan %(kecamatan)s.")
            % {"name": name, "kecamatan": cells["kecamatan"]}
            if kecamatan
            else _("Unknown kelurahan “%(name)s”.") % {"name": name}
        )
        return None
    if len(matches) > 1:
        reasons.append(
            _("Two kecamatan have a kelurahan “%(name)s”: name the kecamatan.") % {"name": name}
        )
        return None
    if found.allowed is not None and matches[0][0] not in found.allowed:
        reasons.append(
            _("You do not act for kelurahan %(name)s: import only your own area's aspirations.")
            % {"name": matches[0][2]}
        )
        return None
    return matches[0]


def _indicator(code: str, year: int | None, found: Lookups, reasons: list[str]) -> int | None:
    if not code:
        return None
    for pk, first, last in found.indicators.get(normalise(code), []):
        if year is not None and first <= year <= last:
            return pk
    reasons.append(_("Unknown indicator code “%(code)s” for the plan year.") % {"code": code})
    return None


@dataclass
class Checked:
    """A file checked: its clean rows, its bad rows, and the region they are for."""

    clean: list[CleanRow]
    bad: list[BadRow]
    region_id: int


def check_file(*, user: Any, name: str, data: bytes, region: Region | None = None) -> Checked:
    """Read and check a file of aspirations of ``region`` (by default the first of the user's,
    :func:`import_regions`). Raises ``ImportFileError`` for a file that cannot be read,
    ``PermissionDenied`` for someone who may not import for ``region`` (its Bappeda, or staff
    of an area in it)."""
    regions = import_regions(user) if may_import(user) else []
    if region is None and regions:
        region = next((r for r in regions if roles.reviews_region(user, r.pk)), regions[0])
    if region is None or region not in regions:
        raise PermissionDenied(
            _("Only Bappeda and kelurahan or kecamatan staff can import aspirations.")
        )
    rows = read_file(name, data)
    clean, bad = check_rows(rows, lookups(user=user, region=region, years=file_years(rows)))
    return Checked(clean=clean, bad=bad, region_id=region.pk)


def summarise(rows: list[CleanRow]) -> dict[str, list[list[Any]]]:
    """How many rows per kelurahan (by name) and per forum (by value), most first."""
    return {
        "kelurahan": [list(pair) for pair in Counter(r.kelurahan_name for r in rows).most_common()],
        "forum": [list(pair) for pair in Counter(r.forum for r in rows).most_common()],
    }


def stage(*, user: Any, name: str, checked: Checked) -> AspirationImport:
    """Keep a clean file's rows, owned by ``user``, until confirmed (or a day has passed).

    Raises WorkflowError for a file with a bad row, and for rows the database refuses (which
    the check should have caught): its log names neither the rows nor the database's message,
    which quotes them."""
    rows = checked.clean
    if checked.bad or not rows:
        raise WorkflowError(_("Only a file without a bad row can be imported."))
    try:
        with transaction.atomic():
            return AspirationImport.objects.create(
                region_id=checked.region_id,
                uploaded_by=user,
                file_name=without_control(name)[:255],
                rows=[asdict(row) for row in rows],
                row_count=len(rows),
                summary=summarise(rows),
            )
    except (DataError, ValueError):
        # psycopg2 raises ValueError for NUL in a text parameter, PostgreSQL DataError for
        # NUL in JSON: either message may quote a row, so neither is logged.
        logger.warning("an aspiration import of %s rows was refused by the database", len(rows))
        raise WorkflowError(
            _("The file holds characters that cannot be stored: nothing was imported.")
        ) from None
