"""The API's JSON parser: DRF's, with a body nested too deep for the decoder refused as a 400."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """``json.load`` raises ``RecursionError`` on deep nesting (about 1,000 levels); that is
    malformed input, not a server fault."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("JSON parse error: the body is nested too deeply.")) from error
