"""The contribution figures of each indicator's year: public figures for anyone, every OPD's row for the members and Bappeda of the indicator's region."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, QuerySet
from rest_framework import viewsets
from rest_framework.serializers import BaseSerializer

from magelang.api.etags import ETagRetrieveMixin
from magelang.api.pagination import ScalingPagination
from magelang.api.scope import full_region_ids, list_regions
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
    counted is approved (design section 7); OPD members and Bappeda see the full figures of
    their regions' indicators (a Bappeda user's region and those under it, a member's OPDs'
    regions): submitted plans, coverage, status, the gross and deduplicated figures side by
    side, the matrix, and every OPD's row. Another region's figures are public ones for them
    too. The list: numbered pages (the count on the first) or a keyset cursor (``?cursor=``).
    """

    public = True
    filterset_class = filters.ContributionFilter
    region_field = "indicator__plan__region"
    pagination_class = ScalingPagination
    ordering_fields = ["year"]
    # Unique already, and served by the index of contribution_state_unique_year.
    ordering = ["indicator_id", "year"]

    def _sees_everything(self, instance: ContributionState | None) -> bool:
        """Whether the caller reads the full figures of every region shown: one record's
        region, or the list's regions (``?wilayah=``, else the caller's own)."""
        if instance is not None:
            return instance.region_id in full_region_ids(self.request.user)  # type: ignore[attr-defined]
        return list_regions(self.request, public=True).all_full()

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer[Any]:
        instance = args[0] if args and isinstance(args[0], ContributionState) else None
        full = getattr(self, "swagger_fake_view", False) or self._sees_everything(instance)
        serializer_class = (
            serializers.ContributionSerializer if full else serializers.PublicContributionSerializer
        )
        kwargs.setdefault("context", self.get_serializer_context(instance))
        return serializer_class(*args, **kwargs)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        # What the schema documents; get_serializer decides per caller and region.
        return serializers.ContributionSerializer

    def get_serializer_context(self, instance: ContributionState | None = None) -> dict[str, Any]:
        """Which OPDs' uncounted plans (drafts, returned) may show their budgets: all of them
        for the Bappeda of the regions shown, the caller's own for an OPD member; never another
        OPD's draft."""
        context = super().get_serializer_context()
        user = self.request.user
        if instance is not None:
            every_draft = instance.region_id in roles.readable_region_ids(user)  # type: ignore[attr-defined]
        else:
            every_draft = list_regions(self.request, public=True).all_readable()
        if user.is_authenticated and not every_draft:
            context["draft_budgets_of"] = roles.member_opd_ids(user)
        return context

    def get_queryset(self) -> QuerySet[ContributionState]:
        return (
            ContributionState.objects.filter(snapshot__isnull=False)
            .with_approved_achieved()
            .annotate(region_id=F("indicator__plan__region_id"))
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
