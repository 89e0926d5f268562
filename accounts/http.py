"""What accounts/ reads from an HTTP request: the client address and user agent."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from accounts.services.audit import RequestMeta


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or with N trusted proxies the N-th address from the right of
    X-Forwarded-For (the one our own outermost proxy saw); never a client-chosen entry."""
    proxies = settings.GPUBROKER_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [h for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return _valid_ip(hops[-proxies])
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def request_meta(request: HttpRequest) -> RequestMeta:
    return RequestMeta(ip=client_ip(request),
                       user_agent=request.META.get("HTTP_USER_AGENT", ""))
