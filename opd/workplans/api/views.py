"""The work plans, programs, activities and realisations.

Reads are scoped with ``visible_to`` as in the browser; every write calls a service of
``opd.workplans.services``, which checks the permission, the workflow and the version the caller
saw (``If-Match``), and writes the audit trail.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from magelang.api.errors import Conflict
from magelang.api.etags import ETagRetrieveMixin, etag_for
from magelang.api.if_match import seen_version, with_etag
from magelang.api.pagination import ScalingPagination
from opd.models import (
    Activity,
    ExpectedContribution,
    Program,
    Realisation,
    WorkPlan,
)
from opd.workplans import services
from opd.workplans.api import activity_rows, filters, serializers
from opd.workplans.api.visibility import visible_programs


def _contributions(
    rows: list[dict[str, Any]] | None, existing: set[int]
) -> dict[int, Decimal | None]:
    """What to store: the given amounts, and None (remove) for indicators left out."""
    if rows is None:
        return {}
    given: dict[int, Decimal | None] = {row["indicator"].pk: row["amount"] for row in rows}
    return {**dict.fromkeys(existing - set(given)), **given}


class WorkPlanViewSet(
    ETagRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[WorkPlan],
):
    """Work plans (Renja): an OPD's own, or all of them for Bappeda. The actions follow the
    browser's workflow: submit (OPD), return and approve (Bappeda), each with ``If-Match``."""

    serializer_class = serializers.WorkPlanSerializer
    filterset_class = filters.WorkPlanFilter
    region_field = "opd__region"
    ordering_fields = ["year", "status", "submitted_at"]
    ordering = ["year", "opd__code"]
    conditional_actions = ("submit", "return_plan", "approve", "reopen")

    def get_queryset(self) -> QuerySet[WorkPlan]:
        return WorkPlan.objects.visible_to(self.request.user).select_related("opd")

    @extend_schema(request=serializers.WorkPlanCreateSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = serializers.WorkPlanCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        work_plan = services.work_plan_create(
            opd=form.validated_data["opd"], year=form.validated_data["year"], by=request.user
        )
        response = Response(self.get_serializer(work_plan).data, status=status.HTTP_201_CREATED)
        return with_etag(response, work_plan)

    def _answer(self, work_plan: WorkPlan) -> Response:
        work_plan = self.get_queryset().get(pk=work_plan.pk)
        return with_etag(Response(self.get_serializer(work_plan).data), work_plan)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        work_plan = self.get_object()
        done = services.work_plan_submit(
            work_plan_id=work_plan.pk,
            by=request.user,
            seen_version=seen_version(request, work_plan),
        )
        return self._answer(done)

    @extend_schema(request=serializers.WorkPlanReturnSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_plan(self, request: Request, pk: str | None = None) -> Response:
        work_plan = self.get_object()
        form = serializers.WorkPlanReturnSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        done = services.work_plan_return(
            work_plan_id=work_plan.pk,
            by=request.user,
            seen_version=seen_version(request, work_plan),
            comment=form.validated_data["comment"],
            activity_comments={
                row["activity"]: row["comment"]
                for row in form.validated_data.get("activity_comments", [])
            },
        )
        return self._answer(done)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        work_plan = self.get_object()
        done = services.work_plan_approve(
            work_plan_id=work_plan.pk,
            by=request.user,
            seen_version=seen_version(request, work_plan),
        )
        return self._answer(done)

    @extend_schema(request=serializers.WorkPlanReopenSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Reopen an approved plan so its OPD can change it again (Bappeda; a reason)."""
        work_plan = self.get_object()
        form = serializers.WorkPlanReopenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        done = services.work_plan_reopen(
            work_plan_id=work_plan.pk,
            by=request.user,
            seen_version=seen_version(request, work_plan),
            reason=form.validated_data["reason"],
        )
        return self._answer(done)


class ProgramViewSet(ETagRetrieveMixin, viewsets.ModelViewSet[Program]):
    """Programs of the work plans, under the browser's rules: members of the plan's OPD
    create, change and delete them while the plan is a draft, returned or reopened; an
    empty program only is deleted. Changes need ``If-Match``."""

    serializer_class = serializers.ProgramSerializer
    filterset_class = filters.ProgramFilter
    region_field = "work_plan__opd__region"
    ordering_fields = ["code", "name"]
    ordering = ["work_plan__year", "work_plan__opd__code", "code"]
    conditional_actions = ("update", "partial_update", "destroy")

    def get_queryset(self) -> QuerySet[Program]:
        return visible_programs(self.request)

    def _answer(self, program: Program, code: int = status.HTTP_200_OK) -> Response:
        program = self.get_queryset().get(pk=program.pk)
        return with_etag(Response(self.get_serializer(program).data, status=code), program)

    def _values(self, validated: dict[str, Any]) -> dict[str, Any]:
        return {name: validated[name] for name in Program.EDITABLE_FIELDS if name in validated}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        program = services.program_create(
            work_plan_id=form.validated_data["work_plan"].pk,
            by=request.user,
            values=self._values(form.validated_data),
        )
        return self._answer(program, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        program = self.get_object()
        version = seen_version(request, program)
        form = self.get_serializer(program, data=request.data, partial=kwargs.get("partial"))
        form.is_valid(raise_exception=True)
        program = services.program_update(
            program_id=program.pk,
            by=request.user,
            values=self._values(form.validated_data),
            seen_version=version,
        )
        return self._answer(program)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        program = self.get_object()
        services.program_delete(
            program_id=program.pk, by=request.user, seen_version=seen_version(request, program)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActivityViewSet(ETagRetrieveMixin, viewsets.ModelViewSet[Activity]):
    """Activities (kegiatan) with their expected contributions. Changes need ``If-Match``.

    In id order by default, numbered pages (the count on the first) or a keyset cursor
    (``?cursor=``)."""

    serializer_class = serializers.ActivitySerializer
    filterset_class = filters.ActivityFilter
    region_field = "program__work_plan__opd__region"
    pagination_class = ScalingPagination
    ordering_fields = ["code", "name", "budget"]
    # By id, the primary key's index: a page reads its 50 rows from the index and stops. The
    # former business order (plan year, program code, code) spanned three tables, so every
    # page sorted every visible activity; ?ordering= still offers code, name and budget.
    ordering = ["id"]
    conditional_actions = ("update", "partial_update", "destroy")

    def get_queryset(self) -> QuerySet[Activity]:
        visible = WorkPlan.objects.visible_to(self.request.user)
        activities = Activity.objects.filter(program__work_plan__in=visible)
        if self.action == "list":
            return activity_rows.list_queryset(activities)
        return activities.select_related("program").prefetch_related(
            Prefetch(
                "expected_contributions",
                queryset=ExpectedContribution.objects.order_by("indicator_id"),
            )
        )

    # A page written from values (``activity_rows``): the same body as ``ActivitySerializer``
    # and the same ETag as ``ETagRetrieveMixin.list``. A comment, not a docstring: the schema
    # would take a docstring as the operation's description.
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        response = self.get_paginated_response(activity_rows.write(page))
        response["ETag"] = etag_for(None, response.data)
        return response

    def _answer(self, activity: Activity, code: int = status.HTTP_200_OK) -> Response:
        activity = self.get_queryset().get(pk=activity.pk)
        return with_etag(Response(self.get_serializer(activity).data, status=code), activity)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        rows = values.pop("expected_contributions", None)
        activity = services.activity_create(
            work_plan_id=values["program"].work_plan_id,
            by=request.user,
            data=services.ActivityData(values=values, contributions=_contributions(rows, set())),
        )
        return self._answer(activity, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        version = seen_version(request, activity)
        form = self.get_serializer(activity, data=request.data, partial=kwargs.get("partial"))
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        rows = values.pop("expected_contributions", None)
        existing = {row.indicator_id for row in activity.expected_contributions.all()}
        activity = services.activity_update(
            activity_id=activity.pk,
            by=request.user,
            data=services.ActivityData(values=values, contributions=_contributions(rows, existing)),
            seen_version=version,
        )
        return self._answer(activity)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        services.activity_delete(
            activity_id=activity.pk, by=request.user, seen_version=seen_version(request, activity)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RealisationViewSet(
    ETagRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Realisation],
):
    """Quarterly realisations of approved plans' activities. Corrections need ``If-Match``."""

    filterset_class = filters.RealisationFilter
    region_field = "activity__program__work_plan__opd__region"
    pagination_class = ScalingPagination
    ordering_fields = ["quarter"]
    # Unique already, and served by the index of realisation_unique_quarter.
    ordering = ["activity_id", "quarter"]
    conditional_actions = ("update", "partial_update")

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action in ("update", "partial_update"):
            return serializers.RealisationUpdateSerializer
        return serializers.RealisationSerializer

    def get_queryset(self) -> QuerySet[Realisation]:
        visible = WorkPlan.objects.visible_to(self.request.user)
        return Realisation.objects.filter(
            activity__program__work_plan__in=visible
        ).prefetch_related("achieved_contributions")

    def _answer(self, realisation: Realisation, code: int = status.HTTP_200_OK) -> Response:
        realisation = self.get_queryset().get(pk=realisation.pk)
        data = serializers.RealisationSerializer(realisation, context=self.get_serializer_context())
        return with_etag(Response(data.data, status=code), realisation)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        rows = values.pop("achieved_contributions", None)
        activity = values.pop("activity")
        quarter = values.pop("quarter")
        # The service decides, in its order: who may report (403), then whether the quarter
        # is already reported; a check here first would answer a reviewer 409, not 403.
        try:
            result = services.realisation_save(
                activity_id=activity.pk,
                quarter=quarter,
                by=request.user,
                values=values,
                contributions=_contributions(rows, set()),
                seen_version=None,
            )
        except services.StaleEdit:  # the quarter is already reported
            raise self._already_reported(
                Realisation.objects.get(activity=activity, quarter=quarter)
            ) from None
        return self._answer(result.realisation, status.HTTP_201_CREATED)

    def _already_reported(self, realisation: Realisation) -> Conflict:
        return Conflict(
            _(
                "Quarter %(quarter)s of this activity is already reported (realisation "
                "%(id)s): correct it with PATCH on %(url)s, sending its ETag in If-Match."
            )
            % {
                "quarter": realisation.quarter,
                "id": realisation.pk,
                "url": reverse("api:realisation-detail", args=[realisation.pk]),
            }
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        realisation = self.get_object()
        version = seen_version(request, realisation)
        form = self.get_serializer(realisation, data=request.data, partial=kwargs.get("partial"))
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        rows = values.pop("achieved_contributions", None)
        existing = {row.indicator_id for row in realisation.achieved_contributions.all()}
        result = services.realisation_save(
            activity_id=realisation.activity_id,
            quarter=realisation.quarter,
            by=request.user,
            values=values,
            contributions=_contributions(rows, existing),
            seen_version=version,
        )
        return self._answer(result.realisation)
