"""A real local HTTP server that answers given bodies for given ``METHOD /path`` routes.

For replaying recorded provider payloads through the real HTTP client: GET and POST (GraphQL,
Vast's search), every request recorded with its headers and body, any route able to fail
with a status. A route ``"GET /sizes?page=2"`` matches that exact query; ``"GET /sizes"``
matches the path with any query. Unknown routes answer 404. A route given ``InTurn(...)``
answers its replies in turn, then repeats the last (a 429 then a 200); a reply may carry headers
(``Retry-After``) and a delay before it answers (a provider that times out).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """A body (JSON value, or ``str``/``bytes`` sent as is) and its status."""

    body: Any
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    delay_s: float = 0.0


@dataclass(frozen=True)
class InTurn:
    """Replies answered one per request, the last one repeated."""

    replies: tuple[Any, ...]

    def __init__(self, *replies: Any) -> None:
        object.__setattr__(self, "replies", replies)


@dataclass(frozen=True)
class Seen:
    method: str
    path: str  # with its query
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class PayloadServer:
    url: str  # base URL, no trailing slash
    routes: dict[str, Any]  # "METHOD /path" -> Reply or a plain body
    seen: list[Seen] = field(default_factory=list)

    answered: dict[str, int] = field(default_factory=dict)  # route -> times asked

    def reply_for(self, method: str, path: str) -> Reply:
        """The route's reply; a route set to a plain body (tests may swap one) answers 200."""
        for key in (f"{method} {path}", f"{method} {path.partition('?')[0]}"):
            if key in self.routes:
                found = self.routes[key]
                turn = self.answered.get(key, 0)
                self.answered[key] = turn + 1
                if isinstance(found, InTurn):
                    found = found.replies[min(turn, len(found.replies) - 1)]
                return found if isinstance(found, Reply) else Reply(found)
        return Reply({"error": "no such route"}, 404)


class _Handler(BaseHTTPRequestHandler):
    server_state: PayloadServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server_state.seen.append(Seen(self.command, self.path, headers, body))
        reply = self.server_state.reply_for(self.command, self.path)
        if reply.delay_s:
            time.sleep(reply.delay_s)
        content = reply.body if isinstance(reply.body, bytes) else (
            reply.body.encode() if isinstance(reply.body, str) else json.dumps(reply.body).encode())
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(content)  # a client that gave up (a timeout test) is not an error

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_payloads(routes: Mapping[str, Any]) -> Iterator[PayloadServer]:
    """Serve ``routes`` (``{"GET /path": body or Reply}``) on 127.0.0.1, a free port."""
    state = PayloadServer("", {k: v if isinstance(v, Reply | InTurn) else Reply(v)
                               for k, v in routes.items()})
    handler = type("Handler", (_Handler,), {"server_state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
