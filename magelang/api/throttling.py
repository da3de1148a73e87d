"""Throttling: per address for anonymous callers, per token for systems, per user for people.

Rates come from ``settings.API_THROTTLE_RATES`` when a request is made, so tests
and deployments can change them without reloading the classes. The address is
``magelang.client_ip`` (``X-Forwarded-For`` believed only for ``NUM_PROXIES`` hops),
the same rule as the sign-in lockout's. Counts live in the cache (Redis when
configured, shared by every worker); a cache that cannot be reached lets the
request through rather than taking the API down.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from magelang.api.permissions import client_of
from magelang.client_ip import client_ip

logger = logging.getLogger(__name__)


class ApiThrottle(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)  # type: ignore[no-any-return]

    def allow_request(self, request: Request, view: Any) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)  # type: ignore[assignment]
        try:
            return super().allow_request(request, view)
        except RedisError as error:
            logger.warning("API throttle skipped, the cache is unreachable: %s", error)
            return True

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class AnonThrottle(ApiThrottle):
    scope = "anon"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenThrottle(ApiThrottle):
    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        client = client_of(request)
        if client is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.pk}


class UserThrottle(ApiThrottle):
    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if client_of(request) is not None or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
