"""The city's agencies (OPD) and who belongs to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opd.agencies.querysets import OpdQuerySet
from targets.models import Kecamatan, Kelurahan, Region

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class MembershipRole(models.TextChoices):
    HEAD = "head", _("Head (kepala OPD)")
    STAFF = "staff", _("Staff")


class OpdKind(models.TextChoices):
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    KANTOR = "kantor", _("Kantor")
    SEKRETARIAT = "sekretariat", _("Secretariat")
    KECAMATAN = "kecamatan", _("Kecamatan office")
    OTHER = "lainnya", _("Other")


class Opd(models.Model):
    """An agency of a region: a dinas, badan, kantor, secretariat or kecamatan office."""

    Kind = OpdKind

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="opds", verbose_name=_("region")
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Seeded as a plausible example, not from an authoritative list."),
    )
    objects = OpdQuerySet.as_manager()

    members: models.ManyToManyField[User, OpdMembership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="OpdMembership",
        related_name="opds",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPDs")
        ordering = ["region", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="opd_unique_code"),
            models.UniqueConstraint(fields=["region", "name"], name="opd_unique_name"),
            models.CheckConstraint(condition=Q(kind__in=OpdKind.values), name="opd_kind_valid"),
            models.CheckConstraint(condition=~Q(code=""), name="opd_code_not_empty"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class OpdMembership(models.Model):
    """A user's role in an OPD: its head (kepala) or staff."""

    Role = MembershipRole

    opd = models.ForeignKey(Opd, models.CASCADE, related_name="memberships", verbose_name=_("OPD"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="opd_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("OPD membership")
        verbose_name_plural = _("OPD memberships")
        ordering = ["opd", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "user"], name="opd_membership_unique_user"),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="opd_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.opd} ({self.get_role_display()})"


class BappedaRole(models.Model):
    """The region a Bappeda user (permission ``opd.review_workplan``) works for.

    A kota or kabupaten's Bappeda reviews that region's plans; a province's (or the country's)
    reads the plans and dashboards of every region under it and reviews none. A Bappeda user
    without this row works for the deployment's region (``DEFAULT_REGION_CODE``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="bappeda_role",
        verbose_name=_("user"),
    )
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="bappeda_roles", verbose_name=_("region")
    )

    class Meta:
        verbose_name = _("Bappeda role")
        verbose_name_plural = _("Bappeda roles")
        ordering = ["region", "user"]

    def __str__(self) -> str:
        return f"{self.user} – {self.region}"


class AreaStaff(models.Model):
    """A kelurahan or kecamatan officer who records and verifies the aspirations of the area
    (a kecamatan's staff act for all its kelurahan)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="area_roles",
        verbose_name=_("user"),
    )
    kecamatan = models.ForeignKey(
        Kecamatan,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("kecamatan"),
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("kelurahan"),
    )

    class Meta:
        verbose_name = _("kelurahan or kecamatan staff")
        verbose_name_plural = _("kelurahan and kecamatan staff")
        ordering = ["user", "kecamatan", "kelurahan"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kecamatan__isnull=False, kelurahan__isnull=True)
                | Q(kecamatan__isnull=True, kelurahan__isnull=False),
                name="area_staff_one_area",
            ),
            models.UniqueConstraint(
                fields=["user", "kecamatan"], name="area_staff_unique_kecamatan"
            ),
            models.UniqueConstraint(
                fields=["user", "kelurahan"], name="area_staff_unique_kelurahan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.kelurahan or self.kecamatan}"
