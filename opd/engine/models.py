"""The contribution engine's records: per (indicator, year) a state row (dirty or not, the
current snapshot) and the snapshots kept as history, each with one row per OPD.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from opd.agencies.models import Opd
from opd.digits import AMOUNT, DEDUP, FIGURE, MONEY
from opd.engine.method import COUNTED_STATUSES
from opd.workplans.models import WorkPlanStatus
from targets.models import Indicator, year_in_range


class SnapshotStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    MISSED = "missed", _("Missed")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("Not enough data")


# Half the last place of the deduplicated figures (4 places): the tolerance of a check comparing
# computed differences, which SQLite evaluates in floating point (PostgreSQL exactly).
HALF_PLACE = Value(Decimal("0.00005"))


class StatusBasis(models.TextChoices):
    """Which coverage decided the status: the sum of claims, or the deduplicated figure (used
    whenever any counted activity has a beneficiary list; design section 7)."""

    GROSS = "gross", _("Sum of the claims")
    DEDUPLICATED = "deduplicated", _("Deduplicated by the beneficiary lists")


class ContributionSnapshot(models.Model):
    """A stored result of the contribution computation for one indicator and year.

    Kept as history: a recomputation with changed inputs adds a snapshot; the
    newest one per (indicator, year) is the current one.
    """

    Status = SnapshotStatus

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="snapshots", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(
        _("sequence"), help_text=_("1 for the first snapshot of the indicator and year, then 2, …")
    )
    computed_at = models.DateTimeField(_("computed at"))
    fingerprint = models.CharField(_("inputs fingerprint"), max_length=64)
    inputs = models.JSONField(_("inputs"), default=dict)
    target_value = models.DecimalField(_("target T"), null=True, blank=True, **FIGURE)
    target_kind = models.CharField(_("kind of target"), max_length=12, blank=True)
    reference_value = models.DecimalField(_("reference R"), null=True, blank=True, **FIGURE)
    reference_year = models.PositiveSmallIntegerField(_("year of R"), null=True, blank=True)
    required_change = models.DecimalField(_("required change D"), null=True, blank=True, **FIGURE)
    population = models.PositiveIntegerField(_("population P"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("year of P"), null=True, blank=True)
    required = models.DecimalField(
        _("required N"),
        null=True,
        blank=True,
        help_text=_("Persons for a population-share indicator, else the indicator's unit."),
        **FIGURE,
    )
    planned_total = models.DecimalField(_("planned total"), default=0, **AMOUNT)
    planned_submitted_total = models.DecimalField(_("planned (submitted)"), default=0, **AMOUNT)
    planned_approved_total = models.DecimalField(_("planned (approved)"), default=0, **AMOUNT)
    achieved_total = models.DecimalField(_("achieved total"), default=0, **AMOUNT)
    coverage = models.DecimalField(
        _("coverage"), null=True, blank=True, max_digits=12, decimal_places=6
    )
    actual_value = models.DecimalField(_("actual of the year"), null=True, blank=True, **FIGURE)
    projected_planned = models.DecimalField(
        _("projection with the planned contributions"), null=True, blank=True, **FIGURE
    )
    projected_achieved = models.DecimalField(
        _("projection with the achieved contributions"), null=True, blank=True, **FIGURE
    )
    missing = models.CharField(_("missing inputs"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Design section 7: the figures deduplicated by the beneficiary lists, beside the gross
    # ones above (equal to them when no counted activity has a list).
    status_basis = models.CharField(
        _("status decided by"), max_length=12, choices=StatusBasis.choices, default="gross"
    )
    planned_deduplicated = models.DecimalField(_("planned, deduplicated"), default=0, **DEDUP)
    achieved_deduplicated = models.DecimalField(_("achieved, deduplicated"), default=0, **DEDUP)
    planned_approved_deduplicated = models.DecimalField(
        _("planned (approved), deduplicated"),
        default=0,
        help_text=_("The approved plans alone, as the public page counts them."),
        **DEDUP,
    )
    overlap = models.DecimalField(
        _("overlap"),
        default=0,
        help_text=_(
            "Planned persons claimed more than once: planned total − planned, deduplicated."
        ),
        **DEDUP,
    )
    coverage_deduplicated = models.DecimalField(
        _("coverage, deduplicated"), null=True, blank=True, max_digits=12, decimal_places=6
    )
    backed_share = models.DecimalField(
        _("share of the claim backed by lists"),
        null=True,
        blank=True,
        max_digits=7,
        decimal_places=4,
    )
    distinct_persons = models.PositiveIntegerField(_("distinct persons listed"), default=0)
    low_desil_share = models.DecimalField(
        _("share of listed persons in desil 1–4"),
        null=True,
        blank=True,
        max_digits=7,
        decimal_places=4,
    )
    # [{"opd_a": id, "opd_b": id, "persons": n}] with opd_a < opd_b; pairs sharing nobody left out
    overlap_matrix = models.JSONField(_("overlap between OPDs"), default=list, blank=True)
    # Activities whose claim (planned or achieved) exceeded their list: counted at w = 1.
    capped_activities = models.JSONField(
        _("activities claiming more than their list"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("contribution snapshot")
        verbose_name_plural = _("contribution snapshots")
        ordering = ["indicator", "year", "-computed_at"]
        get_latest_by = "computed_at"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "sequence"], name="snapshot_unique_sequence"
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="snapshot_sequence_positive"),
            models.CheckConstraint(
                condition=Q(status__in=SnapshotStatus.values), name="snapshot_status_valid"
            ),
            models.CheckConstraint(condition=year_in_range("year"), name="snapshot_year_plausible"),
            models.CheckConstraint(
                condition=Q(planned_total__gte=0) & Q(achieved_total__gte=0),
                name="snapshot_totals_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(planned_deduplicated__gte=0)
                & Q(planned_deduplicated__lte=F("planned_total"))
                & Q(achieved_deduplicated__gte=0)
                & Q(achieved_deduplicated__lte=F("achieved_total"))
                & Q(planned_approved_deduplicated__gte=0)
                & Q(planned_approved_deduplicated__lte=F("planned_approved_total"))
                # the gap, within half the last place: SQLite compares decimals as floats
                & Q(overlap__gte=F("planned_total") - F("planned_deduplicated") - HALF_PLACE)
                & Q(overlap__lte=F("planned_total") - F("planned_deduplicated") + HALF_PLACE),
                name="snapshot_within_gross_deduplicated",
            ),
            models.CheckConstraint(
                condition=Q(status_basis__in=StatusBasis.values), name="snapshot_basis_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "year", "-computed_at"], name="snapshot_latest")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} #{self.sequence} @ {self.computed_at:%Y-%m-%d %H:%M}"


class ContributionRow(models.Model):
    """One OPD's figures in a contribution snapshot."""

    # The method's figures for one OPD (``method.OpdResult``), stored under the same names,
    # in the order the admin, the API and the exports show them.
    FIGURES = (
        "planned",
        "planned_submitted",
        "planned_approved",
        "achieved",
        "planned_deduplicated",
        "achieved_deduplicated",
        "share",
        "aligned_budget",
        "total_budget",
        "alignment",
        "cost_per_person",
    )
    # Stored too, for the API's budgets of a plan that does not count; not shown on their own.
    PLAN_BUDGETS = ("plan_aligned_budget", "plan_total_budget")

    snapshot = models.ForeignKey(
        ContributionSnapshot, models.CASCADE, related_name="rows", verbose_name=_("snapshot")
    )
    opd = models.ForeignKey(Opd, models.CASCADE, related_name="+", verbose_name=_("OPD"))
    work_plan_status = models.CharField(_("work plan status"), max_length=10, blank=True)
    planned_submitted = models.DecimalField(_("planned (submitted)"), default=0, **AMOUNT)
    planned_approved = models.DecimalField(_("planned (approved)"), default=0, **AMOUNT)
    planned = models.DecimalField(_("planned"), default=0, **AMOUNT)
    achieved = models.DecimalField(_("achieved"), default=0, **AMOUNT)
    # Its Shapley parts of the persons on the lists + its claims without a list (section 7).
    planned_deduplicated = models.DecimalField(_("planned, deduplicated"), default=0, **DEDUP)
    achieved_deduplicated = models.DecimalField(_("achieved, deduplicated"), default=0, **DEDUP)
    share = models.DecimalField(_("share"), null=True, blank=True, max_digits=12, decimal_places=6)
    aligned_budget = models.DecimalField(_("aligned budget (Rp)"), default=0, **MONEY)
    total_budget = models.DecimalField(_("total budget (Rp)"), default=0, **MONEY)
    alignment = models.DecimalField(
        _("alignment"), null=True, blank=True, max_digits=12, decimal_places=6
    )
    cost_per_person = models.DecimalField(_("cost per person (Rp)"), null=True, blank=True, **MONEY)
    # The plan's own budgets whether it counts or not (a draft's too); the two above are 0
    # for a plan that does not count, as the method sums them.
    plan_aligned_budget = models.DecimalField(
        _("aligned budget of the plan (Rp)"), default=0, **MONEY
    )
    plan_total_budget = models.DecimalField(_("total budget of the plan (Rp)"), default=0, **MONEY)

    class Meta:
        verbose_name = _("contribution row")
        verbose_name_plural = _("contribution rows")
        ordering = ["snapshot", "-planned", "opd"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "opd"], name="contribution_row_unique_opd"),
            models.CheckConstraint(
                condition=Q(planned__gte=0)
                & Q(achieved__gte=0)
                & Q(aligned_budget__gte=0)
                & Q(total_budget__gte=0)
                & Q(plan_aligned_budget__gte=0)
                & Q(plan_total_budget__gte=0),
                name="contribution_row_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(planned_deduplicated__gte=0)
                & Q(planned_deduplicated__lte=F("planned"))
                & Q(achieved_deduplicated__gte=0)
                & Q(achieved_deduplicated__lte=F("achieved")),
                name="contribution_row_within_gross_deduplicated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} – {self.opd}"

    @property
    def counted(self) -> bool:
        """Whether the OPD's plan counts (submitted or approved): step 4 of the method."""
        return self.work_plan_status in COUNTED_STATUSES

    @property
    def achieved_approved(self) -> Decimal:
        """The OPD's achieved persons as the public sees them: an approved plan's only."""
        return self.achieved if self.work_plan_status == WorkPlanStatus.APPROVED else Decimal(0)


class ContributionStateQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def with_approved_achieved(self) -> ContributionStateQuerySet:
        """Annotate ``achieved_approved_total``: the achieved persons of the current
        snapshot's approved plans, the only achieved figure the public sees (0 when none).

        A subquery, not a join: the row count and the query count stay as they were.
        """
        approved = (
            ContributionRow.objects.filter(
                snapshot=OuterRef("snapshot_id"), work_plan_status=WorkPlanStatus.APPROVED
            )
            .order_by()
            .values("snapshot")
            .annotate(total=Sum("achieved"))
            .values("total")
        )
        field = ContributionRow._meta.get_field("achieved")
        return self.annotate(
            achieved_approved_total=Coalesce(
                Subquery(approved, output_field=field), Value(Decimal(0)), output_field=field
            )
        )

    def with_plan_counts(self) -> ContributionStateQuerySet:
        """Annotate ``approved_plans`` and ``opd_count``: of the current snapshot's OPDs (every
        OPD of the region has a row), how many had an approved plan, and how many there were.
        Subqueries, so the query count stays; 0 without a snapshot."""

        def count(**where: Any) -> Coalesce:
            rows = ContributionRow.objects.filter(snapshot=OuterRef("snapshot_id"), **where)
            number: models.IntegerField[int, int] = models.IntegerField()
            found = rows.order_by().values("snapshot").annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(found, output_field=number), Value(0), output_field=number)

        return self.annotate(
            approved_plans=count(work_plan_status=WorkPlanStatus.APPROVED), opd_count=count()
        )


