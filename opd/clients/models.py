"""Other city systems that call the REST API with a token."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opd.agencies.models import Opd


class ApiScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiClient(models.Model):
    """Another city system that calls the REST API with a token.

    Only the token's SHA-256 hash is stored; the token itself is shown once, when
    the client is created. The client acts through its own user (no password),
    which is a staff member of the client's OPD when it is bound to one, so the
    services' permission checks apply to it exactly as to a person.
    """

    Scope = ApiScope

    name = models.CharField(_("name"), max_length=100, unique=True)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices)
    opd = models.ForeignKey(
        Opd,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("OPD"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="api_client",
        verbose_name=_("acts as user"),
    )
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True)
    token_prefix = models.CharField(_("token prefix"), max_length=8)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=ApiScope.values), name="api_client_scope_valid"
            ),
            models.CheckConstraint(
                condition=~Q(scope="write") | Q(opd__isnull=False),
                name="api_client_write_has_opd",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_client_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
