"""Community aspirations: read, record, correct, and move through their stages.

Every write calls a service of ``opd.aspirations.services``, which checks the caller's role, the
stage and the version the caller saw (``If-Match``), and writes the aspiration's event. The
answers are the work plans': a refused stage is 409, a role 403, a row the caller cannot see
404, a bad body 400 with its field errors, a stale ``If-Match`` 412 and a missing one 428.
Who proposed an aspiration is shown only to a signed-in reviewer or the staff of its place
(``serializers.sees_proposer``), never to a token, on reads and writes alike.

Tokens. A write token is bound to one OPD and acts as a staff member of it. An OPD does not
record, correct, verify or recommend aspirations (Bappeda and the area staff do), so a token may
not do any of those (:class:`TokensTakeUpOnly`, 403 whatever the token's user may have been
granted); it may accept an aspiration recommended to its OPD into that OPD's activity, and
reject one recommended to its OPD, exactly as the services allow a member of that OPD. A read
token may only read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from magelang.api.etags import ETagRetrieveMixin
from magelang.api.if_match import seen_version, with_etag
from magelang.api.permissions import client_of
from opd.agencies import roles
from opd.aspirations import services
from opd.aspirations.api import filters, serializers
from opd.models import (
    Aspiration,
    Opd,
)

#: What only a person, signed in, may do: the steps of Bappeda and the area staff.
PERSON_ONLY_ACTIONS = ("create", "update", "partial_update", "verify", "recommend")


class TokensTakeUpOnly(permissions.BasePermission):
    """A token may accept or reject for its OPD; recording, correcting, verifying and
    recommending are a person's (Bappeda, area staff), signed in."""

    message = gettext_lazy(
        "An API token cannot record, change, verify or recommend an aspiration: that is done "
        "by Bappeda or the staff of the kelurahan, signed in."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        return client_of(request) is None or view.action not in PERSON_ONLY_ACTIONS


def _written(description: str) -> dict[int, OpenApiResponse]:
    return {200: OpenApiResponse(serializers.AspirationSerializer, description=description)}


class AspirationViewSet(
    ETagRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Aspiration],
):
    """Community aspirations (usulan) of the regions whose OPDs the caller belongs to, and of
    the kelurahan the caller serves as area staff. The proposer's name and contact are null
    unless the caller, signed in (not by token), is a Bappeda reviewer or staff of the place.

    Bappeda and the area staff record, correct and verify aspirations; Bappeda recommends them
    to an OPD; a member (or write token) of that OPD accepts one into its activity or rejects
    it, as Bappeda may reject one too. Changes need ``If-Match``. Tokens may only accept and
    reject."""

    serializer_class = serializers.AspirationSerializer
    filterset_class = filters.AspirationFilter
    region_field = "region"
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, TokensTakeUpOnly]
    ordering_fields = ["received_on", "reference", "year"]
    ordering = ["-received_on", "reference"]
    conditional_actions = (
        "update",
        "partial_update",
        "verify",
        "recommend",
        "accept",
        "reject",
    )

    def get_queryset(self) -> QuerySet[Aspiration]:
        user = self.request.user
        opds = Opd.objects.visible_to(user)
        return Aspiration.objects.filter(
            Q(region__in=opds.values("region")) | Q(kelurahan__in=roles.area_kelurahan_ids(user))
        )

    def _answer(self, aspiration: Aspiration, code: int = status.HTTP_200_OK) -> Response:
        aspiration = self.get_queryset().get(pk=aspiration.pk)
        return with_etag(Response(self.get_serializer(aspiration).data, status=code), aspiration)

    @extend_schema(
        request=serializers.AspirationCreateSerializer,
        responses={201: serializers.AspirationSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record an aspiration from a forum (Bappeda, or the staff of its kelurahan or
        kecamatan): it is received, with a new public reference number."""
        form = serializers.AspirationCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        aspiration = services.aspiration_create(by=request.user, values=form.validated_data)
        return self._answer(aspiration, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.AspirationUpdateSerializer,
        responses=serializers.AspirationSerializer,
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Correct a received or verified aspiration's details (who may record it)."""
        aspiration = self.get_object()
        version = seen_version(request, aspiration)
        form = serializers.AspirationUpdateSerializer(
            aspiration, data=request.data, partial=kwargs.get("partial", False)
        )
        form.is_valid(raise_exception=True)
        done = services.aspiration_update(
            aspiration_id=aspiration.pk,
            by=request.user,
            seen_version=version,
            values=form.validated_data,
        )
        return self._answer(done)

    @extend_schema(
        request=serializers.AspirationUpdateSerializer,
        responses=serializers.AspirationSerializer,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Correct some of a received or verified aspiration's details."""
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=serializers.StageSerializer, responses=_written("Verified."))
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """Confirm a received aspiration (Bappeda, or the staff of its kelurahan or kecamatan)."""
        aspiration = self.get_object()
        form = serializers.StageSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        done = services.aspiration_verify(
            aspiration_id=aspiration.pk,
            by=request.user,
            seen_version=seen_version(request, aspiration),
            note=form.validated_data["note"],
        )
        return self._answer(done)

    @extend_schema(request=serializers.RecommendSerializer, responses=_written("Recommended."))
    @action(detail=True, methods=["post"])
    def recommend(self, request: Request, pk: str | None = None) -> Response:
        """Recommend a verified aspiration to an OPD of its region (Bappeda)."""
        aspiration = self.get_object()
        form = serializers.RecommendSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        done = services.aspiration_recommend(
            aspiration_id=aspiration.pk,
            by=request.user,
            seen_version=seen_version(request, aspiration),
            opd=form.validated_data["opd"],
            note=form.validated_data["note"],
        )
        return self._answer(done)

    @extend_schema(request=serializers.AcceptSerializer, responses=_written("Accepted."))
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Take a recommended aspiration up into an activity of the recommended OPD's editable
        work plan for its year (a member or write token of that OPD)."""
        aspiration = self.get_object()
        form = serializers.AcceptSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        done = services.aspiration_accept(
            aspiration_id=aspiration.pk,
            by=request.user,
            seen_version=seen_version(request, aspiration),
            activity=form.validated_data["activity"],
            note=form.validated_data["note"],
        )
        return self._answer(done)

    @extend_schema(request=serializers.RejectSerializer, responses=_written("Rejected."))
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject an aspiration with a reason code; "other" needs text (Bappeda before it is
        accepted, or a member or write token of the OPD it was recommended to)."""
        aspiration = self.get_object()
        form = serializers.RejectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        done = services.aspiration_reject(
            aspiration_id=aspiration.pk,
            by=request.user,
            seen_version=seen_version(request, aspiration),
            code=form.validated_data["code"],
            text=form.validated_data["text"],
        )
        return self._answer(done)