class ContributionState(models.Model):
    """Whether an indicator's year needs recomputing, and which snapshot is current.

    Every change that feeds the result sets ``dirty`` in the same transaction;
    the recomputation locks this row, stores a snapshot and clears the flag.
    A periodic sweep recomputes whatever is still dirty, so a broker outage
    delays a recomputation but never loses it.
    """

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="contribution_states", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    dirty = models.BooleanField(_("recomputation pending"), default=True)
    dirty_since = models.DateTimeField(_("pending since"), null=True, blank=True)
    computed_at = models.DateTimeField(_("last computed at"), null=True, blank=True)
    snapshot = models.ForeignKey(
        ContributionSnapshot,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current snapshot"),
    )

    objects = ContributionStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution state")
        verbose_name_plural = _("contribution states")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="contribution_state_unique_year"
            ),
            models.CheckConstraint(
                condition=year_in_range("year"), name="contribution_state_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(dirty=False) | Q(dirty_since__isnull=False),
                name="contribution_state_dirty_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["dirty"], condition=Q(dirty=True), name="contribution_state_dirty")
        ]

    def __str__(self) -> str:
        flag = " *" if self.dirty else ""
        return f"{self.indicator_id} {self.year}{flag}"


def is_pending(state: ContributionState | None) -> bool:
    """Whether an (indicator, year) still owes its figures a computation: it has no state row
    yet, its row is flagged, or no snapshot is stored. The one rule behind every "pending"
    notice; it reads the row alone (``snapshot_id``), never the snapshot."""
    return state is None or state.dirty or state.snapshot_id is None
