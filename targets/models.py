"""The region, its five-year plan (RPJMD) and the plan's numbers.

This app imports nothing from ``opd``. Rules that a single row can check are
named ``CheckConstraint``/``UniqueConstraint``s; rules that need another row
(a target's year inside its plan's period, a percentage indicator's values
within 0-100) are triggers written in ``targets/rules.py`` and installed after every
``migrate`` (``magelang.db_rules``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Defined in their own modules and re-exported: Django finds the app's models here, and
# other apps import the year rule from here.
from targets.poverty import PovertyFigure as PovertyFigure
from targets.poverty import PovertyMeasure as PovertyMeasure
from targets.years import MAX_YEAR as MAX_YEAR
from targets.years import MIN_YEAR as MIN_YEAR
from targets.years import year_in_range as year_in_range


class IndicatorDirection(models.TextChoices):
    DOWN = "down", _("Lower is better")
    UP = "up", _("Higher is better")


class RegionKind(models.TextChoices):
    CITY = "kota", _("City (kota)")
    REGENCY = "kabupaten", _("Regency (kabupaten)")
    PROVINCE = "provinsi", _("Province")
    COUNTRY = "negara", _("Country")


class Region(models.Model):
    """A self-governing region (kota, kabupaten, provinsi, the country), with its Kemendagri code.

    Regions form a tree of at most three levels: a kota or kabupaten under its province, a
    province under the country (the rule ``region_parent_kind`` in ``targets.rules``).
    """

    Kind = RegionKind

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("Kemendagri code"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CITY)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
        help_text=_("A kota or kabupaten's province; a province's country."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RegionKind.values), name="region_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="region_code_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def at_or_under(named: object) -> Q:
        """The filter keeping the regions ``named`` (their ids: a subquery or a collection) and
        every region under them; the tree has at most three levels (``region_parent_kind``)."""
        return Q(pk__in=named) | Q(parent_id__in=named) | Q(parent__parent_id__in=named)


class Kecamatan(models.Model):
    """A district of a region."""

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="kecamatan_set", verbose_name=_("region")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="kecamatan_unique_name"),
            models.CheckConstraint(condition=~Q(code=""), name="kecamatan_code_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Kelurahan(models.Model):
    """An urban village (kelurahan) of a kecamatan."""

    kecamatan = models.ForeignKey(
        Kecamatan, models.PROTECT, related_name="kelurahan_set", verbose_name=_("kecamatan")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "name"], name="kelurahan_unique_name"),
            models.CheckConstraint(condition=~Q(code=""), name="kelurahan_code_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """A five-year development plan (RPJMD) of a region."""

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="plans", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    vision = models.TextField(_("vision"), blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("RPJMD plan")
        verbose_name_plural = _("RPJMD plans")
        ordering = ["region", "first_year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "first_year"], name="plan_unique_period"),
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="plan_period_ordered"
            ),
            models.CheckConstraint(
                condition=year_in_range("first_year") & year_in_range("last_year"),
                name="plan_years_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.first_year}–{self.last_year})"

    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class Mission(models.Model):
    """A mission (misi) of a plan."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="missions", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="mission_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{_('Mission')} {self.number}: {self.text}"


