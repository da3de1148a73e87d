"""Annotations of the engine's state rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


class ContributionStateQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def with_approved_achieved(self) -> ContributionStateQuerySet:
        """Annotate ``achieved_approved_total``: the achieved persons of the current
        snapshot's approved plans, the only achieved figure the public sees (0 when none).

        A subquery, not a join: the row count and the query count stay as they were.
        """
        from opd.models import ContributionRow, WorkPlanStatus

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
        from opd.models import ContributionRow, WorkPlanStatus

        def count(**where: Any) -> Coalesce:
            rows = ContributionRow.objects.filter(snapshot=OuterRef("snapshot_id"), **where)
            number: models.IntegerField[int, int] = models.IntegerField()
            found = rows.order_by().values("snapshot").annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(found, output_field=number), Value(0), output_field=number)

        return self.annotate(
            approved_plans=count(work_plan_status=WorkPlanStatus.APPROVED), opd_count=count()
        )
