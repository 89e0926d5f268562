"""The client's address, for every per-address rule (rate limits, budgets, caps).

``REMOTE_ADDR`` (or an ASGI scope's ``client``), or with ``GPUBROKER_TRUSTED_PROXIES=N``
the N-th address from the right of ``X-Forwarded-For`` (the one our own outermost proxy
saw); never an entry the client wrote itself.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip_of(*, remote_addr: str, forwarded_for: str) -> str | None:
    proxies = settings.GPUBROKER_TRUSTED_PROXIES
    if proxies > 0 and forwarded_for:
        hops = [h for h in forwarded_for.split(",") if h.strip()]
        if len(hops) >= proxies:
            return _valid_ip(hops[-proxies])
    return _valid_ip(remote_addr)
