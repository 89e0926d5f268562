"""What accounts/ reads from an HTTP request: the client address and user agent."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.services.audit import RequestMeta
from common.addresses import client_ip_of


def client_ip(request: HttpRequest) -> str | None:
    return client_ip_of(remote_addr=request.META.get("REMOTE_ADDR", ""),
                        forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""))


def request_meta(request: HttpRequest) -> RequestMeta:
    return RequestMeta(ip=client_ip(request),
                       user_agent=request.META.get("HTTP_USER_AGENT", ""))
