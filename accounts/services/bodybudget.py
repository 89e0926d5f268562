"""Who may send a body over the default limit where a path allows one (TOPSIS/ensemble).

A request with a valid, unrevoked Bearer token may; an anonymous one only within its
address's budget ``GPUBROKER_RATE_LIMITS["large_body_ip"]``, counted in MiB per window
(``32/600``: 32 MiB per ten minutes), spent before the body is read. Named in settings as
``GPUBROKER_LARGE_BODY_ADMISSION`` for ``common.bodylimits``.
"""

from __future__ import annotations

import math

from accounts.services.ratelimit import ratelimit_hit
from accounts.services.tokens import access_token_user
from common.addresses import client_ip_of
from common.errors import RateLimited, Unauthorized

MIB = 1024 * 1024


def _bearer_valid(authorization: str) -> bool:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    try:
        access_token_user(token.strip())
    except Unauthorized:
        return False
    return True


def large_body_admitted(*, authorization: str, remote_addr: str, forwarded_for: str,
                        nbytes: int) -> bool:
    """Whether a body of ``nbytes`` over the default limit may be read."""
    if _bearer_valid(authorization):
        return True
    ip = client_ip_of(remote_addr=remote_addr, forwarded_for=forwarded_for)
    try:
        ratelimit_hit(scope="large_body_ip", ident=ip or "unknown",
                      cost=max(1, math.ceil(nbytes / MIB)))
    except RateLimited:
        return False
    return True
