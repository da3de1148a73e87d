"""Community aspirations (usulan) from Musrenbang, public consultation and FGD."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opd.workplans.models import Activity
from targets.models import Kelurahan, Region, year_in_range


class AspirationForum(models.TextChoices):
    MUSRENBANG_KELURAHAN = "musrenbang_kelurahan", _("Musrenbang kelurahan")
    MUSRENBANG_KECAMATAN = "musrenbang_kecamatan", _("Musrenbang kecamatan")
    MUSRENBANG_KOTA = "musrenbang_kota", _("Musrenbang kota")
    PUBLIC_CONSULTATION = "konsultasi_publik", _("Public consultation")
    FGD = "fgd", _("Focus group discussion (FGD)")


class AspirationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted into a plan")
    REJECTED = "rejected", _("Rejected")


class Aspiration(models.Model):
    """A community proposal (usulan) from a forum, and what became of it."""

    Forum = AspirationForum
    Status = AspirationStatus

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="aspirations", verbose_name=_("region")
    )
    reference = models.CharField(_("public reference number"), max_length=40, unique=True)
    forum = models.CharField(_("forum"), max_length=30, choices=Forum.choices)
    year = models.PositiveSmallIntegerField(_("plan year"))
    kelurahan = models.ForeignKey(
        Kelurahan,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="aspirations",
        verbose_name=_("kelurahan"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    proposer = models.CharField(_("proposer"), max_length=200)
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    activity = models.ForeignKey(
        Activity,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="aspirations",
        verbose_name=_("activity that took it up"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("aspiration (usulan)")
        verbose_name_plural = _("aspirations (usulan)")
        ordering = ["-received_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(forum__in=AspirationForum.values), name="aspiration_forum_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AspirationStatus.values), name="aspiration_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="aspiration_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(activity__isnull=False),
                name="aspiration_accepted_has_activity",
            ),
            models.CheckConstraint(
                condition=year_in_range("year"), name="aspiration_year_plausible"
            ),
            models.CheckConstraint(
                condition=~Q(reference=""), name="aspiration_reference_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"
