"""The region's poverty record: BPS's poverty statistics as facts of the region, not of a plan.

One row per region, year and measure (:class:`PovertyMeasure`), so every figure carries its
own source and, when known, its release date. A plan covers five years; the record holds
the city's whole series, before and after any plan. Figures that were not published (or
not found) are simply absent: nothing here fills a gap, and no rate is ever computed from
a head count (BPS's population basis differs from the portal's).

A plan's indicator may read its city-wide actuals from the record
(``Indicator.record_measure``): :func:`actuals_for` is that one read.

This module imports nothing of ``targets.models`` (which imports it, so that Django finds
the model), only the year rule of ``targets.years``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q, Value
from django.utils.translation import gettext_lazy as _

from targets.formats import figure, rupiah
from targets.years import year_in_range

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from targets.models import Indicator, Region


class PovertyMeasure(models.TextChoices):
    """The published poverty statistics, in the order BPS's releases list them."""

    RATE = "p0", _("Poverty rate (P0)")
    POOR_PERSONS = "poor_persons", _("Poor persons")
    POVERTY_LINE = "poverty_line", _("Poverty line")
    DEPTH = "p1", _("Poverty depth index (P1)")
    SEVERITY = "p2", _("Poverty severity index (P2)")
    EXTREME_RATE = "extreme_rate", _("Extreme poverty rate")
    EXTREME_PERSONS = "extreme_persons", _("Extreme poor persons")


RATES = (PovertyMeasure.RATE, PovertyMeasure.EXTREME_RATE)
"""Measures that are a percentage of the population: at most 100."""

PERSONS = (PovertyMeasure.POOR_PERSONS, PovertyMeasure.EXTREME_PERSONS)


def measure_unit(measure: str) -> StrOrPromise:
    """The unit a measure is stated in: "%", "persons", "Rp per capita per month", or "" (an index)."""
    if measure in RATES:
        return "%"
    if measure in PERSONS:
        return _("persons")
    if measure == PovertyMeasure.POVERTY_LINE:
        return _("Rp per capita per month")
    return ""


def display_value(measure: str, value: Decimal) -> str:
    """A figure as the record's table shows it, in the active locale: a rate and an index with
    two decimals (``7,10``), persons whole (``8.650``), the poverty line in Rupiah."""
    if measure in PERSONS:
        return figure(value, 0)
    if measure == PovertyMeasure.POVERTY_LINE:
        return rupiah(value)
    return figure(value, 2)


class PovertyFigure(models.Model):
    """One published poverty figure of a region for a year, with its source and release date."""

    Measure = PovertyMeasure

    region = models.ForeignKey(
        "targets.Region",
        models.CASCADE,
        related_name="poverty_figures",
        verbose_name=_("region"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    source = models.TextField(_("source"))
    released_on = models.DateField(
        _("released on"),
        null=True,
        blank=True,
        help_text=_("The day the source published the figure, when known."),
    )

    class Meta:
        verbose_name = _("poverty figure")
        verbose_name_plural = _("poverty record")
        ordering = ["region", "year", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "measure"], name="poverty_figure_unique_measure"
            ),
            models.CheckConstraint(
                condition=Q(measure__in=PovertyMeasure.values), name="poverty_figure_measure_valid"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="poverty_figure_value_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(measure__in=RATES) | Q(value__lte=100),
                name="poverty_figure_rate_at_most_100",
            ),
            models.CheckConstraint(
                condition=year_in_range("year"), name="poverty_figure_year_plausible"
            ),
            models.CheckConstraint(condition=~Q(source=""), name="poverty_figure_source_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.get_measure_display()}: {self.value}"


def actuals_for(indicator: Indicator) -> dict[int, Decimal]:
    """The city-wide actuals of ``indicator``, ``{year: value}``: the engine's one read of them
    (:func:`actuals_with_sources` without the sources). One query."""
    return {year: value for year, (value, _source) in actuals_with_sources(indicator).items()}


def actuals_with_sources(indicator: Indicator) -> dict[int, tuple[Decimal, str]]:
    """The city-wide actuals of ``indicator``, ``{year: (value, source)}`` in year order.

    The indicator's own city-wide ``Actual`` rows (no kecamatan, no kelurahan), merged with,
    when it names a ``record_measure``, that measure's figures in the record of its plan's
    region; for a year present in both, **the record wins** (it is the region's published
    figure; an ``Actual`` row is the plan's copy). Every year of either is returned, also
    those outside the plan's period. One query; the engine and the pages read by this rule.
    """
    own = indicator.actuals.filter(kecamatan__isnull=True, kelurahan__isnull=True)
    fields = ("year", "value", "source", "from_record")
    # Ordering cleared on both sides: SQLite refuses an ORDER BY inside a compound statement.
    rows = own.order_by().annotate(from_record=Value(False)).values_list(*fields)
    if indicator.record_measure:
        # By the plan's id, joined: no query for the plan when the caller has not loaded it.
        record = PovertyFigure.objects.filter(
            region__plans=indicator.plan_id, measure=indicator.record_measure
        )
        rows = rows.union(
            record.order_by().annotate(from_record=Value(True)).values_list(*fields), all=True
        )
    merged: dict[int, tuple[Decimal, str]] = {}
    # Record rows last, so they overwrite the plan's own row of the same year.
    for year, value, source, _from_record in sorted(rows, key=lambda row: row[3]):
        merged[year] = (value, source)
    return dict(sorted(merged.items()))


# --- the record as a table -----------------------------------------------------------------------


@dataclass(frozen=True)
class RecordCell:
    """One figure of the table: its text and the number of its note (source, release date)."""

    text: str
    note: int


@dataclass(frozen=True)
class RecordNote:
    number: int
    source: str
    released_on: date | None


@dataclass(frozen=True)
class RecordRow:
    year: int
    cells: list[RecordCell | None]  # in the order of PovertyRecord.measures; None: not released


@dataclass(frozen=True)
class PovertyRecord:
    """A region's record as a table: every year from the first to the last recorded (a year
    without any figure is a row of empty cells), every measure a column, each figure pointing
    at its note; notes are numbered in order of first use."""

    measures: list[tuple[str, StrOrPromise, StrOrPromise]]  # value, label, unit
    rows: list[RecordRow]
    notes: list[RecordNote]


def region_record(region: Region | int) -> PovertyRecord:
    """The region's poverty record shaped for a page: one query, whatever the number of years."""
    figures = list(PovertyFigure.objects.filter(region=region).order_by("year"))
    measures: list[tuple[str, StrOrPromise, StrOrPromise]] = [
        (value, label, measure_unit(value)) for value, label in PovertyMeasure.choices
    ]
    by_year: dict[int, dict[str, PovertyFigure]] = {}
    for row in figures:
        by_year.setdefault(row.year, {})[row.measure] = row
    notes: dict[tuple[str, date | None], RecordNote] = {}
    rows = []
    if by_year:
        for year in range(min(by_year), max(by_year) + 1):
            cells: list[RecordCell | None] = []
            for measure, _label, _unit in measures:
                found = by_year.get(year, {}).get(measure)
                if found is None:
                    cells.append(None)
                    continue
                key = (found.source, found.released_on)
                if key not in notes:
                    notes[key] = RecordNote(len(notes) + 1, found.source, found.released_on)
                cells.append(RecordCell(display_value(measure, found.value), notes[key].number))
            rows.append(RecordRow(year, cells))
    return PovertyRecord(measures=measures, rows=rows, notes=list(notes.values()))
