"""Community aspirations (usulan) from Musrenbang, public consultation and FGD, and their stage
history.

An aspiration moves received → verified → recommended → accepted | rejected → funded →
realised (design section 8); ``opd.aspirations.services`` makes every move and writes an
:class:`AspirationEvent` for it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opd.agencies.models import Opd
from opd.workplans.models import Activity
from targets.models import Indicator, Kelurahan, Region, year_in_range

#: Crockford's base32: no I, L, O or U, so a reference read aloud or typed is not misread.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: The public reference: forum prefix, plan year of first intake, four random characters.
REFERENCE_PATTERN = r"^(MSR|KP|FGD)-[0-9]{4}-[0-9A-HJKMNP-TV-Z]{4}$"
#: References given before the format above (the first demo data); still valid, never issued.
LEGACY_REFERENCE_PATTERN = r"^USL-[0-9]{4}-[0-9]{4}$"


class AspirationForum(models.TextChoices):
    MUSRENBANG_KELURAHAN = "musrenbang_kelurahan", _("Musrenbang kelurahan")
    MUSRENBANG_KECAMATAN = "musrenbang_kecamatan", _("Musrenbang kecamatan")
    MUSRENBANG_KOTA = "musrenbang_kota", _("Musrenbang kota")
    PUBLIC_CONSULTATION = "konsultasi_publik", _("Public consultation")
    FGD = "fgd", _("Focus group discussion (FGD)")


#: The reference prefix of each forum.
REFERENCE_PREFIX = {
    AspirationForum.MUSRENBANG_KELURAHAN: "MSR",
    AspirationForum.MUSRENBANG_KECAMATAN: "MSR",
    AspirationForum.MUSRENBANG_KOTA: "MSR",
    AspirationForum.PUBLIC_CONSULTATION: "KP",
    AspirationForum.FGD: "FGD",
}


class AspirationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFIED = "verified", _("Verified")
    RECOMMENDED = "recommended", _("Recommended to an OPD")
    ACCEPTED = "accepted", _("Accepted into a plan")
    REJECTED = "rejected", _("Rejected")
    FUNDED = "funded", _("Funded")
    REALISED = "realised", _("Realised")


#: The stages at which an OPD has been named, and at which an activity has taken it up.
WITH_OPD = ("recommended", "accepted", "funded", "realised")
WITH_ACTIVITY = ("accepted", "funded", "realised")


class ProposerKind(models.TextChoices):
    PERSON = "person", _("Person")
    GROUP = "group", _("Group")


class AspirationCategory(models.TextChoices):
    INFRASTRUCTURE = "infrastruktur", _("Infrastructure")
    ECONOMY = "ekonomi", _("Economy")
    SOCIAL = "sosial", _("Social")
    HEALTH = "kesehatan", _("Health")
    EDUCATION = "pendidikan", _("Education")
    ENVIRONMENT = "lingkungan", _("Environment")
    GOVERNMENT = "pemerintahan", _("Government")
    OTHER = "lainnya", _("Other")


class RejectionCode(models.TextChoices):
    NOT_AUTHORITY = "not_authority", _("Not within the OPD's authority")
    DUPLICATE = "duplicate", _("Duplicate of another aspiration")
    ALREADY_FUNDED = "already_funded", _("Already funded")
    OVER_BUDGET = "over_budget", _("Over the budget ceiling")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")
    OTHER = "other", _("Other reason")


class Aspiration(models.Model):
    """A community proposal (usulan) from a forum, and what became of it."""

    Forum = AspirationForum
    Status = AspirationStatus
    ProposerKind = ProposerKind
    Category = AspirationCategory
    RejectionCode = RejectionCode

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="aspirations", verbose_name=_("region")
    )
    reference = models.CharField(_("public reference number"), max_length=40, unique=True)
    forum = models.CharField(_("forum"), max_length=30, choices=Forum.choices)
    year = models.PositiveSmallIntegerField(_("plan year"))
    first_year = models.PositiveSmallIntegerField(
        _("plan year of first intake"),
        help_text=_("Kept when an unfunded aspiration is carried into the next year."),
    )
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
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    indicator = models.ForeignKey(
        Indicator,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="aspirations",
        verbose_name=_("indicator it should move"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority given by the forum"), null=True, blank=True
    )
    proposer = models.CharField(_("proposer (name, private)"), max_length=200)
    proposer_kind = models.CharField(
        _("proposer is a"), max_length=10, choices=ProposerKind.choices, default=ProposerKind.GROUP
    )
    proposer_contact = models.CharField(
        _("proposer's contact (private)"), max_length=200, blank=True
    )
    received_on = models.DateField(_("forum date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    recommended_opd = models.ForeignKey(
        Opd,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="recommended_aspirations",
        verbose_name=_("recommended OPD"),
    )
    rejection_code = models.CharField(
        _("reason code for rejection"), max_length=20, choices=RejectionCode.choices, blank=True
    )
    rejection_reason = models.TextField(
        _("reason for rejection"), blank=True, help_text=_("Required when the code is 'other'.")
    )
    activity = models.ForeignKey(
        Activity,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="aspirations",
        verbose_name=_("activity that took it up"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
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
                condition=Q(category__in=AspirationCategory.values),
                name="aspiration_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(proposer_kind__in=ProposerKind.values),
                name="aspiration_proposer_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(rejection_code="") | Q(rejection_code__in=RejectionCode.values),
                name="aspiration_rejection_code_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_code=""),
                name="aspiration_rejection_has_code",
            ),
            models.CheckConstraint(
                condition=Q(status="rejected") | Q(rejection_code=""),
                name="aspiration_code_only_when_rejected",
            ),
            models.CheckConstraint(
                condition=~Q(rejection_code="other") | ~Q(rejection_reason=""),
                name="aspiration_other_rejection_has_text",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=WITH_OPD) | Q(recommended_opd__isnull=False),
                name="aspiration_recommended_has_opd",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=WITH_ACTIVITY) | Q(activity__isnull=False),
                name="aspiration_accepted_has_activity",
            ),
            models.CheckConstraint(
                condition=Q(priority__isnull=True) | Q(priority__gte=1),
                name="aspiration_priority_positive",
            ),
            models.CheckConstraint(
                condition=Q(first_year__lte=F("year")), name="aspiration_first_year_not_later"
            ),
            models.CheckConstraint(
                condition=year_in_range("year"), name="aspiration_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(reference__regex=REFERENCE_PATTERN)
                | Q(reference__regex=LEGACY_REFERENCE_PATTERN),
                name="aspiration_reference_format",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="aspiration_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class AspirationEventKind(models.TextChoices):
    INTAKE = "intake", _("Recorded")
    STAGE = "stage", _("Stage changed")
    CARRY_OVER = "carry_over", _("Carried into the next year")
    EDIT = "edit", _("Details changed")


class AspirationEvent(models.Model):
    """One step in an aspiration's history: who moved it from which stage to which, when, and
    why. Written only by ``opd.aspirations.services``; never changed afterwards."""

    Kind = AspirationEventKind

    aspiration = models.ForeignKey(
        Aspiration, models.CASCADE, related_name="events", verbose_name=_("aspiration")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STAGE)
    from_status = models.CharField(
        _("from stage"), max_length=12, choices=AspirationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to stage"), max_length=12, choices=AspirationStatus.choices)
    year = models.PositiveSmallIntegerField(_("plan year after the step"))
    rejection_code = models.CharField(
        _("reason code for rejection"), max_length=20, choices=RejectionCode.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    #: For an edit: ``{field: [before, after]}``; a private field (the proposer's name and
    #: contact) is listed as changed with ``null`` for both values, never with the values.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by (name)"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("aspiration event")
        verbose_name_plural = _("aspiration events")
        ordering = ["aspiration", "at", "pk"]
        indexes = [models.Index(fields=["aspiration", "at"], name="aspiration_event_by_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AspirationEventKind.values),
                name="aspiration_event_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(to_status__in=AspirationStatus.values),
                name="aspiration_event_to_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(to_status="rejected") & ~Q(rejection_code=""))
                | (~Q(to_status="rejected") & Q(rejection_code="")),
                name="aspiration_event_rejection_has_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aspiration_id}: {self.from_status or '–'} → {self.to_status}"
