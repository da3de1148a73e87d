"""An activity's beneficiary list through the API: its counts, its replacement by a file, its
removal (design section 7). Only counts leave: never a person, a NIK, a No. KK or a hash.

``/api/v1/activities/{id}/beneficiaries/``: the activity is found among those the caller may
see, exactly as ``/api/v1/activities/{id}/`` finds it (404 otherwise); a write needs the
activity's ETag in ``If-Match`` (428 without, 412 when stale) and a write token or a person,
and the service decides the rest as for an activity edit: a member of the plan's OPD while
the plan is editable (403 for anyone else, 409 for a plan that cannot change). The ETag of
an answer is the activity's version, since replacing or removing the list raises it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from magelang.api.etags import not_modified
from magelang.api.if_match import seen_version, with_etag
from opd.beneficiaries.api import serializers
from opd.beneficiaries.services import (
    RowsRefused,
    beneficiary_list_delete,
    beneficiary_list_replace,
)
from opd.models import Activity, WorkPlan
from opd.tabular import ImportFileError

MULTIPART = "multipart/form-data"

COUNTS = serializers.BeneficiaryListSerializer
REFUSED = OpenApiResponse(
    serializers.BeneficiaryUploadErrorSerializer,
    description="Nothing stored: the rows refused with every reason (`rows_refused`), a "
    "file that cannot be read or is too large (`file`), or a body that is not multipart.",
)


def _no_list() -> exceptions.NotFound:
    return exceptions.NotFound(_("The activity has no beneficiary list."))


class BeneficiaryListViewSet(viewsets.GenericViewSet[Activity]):
    """The beneficiary list of an activity (daftar penerima manfaat), as counts.

    GET answers the counts (404 when the activity has no list); POST replaces the list whole
    with the persons of a multipart ``file`` (201 for a first list, 200 for a replacement),
    or refuses it whole (400, every bad row named); DELETE removes it (204).
    """

    parser_classes = [MultiPartParser]
    serializer_class = COUNTS
    conditional_actions = ("create", "destroy")

    def get_queryset(self) -> QuerySet[Activity]:
        visible = WorkPlan.objects.visible_to(self.request.user)
        return Activity.objects.filter(program__work_plan__in=visible).select_related(
            "beneficiary_list"
        )

    def _answer(self, activity: Activity, code: int = status.HTTP_200_OK) -> Response:
        beneficiary_list = getattr(activity, "beneficiary_list", None)
        if beneficiary_list is None:
            raise _no_list()
        return with_etag(Response(COUNTS(beneficiary_list).data, status=code), activity)

    @extend_schema(responses={200: COUNTS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    @extend_schema(
        request={MULTIPART: serializers.BeneficiaryUploadSerializer},
        responses={
            201: OpenApiResponse(COUNTS, description="The activity's first list, stored."),
            200: OpenApiResponse(COUNTS, description="The list, replaced whole."),
            400: REFUSED,
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        version = seen_version(request, activity)
        if not (request.content_type or "").lower().startswith(MULTIPART):
            raise exceptions.ParseError(
                _("Send the list as multipart/form-data, the file in the field “file”.")
            )
        form = serializers.BeneficiaryUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        first = getattr(activity, "beneficiary_list", None) is None
        try:
            stored = beneficiary_list_replace(
                activity_id=activity.pk,
                by=request.user,
                name=upload.name or "",
                data=upload.read(),
                seen_version=version,
            )
        except ImportFileError as error:
            raise exceptions.ValidationError({"file": [str(error)]}) from None
        except RowsRefused as refused:
            return Response(_refused(refused), status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_201_CREATED if first else status.HTTP_200_OK
        return with_etag(Response(COUNTS(stored).data, status=code), stored.activity)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        version = seen_version(request, activity)
        if getattr(activity, "beneficiary_list", None) is None:
            raise _no_list()
        beneficiary_list_delete(activity_id=activity.pk, by=request.user, seen_version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        return not_modified(request, response)


def _refused(refused: RowsRefused) -> dict[str, Any]:
    """The 400 of a file with bad rows: every row and reason (reasons never hold a NIK)."""
    return {
        "detail": str(refused),
        "code": "rows_refused",
        "row_count": refused.rows,
        "bad_rows": [{"row": bad.row, "reasons": list(bad.reasons)} for bad in refused.bad],
    }
