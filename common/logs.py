"""Structured logs: one JSON object per line, every line of a request carrying its id.

``RequestLogMiddleware`` gives each request an id (the client's ``X-Request-ID`` when it is
a sane token, else a new one), echoes it in the response, and writes one access line per
request (logger ``gpubroker.access``): method, path, route, status, duration, user id when
known. ``RequestIdFilter`` stamps the id on every record logged while the request runs, so
a traceback can be matched to its request. ``JsonFormatter`` renders records as JSON
(``GPUBROKER_LOG_FORMAT=json``; the default outside debug).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id",
                                                                        default=None)
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_FIELDS = ("request_id", "method", "path", "route", "status", "duration_ms", "user_id")
access_log = logging.getLogger("gpubroker.access")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname, "logger": record.name, "msg": record.getMessage()}
        entry.update({k: getattr(record, k) for k in _FIELDS
                      if getattr(record, k, None) is not None})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def _request_id(request: HttpRequest) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _SANE_ID.match(given) else uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "auth", None)
    return getattr(user, "pk", None) if user is not None else None


def _finish(request: HttpRequest, response: HttpResponse, request_id: str,
            started: float) -> HttpResponse:
    response["X-Request-ID"] = request_id
    match = getattr(request, "resolver_match", None)
    access_log.info("%s %s %s", request.method, request.get_full_path(),  # query included
                    response.status_code, extra={
        "request_id": request_id, "method": request.method, "path": request.path,
        "route": match.route if match else None, "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        "user_id": _user_id(request)})
    return response


class RequestLogMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if iscoroutinefunction(self):
            return self._acall(request)
        request_id, started = _request_id(request), time.perf_counter()
        token = REQUEST_ID.set(request_id)
        try:
            return _finish(request, self.get_response(request), request_id, started)
        finally:
            REQUEST_ID.reset(token)

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        request_id, started = _request_id(request), time.perf_counter()
        token = REQUEST_ID.set(request_id)
        try:
            response: Awaitable[HttpResponse] = self.get_response(request)
            return _finish(request, await response, request_id, started)
        finally:
            REQUEST_ID.reset(token)
