"""``/metrics`` (Prometheus) for the monitoring system only.

With ``GPUBROKER_METRICS_TOKEN`` set, a scrape must send ``Authorization: Bearer <token>``
(401 otherwise). Without it, only loopback and private addresses are served (403
otherwise): the figures (per-view status counts, memory) are not for the internet. The
client address follows ``GPUBROKER_TRUSTED_PROXIES`` like every other per-address rule.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django_prometheus.exports import ExportToDjangoView

from accounts.http import client_ip


def _private(ip: str | None) -> bool:
    if ip is None:
        return False
    address = ipaddress.ip_address(ip)
    return address.is_loopback or address.is_private


def _bearer_matches(request: HttpRequest, token: str) -> bool:
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        sent.strip().encode(), token.encode())


def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.GPUBROKER_METRICS_TOKEN
    if token and not _bearer_matches(request, token):
        response = JsonResponse({"detail": "metrics need the metrics Bearer token",
                                 "code": "unauthorized"}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    if not token and not _private(client_ip(request)):
        return JsonResponse({"detail": "metrics are served to private addresses only (or set "
                                       "GPUBROKER_METRICS_TOKEN)", "code": "forbidden"},
                            status=403)
    return ExportToDjangoView(request)  # type: ignore[no-any-return]
