"""How much a request may send: bytes of body and shape of JSON, per path.

Every path gets the small default (``GPUBROKER_MAX_BODY_KB``, 1 MiB; JSON at most
``GPUBROKER_JSON_MAX_DEPTH`` deep and ``GPUBROKER_JSON_MAX_ITEMS`` values). Paths in
``GPUBROKER_LARGE_BODY_PATHS`` (the TOPSIS/ensemble matrices) may send up to
``GPUBROKER_MAX_LARGE_BODY_MB`` with more JSON values, but a body over the default is
admitted only for a valid Bearer token or within the sender's per-address budget: the
function named by ``GPUBROKER_LARGE_BODY_ADMISSION`` decides (accounts/ provides it, so
this module imports no feature package). Their number matrices are read straight into
numpy arrays (``BodyLimit.matrices``, ``common.jsonmatrix``): no Python float per value.

Enforced twice, both before the body is in memory: ``common.asgi_limits`` in front of
Django under a real server (``Content-Length`` first, then a running count of the
streamed chunks) and ``common.middleware.RequestLimitsMiddleware`` inside Django (the
same policy for WSGI and the test client). Refusals are 413 ``payload_too_large`` naming
the limit in bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from common.errors import PayloadTooLarge
from common.jsonlimits import JsonLimits


@dataclass(frozen=True)
class BodyLimit:
    """``max_bytes`` for anyone; up to ``large_bytes`` once admitted (0: never larger);
    ``matrices``: number matrices in the body are parsed to numpy arrays."""

    max_bytes: int
    large_bytes: int
    json: JsonLimits
    matrices: bool = False

    @property
    def ceiling(self) -> int:
        return max(self.max_bytes, self.large_bytes)


Admission = Callable[..., bool]


def body_limit_for(path: str) -> BodyLimit:
    default = JsonLimits(max_depth=settings.GPUBROKER_JSON_MAX_DEPTH,
                         max_items=settings.GPUBROKER_JSON_MAX_ITEMS)
    small = settings.GPUBROKER_MAX_BODY_KB * 1024
    if path.rstrip("/") in settings.GPUBROKER_LARGE_BODY_PATHS:
        large_json = JsonLimits(max_depth=default.max_depth,
                                max_items=settings.GPUBROKER_LARGE_JSON_MAX_ITEMS)
        return BodyLimit(max_bytes=small, large_bytes=settings.GPUBROKER_MAX_LARGE_BODY_MB
                         * 1024 * 1024, json=large_json, matrices=True)
    return BodyLimit(max_bytes=small, large_bytes=0, json=default)


@functools.cache
def _admission() -> Admission:
    return import_string(settings.GPUBROKER_LARGE_BODY_ADMISSION)  # type: ignore[no-any-return]


def _reload(*, setting: str, **kwargs: object) -> None:
    if setting == "GPUBROKER_LARGE_BODY_ADMISSION":
        _admission.cache_clear()


setting_changed.connect(_reload)


def too_large(limit_bytes: int, *, why: str = "") -> PayloadTooLarge:
    return PayloadTooLarge(f"request body over {limit_bytes} bytes{why}", limit=limit_bytes)


@dataclass(frozen=True)
class Sender:
    """What admission looks at: the Authorization header and the client's addresses."""

    authorization: str
    remote_addr: str
    forwarded_for: str


def allowed_bytes(limit: BodyLimit, *, size: int, sender: Sender) -> int:
    """The bytes this request may send when it announces ``size``; raises PayloadTooLarge."""
    if size <= limit.max_bytes:
        return limit.max_bytes
    if size > limit.ceiling:
        raise too_large(limit.ceiling)
    if not _admission()(authorization=sender.authorization, remote_addr=sender.remote_addr,
                        forwarded_for=sender.forwarded_for, nbytes=size):
        raise too_large(limit.max_bytes, why=(
            f"; up to {limit.large_bytes} bytes with a Bearer token or within the "
            "per-address budget"))
    return limit.large_bytes
