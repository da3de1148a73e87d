"""Beneficiary lists (daftar penerima manfaat): who an activity reaches, as keyed hashes only.

An activity has at most one list; deleting the activity deletes it. Each row is one person:
``person`` is HMAC-SHA256(``BENEFICIARY_KEY``, NIK) as 32 bytes, ``family`` the same of the
No. KK, so the same person on two lists matches while the database holds no NIK
(``opd.beneficiaries.hashing``; design section 7). Nothing shows a row: pages, the API and
exports read the list's counts, which the import stores on the list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from opd.workplans.models import Activity
from targets.models import Kelurahan

#: The welfare deciles (desil) of the national targeting data.
DESILS = range(1, 11)
#: Bytes of an HMAC-SHA256.
HASH_BYTES = 32


def empty_desil_counts() -> list[int]:
    return [0] * len(DESILS)


class BeneficiaryList(models.Model):
    """An activity's list of beneficiaries, with the counts every page shows instead of rows."""

    activity = models.OneToOneField(
        Activity, models.CASCADE, related_name="beneficiary_list", verbose_name=_("activity")
    )
    persons = models.PositiveIntegerField(_("persons"), default=0)
    families = models.PositiveIntegerField(
        _("families"), default=0, help_text=_("Distinct No. KK among the persons who have one.")
    )
    # Persons per desil 1 to 10, in order; those without a desil are persons - sum(desil_counts).
    desil_counts = models.JSONField(_("persons per desil"), default=empty_desil_counts)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("beneficiary list")
        verbose_name_plural = _("beneficiary lists")
        ordering = ["activity"]

    def __str__(self) -> str:
        return f"{self.activity}: {self.persons}"

    @property
    def persons_without_desil(self) -> int:
        return self.persons - sum(self.desil_counts)


class Beneficiary(models.Model):
    """One person of a list, as keyed hashes: never shown, only counted."""

    beneficiary_list = models.ForeignKey(
        BeneficiaryList,
        models.CASCADE,
        related_name="beneficiaries",
        verbose_name=_("beneficiary list"),
    )
    person = models.BinaryField(_("person (keyed hash of the NIK)"), max_length=HASH_BYTES)
    family = models.BinaryField(
        _("family (keyed hash of the No. KK)"), max_length=HASH_BYTES, null=True, blank=True
    )
    kelurahan = models.ForeignKey(
        Kelurahan, models.PROTECT, related_name="+", verbose_name=_("kelurahan")
    )
    desil = models.PositiveSmallIntegerField(_("desil"), null=True, blank=True)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary_list", "person"], name="beneficiary_unique_person"
            ),
            models.CheckConstraint(
                condition=Q(desil__isnull=True) | Q(desil__gte=min(DESILS), desil__lte=max(DESILS)),
                name="beneficiary_desil_1_10",
            ),
            models.CheckConstraint(
                condition=Exact(Length("person"), HASH_BYTES), name="beneficiary_person_is_hash"
            ),
            models.CheckConstraint(
                condition=Q(family__isnull=True) | Q(Exact(Length("family"), HASH_BYTES)),
                name="beneficiary_family_is_hash",
            ),
        ]
        # Overlap reads group every list's persons together (design section 7).
        indexes = [models.Index(fields=["person"], name="beneficiary_person")]

    def __str__(self) -> str:
        return str(_("a beneficiary"))  # never a hash, never an identifier
