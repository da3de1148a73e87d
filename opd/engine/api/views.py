"""The contribution figures of each indicator's year: public figures for anyone, every OPD's row for a signed-in caller."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from rest_framework import viewsets
from rest_framework.serializers import BaseSerializer

from magelang.api.etags import ETagRetrieveMixin
from opd.agencies import roles
from opd.engine.api import filters, serializers
from opd.models import (
    ContributionRow,
    ContributionState,
)


class ContributionViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet[ContributionState]):
    """The current contribution figures of each indicator and year (design section 5).

    Anyone sees the inputs and the sums of approved plans (planned and achieved), and the
    counts deduplicated by the beneficiary lists with the OPD overlap matrix when every plan
    counted is approved (design section 7); OPD members and Bappeda see the full figures:
    submitted plans, coverage, status, the gross and deduplicated figures side by side, the
    matrix, and every OPD's row.
    """

    public = True
    filterset_class = filters.ContributionFilter
    ordering_fields = ["year"]
    ordering = ["indicator_id", "year"]

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if getattr(self, "swagger_fake_view", False) or self._sees_everything():
            return serializers.ContributionSerializer
        return serializers.PublicContributionSerializer

    def _sees_everything(self) -> bool:
        user = self.request.user
        if not user.is_authenticated:
            return False
        return roles.is_reviewer(user) or bool(roles.member_opd_ids(user))

    def get_serializer_context(self) -> dict[str, Any]:
        """Which OPDs' uncounted plans (drafts, returned) may show their budgets: all of them
        for Bappeda, the caller's own for an OPD member; never another OPD's draft."""
        context = super().get_serializer_context()
        user = self.request.user
        if user.is_authenticated and not roles.is_reviewer(user):
            context["draft_budgets_of"] = roles.member_opd_ids(user)
        return context

    def get_queryset(self) -> QuerySet[ContributionState]:
        return (
            ContributionState.objects.filter(snapshot__isnull=False)
            .with_approved_achieved()
            .select_related("snapshot")
            .prefetch_related(
                Prefetch(
                    "snapshot__rows",
                    queryset=ContributionRow.objects.select_related("opd").order_by(
                        "-planned", "opd__code"
                    ),
                )
            )
        )
