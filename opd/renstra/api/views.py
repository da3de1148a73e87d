"""The Renstras, read only: an OPD's strategic plan with its programs and activities.

Scoped as the work plans are, with the public's part added: anyone reads approved Renstras;
an OPD's members (and its tokens) read its own at any status; Bappeda reads its region's.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import viewsets

from magelang.api.etags import ETagRetrieveMixin
from opd.models import (
    Renstra,
    RenstraActivity,
    RenstraActivityYear,
    RenstraProgram,
    RenstraProgramYear,
)
from opd.renstra.api import filters, serializers
from opd.renstra.api.visibility import visible_renstras


class RenstraViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet[Renstra]):
    """Strategic plans (Renstra) of the OPDs for an RPJMD period: each program with its
    outcome indicator, target and indicative budget per year, and its activities with their
    output targets per year. Approved ones for anyone; an OPD's own at any status for its
    members and tokens; all of the region for Bappeda. Six queries a page (five for one
    Renstra), however many programs and activities."""

    public = True
    serializer_class = serializers.RenstraSerializer
    filterset_class = filters.RenstraFilter
    region_field = "opd__region"
    ordering_fields = ["status", "submitted_at"]
    ordering = ["plan__first_year", "opd__code"]

    def get_queryset(self) -> QuerySet[Renstra]:
        activities = RenstraActivity.objects.order_by("code").prefetch_related(
            Prefetch("years", RenstraActivityYear.objects.order_by("year"))
        )
        programs = (
            RenstraProgram.objects.select_related("indicator")
            .order_by("code")
            .prefetch_related(
                Prefetch("years", RenstraProgramYear.objects.order_by("year")),
                Prefetch("activities", activities),
            )
        )
        return (
            visible_renstras(self.request.user)
            .select_related("opd", "plan")
            .prefetch_related(Prefetch("programs", programs))
        )
