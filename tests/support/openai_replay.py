"""A real local HTTP server that speaks OpenAI's chat-completions protocol by replaying a
recorded exchange: one response per POST /chat/completions, in order.

An exchange is a JSON list of steps: ``{"response": {...}}`` (a chat.completion body),
optionally with ``"status"`` (answer that HTTP status instead) or ``"delay_s"`` (wait first).
A final answer may quote the tool results the client sent, as a model would:
``{{offers_search.items.0.id}}`` or ``{{offers_search.items.0.price_per_hour:,.2f}}`` is
filled from the last ``tool`` message answering a call of that function.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

_SLOT = re.compile(r"\{\{(\w+)((?:\.\w+)+)(?::([^}]*))?\}\}")


def exchange_load(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text())


def _tool_results(body: dict[str, Any]) -> dict[str, Any]:
    names = {call["id"]: call["function"]["name"] for m in body.get("messages", [])
             if m.get("role") == "assistant" for call in m.get("tool_calls") or []}
    return {names[m["tool_call_id"]]: json.loads(m["content"])
            for m in body.get("messages", []) if m.get("role") == "tool"}


def _fill(value: Any, results: dict[str, Any]) -> Any:
    if isinstance(value, str):
        def slot(match: re.Match[str]) -> str:
            node: Any = results[match.group(1)]
            for key in match.group(2).strip(".").split("."):
                node = node[int(key)] if isinstance(node, list) else node[key]
            return format(node, match.group(3) or "")
        return _SLOT.sub(slot, value)
    if isinstance(value, dict):
        return {k: _fill(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, results) for v in value]
    return value


@contextmanager
def serve_exchange(steps: list[dict[str, Any]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Serve ``steps`` on 127.0.0.1; yields (base URL, the requests received so far)."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.loads(raw)
            received.append({"path": self.path, "headers": dict(self.headers), "body": body})
            step = steps[min(len(received), len(steps)) - 1]
            time.sleep(step.get("delay_s", 0))
            payload = _fill(step.get("response", {}), _tool_results(body))
            data = payload if isinstance(payload, str) else json.dumps(payload)
            self.send_response(step.get("status", 200))
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", received
    finally:
        server.shutdown()
        server.server_close()