class Goal(models.Model):
    """A goal (tujuan) under a mission."""

    mission = models.ForeignKey(
        Mission, models.CASCADE, related_name="goals", verbose_name=_("mission")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["mission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "number"], name="goal_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{_('Goal')} {self.mission.number}.{self.number}: {self.text}"


class Objective(models.Model):
    """An objective (sasaran) under a goal; indicators measure it."""

    goal = models.ForeignKey(
        Goal, models.CASCADE, related_name="objectives", verbose_name=_("goal")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["goal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "number"], name="objective_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{_('Objective')} {self.number}: {self.text}"


class Indicator(models.Model):
    """A measured figure of a plan with a unit, a direction and yearly targets."""

    Direction = IndicatorDirection

    plan = models.ForeignKey(
        Plan, models.PROTECT, related_name="indicators", verbose_name=_("plan")
    )
    objective = models.ForeignKey(
        Objective,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("objective"),
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=30)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    is_population_share = models.BooleanField(
        _("share of the population"),
        default=False,
        help_text=_("Contributions are then counted in persons (jiwa)."),
    )
    condition = models.CharField(
        _("condition counted"),
        max_length=100,
        blank=True,
        help_text=_(
            "For a share of the population: the condition it counts, as a noun "
            "(“kemiskinan”). Contribution fields then read “Persons leaving kemiskinan”."
        ),
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=4)
    baseline_source = models.TextField(_("baseline source"), blank=True)
    record_measure = models.CharField(
        _("actuals from the poverty record"),
        max_length=20,
        blank=True,
        default="",
        choices=PovertyMeasure.choices,
        help_text=_(
            "When set, the city-wide actuals are this measure's figures in the poverty record "
            "of the plan's region (they win over an actual entered here for the same year)."
        ),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=Q(direction__in=["down", "up"]), name="indicator_direction_valid"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="indicator_code_not_empty"),
            models.CheckConstraint(
                condition=~Q(unit="%") | Q(baseline_value__gte=0, baseline_value__lte=100),
                name="indicator_percentage_baseline_0_100",
            ),
            models.CheckConstraint(
                condition=Q(is_population_share=False) | Q(unit="%"),
                name="indicator_population_share_is_percentage",
            ),
            models.CheckConstraint(
                condition=year_in_range("baseline_year"), name="indicator_baseline_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(record_measure="") | Q(record_measure__in=PovertyMeasure.values),
                name="indicator_record_measure_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    @property
    def is_percentage(self) -> bool:
        return self.unit == "%"

    def contribution_counts(self) -> str:
        """What a contribution to this indicator counts, in words, never by its code.

        A share of the population counts persons: those leaving the condition when
        lower is better ("Persons leaving kemiskinan"), those reaching it when higher
        is; without a stated condition, the persons no longer (or newly) counted by
        the indicator's name. Another indicator counts its own figure: its name.
        """
        if not self.is_population_share:
            return self.name
        down = self.direction == IndicatorDirection.DOWN
        if self.condition:
            if down:
                return _("Persons leaving %(condition)s") % {"condition": self.condition}
            return _("Persons reaching %(condition)s") % {"condition": self.condition}
        if down:
            return _("Persons no longer counted in “%(name)s”") % {"name": self.name}
        return _("Persons newly counted in “%(name)s”") % {"name": self.name}

    def contribution_unit(self) -> str:
        """The unit of a contribution: persons for a share of the population, else the indicator's."""
        return str(_("persons")) if self.is_population_share else self.unit

    def contribution_label(self) -> str:
        """What a contribution counts, with its unit: "Persons leaving kemiskinan (persons)"."""
        return f"{self.contribution_counts()} ({self.contribution_unit()})"


class Target(models.Model):
    """A stated target of an indicator for one year (interpolated years are not stored)."""

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_year"),
            models.CheckConstraint(condition=year_in_range("year"), name="target_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class Actual(models.Model):
    """A recorded value (realisasi) of an indicator for a year, city-wide or for one place."""

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="actuals", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    source = models.TextField(_("source"))
    kecamatan = models.ForeignKey(
        Kecamatan, models.PROTECT, null=True, blank=True, verbose_name=_("kecamatan")
    )
    kelurahan = models.ForeignKey(
        Kelurahan, models.PROTECT, null=True, blank=True, verbose_name=_("kelurahan")
    )

    class Meta:
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(kecamatan__isnull=True, kelurahan__isnull=True),
                name="actual_unique_year_region_wide",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "kecamatan"],
                condition=Q(kecamatan__isnull=False),
                name="actual_unique_year_kecamatan",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "kelurahan"],
                condition=Q(kelurahan__isnull=False),
                name="actual_unique_year_kelurahan",
            ),
            models.CheckConstraint(
                condition=Q(kecamatan__isnull=True) | Q(kelurahan__isnull=True),
                name="actual_one_place_level",
            ),
            models.CheckConstraint(condition=year_in_range("year"), name="actual_year_plausible"),
            models.CheckConstraint(condition=~Q(source=""), name="actual_source_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class Population(models.Model):
    """The population of a region in a year, with its source."""

    region = models.ForeignKey(
        Region, models.CASCADE, related_name="population_figures", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.PositiveIntegerField(_("population (persons)"))
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["region", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="population_unique_year"),
            models.CheckConstraint(condition=Q(value__gt=0), name="population_positive"),
            models.CheckConstraint(
                condition=year_in_range("year"), name="population_year_plausible"
            ),
            models.CheckConstraint(condition=~Q(source=""), name="population_source_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}: {self.value}"
