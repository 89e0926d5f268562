"""Django's HTTP handler with one thread hop per request.

Django's own ASGI handler builds its middleware chain in async mode. Every middleware in the
stack that is sync-only (ours: rate limits, request limits, JSON errors, CSP; WhiteNoise)
turns the chain back to sync, and every ``MiddlewareMixin`` below the innermost of them
(CSRF, auth, messages, clickjacking, Prometheus) then runs each of its hooks through
``sync_to_async`` into the request's sync thread (thread-sensitive): about ten hops between the
event loop and that thread per request, each a handoff of the GIL. Here the chain is built
in sync mode and entered once (``sync_to_async``, thread-sensitive as Django's own hop): the
middleware and a sync view run in that thread straight through. An async view still works
(Django wraps it with ``async_to_sync``). Measured with bench/load/run.py, docs/BENCHMARKS.md.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class OneHopASGIHandler(ASGIHandler):
    """``ASGIHandler`` whose middleware chain and view run in one sync call per request."""

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
