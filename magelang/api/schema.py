"""The OpenAPI schema documents every answer the API can give, errors included."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as you last read it (required: 428 without it, "
    "412 when someone saved since).",
)

COMMON_ERRORS = ("400", "401", "403", "404", "429")
WRITE_ERRORS = ("409",)
PRECONDITION_ERRORS = ("412", "428")


class ApiSchema(AutoSchema):
    """Adds the error answers, and the If-Match header to conditional writes."""

    def _is_conditional(self) -> bool:
        return bool(getattr(self.view, "conditional_actions", ())) and (
            getattr(self.view, "action", None) in self.view.conditional_actions
        )

    def get_auth(self) -> list[dict[str, Any]]:
        auth: list[dict[str, Any]] = list(super().get_auth())
        if getattr(self.view, "public", False) and {} not in auth:
            auth.append({})  # public resources answer anonymous callers too
        return auth

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._is_conditional():
            parameters.append(IF_MATCH)
        return parameters

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = list(COMMON_ERRORS)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes += WRITE_ERRORS
        if self._is_conditional():
            codes += PRECONDITION_ERRORS
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiTypes.OBJECT, code, direction=direction
                )
        if self.method == "GET":
            responses["304"] = {
                "description": "Not modified: the If-None-Match header names the current ETag."
            }
        return responses
