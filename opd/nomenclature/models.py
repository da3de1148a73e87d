"""Nomenclature versions, their codes, and the crosswalk from an old code to its successor.

Program and activity codes are issued by a regulation (Permendagri 13/2006, used up to 2019's
plans; Permendagri 90/2019 and the decrees that update it). A version covers a span of plan
years; its codes are loaded from a CSV the operator supplies (``manage.py load_nomenclature``),
and the crosswalk between two versions likewise (``manage.py load_crosswalk``). Two versions
never cover the same year: the loader refuses an overlapping span, and so does the admin form
(:meth:`NomenclatureVersion.clean`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from targets.years import year_in_range

#: A code: dot-separated segments of digits, or of X for the programs common to every
#: government affair (Permendagri 90/2019's ``X.XX.01``).
CODE_PATTERN = r"^[0-9X]+(\.[0-9X]+)*$"


class CodeKind(models.TextChoices):
    PROGRAM = "program", _("Program")
    ACTIVITY = "activity", _("Activity (kegiatan)")
    SUB_ACTIVITY = "sub-activity", _("Sub-activity (sub kegiatan)")


class NomenclatureVersionQuerySet(models.QuerySet["NomenclatureVersion"]):
    def covering(self, year: int) -> NomenclatureVersionQuerySet:
        """The versions whose span holds ``year`` (at most one, by the loader's rule)."""
        return self.filter(Q(last_year__isnull=True) | Q(last_year__gte=year), first_year__lte=year)

    def overlapping(self, first_year: int, last_year: int | None) -> NomenclatureVersionQuerySet:
        """The versions whose span shares a year with ``first_year``–``last_year`` (open-ended
        when ``last_year`` is None)."""
        rows = self.filter(Q(last_year__isnull=True) | Q(last_year__gte=first_year))
        return rows if last_year is None else rows.filter(first_year__lte=last_year)


class NomenclatureVersion(models.Model):
    """One issue of the codes: the regulation and the plan years it governs."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    regulation = models.CharField(_("regulation"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(
        _("last year"), null=True, blank=True, help_text=_("Empty while the version is in force.")
    )

    objects = NomenclatureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomenclature version")
        verbose_name_plural = _("nomenclature versions")
        ordering = ["first_year"]
        constraints = [
            models.CheckConstraint(
                condition=year_in_range("first_year")
                & (Q(last_year__isnull=True) | year_in_range("last_year")),
                name="nomenclature_version_years_plausible",
            ),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("first_year")),
                name="nomenclature_version_years_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(regulation=""),
                name="nomenclature_version_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.first_year is None or (
            self.last_year is not None and self.last_year < self.first_year
        ):
            return
        others = NomenclatureVersion.objects.overlapping(self.first_year, self.last_year)
        clash = others.exclude(pk=self.pk).first()
        if clash is not None:
            raise ValidationError(overlap_message(clash))


def overlap_message(clash: NomenclatureVersion) -> str:
    end = clash.last_year if clash.last_year is not None else "…"
    return str(
        _("The years overlap those of %(name)s (%(first)s–%(last)s): one version per year.")
        % {"name": clash.name, "first": clash.first_year, "last": end}
    )


class NomenclatureCode(models.Model):
    """A program, activity or sub-activity code of a version, with its official name."""

    Kind = CodeKind

    version = models.ForeignKey(
        NomenclatureVersion,
        models.CASCADE,
        related_name="codes",
        verbose_name=_("nomenclature version"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CodeKind.choices)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=500)

    class Meta:
        verbose_name = _("nomenclature code")
        verbose_name_plural = _("nomenclature codes")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "code"], name="nomenclature_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CodeKind.values), name="nomenclature_code_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN), name="nomenclature_code_format"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="nomenclature_code_named"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Crosswalk(models.Model):
    """An old code and its successor in a later version (a code may split into several)."""

    old = models.ForeignKey(
        NomenclatureCode, models.CASCADE, related_name="successors", verbose_name=_("old code")
    )
    new = models.ForeignKey(
        NomenclatureCode, models.CASCADE, related_name="predecessors", verbose_name=_("new code")
    )

    class Meta:
        verbose_name = _("nomenclature crosswalk")
        verbose_name_plural = _("nomenclature crosswalk")
        ordering = ["old", "new"]
        constraints = [
            models.UniqueConstraint(fields=["old", "new"], name="crosswalk_unique"),
            models.CheckConstraint(condition=~Q(old=F("new")), name="crosswalk_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.old.code} → {self.new.code}"
