"""The caller's address, believing ``X-Forwarded-For`` only as far as our own proxies wrote it.

Each of the ``NUM_PROXIES`` proxies in front of the portal appends the address it saw, so the
caller is the ``NUM_PROXIES``-th hop from the end; anything before it was written by the caller
and may be invented. With ``NUM_PROXIES = 0`` (the default) the header is ignored. A header with
fewer hops than there are proxies, or whose hop is not an IP address, did not come through our
proxies as configured: the caller is then ``REMOTE_ADDR`` (never a made-up string, which would
give a new throttle and lockout count per request, and which the database refuses as an address).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request


def client_ip(request: HttpRequest | Request) -> str:
    """Return the caller's address: ``REMOTE_ADDR``, or the hop our proxies added for it."""
    remote_addr: str = request.META.get("REMOTE_ADDR", "")
    proxies: int = settings.NUM_PROXIES
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies == 0 or not forwarded_for:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    if len(hops) < proxies:
        return remote_addr
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote_addr
