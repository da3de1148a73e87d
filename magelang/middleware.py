"""Interface language: Indonesian unless the user chose otherwise on the portal."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"


class PortalLanguageMiddleware:
    """Activate the language chosen with the language switcher, else ``LANGUAGE_CODE``.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    office PCs often run an English browser, and the portal is Indonesian first. The API
    (under ``/api/``) is the exception: a caller's Accept-Language chooses its messages,
    after the portal's language cookie; without either it answers in Indonesian.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        api = request.path_info.startswith(API_PREFIX)
        if api and chosen not in self.available:
            # Another system says which language it reads; without a word, Indonesian.
            language = translation.get_language_from_request(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if api else ("Cookie",))
        return response
