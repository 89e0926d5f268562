"""A real local HTTP server for replaying recorded payloads and catalogs.

Serves files from a folder; paths listed in ``failures`` answer with that status instead.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Handler(SimpleHTTPRequestHandler):
    failures: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        status = self.failures.get(self.path)
        if status:
            self.send_error(status, "failure requested by the test")
            return
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_folder(root: Path, *, failures: dict[str, int] | None = None) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port); yields the base URL ending in '/'."""
    handler = type("Handler", (_Handler,), {"failures": dict(failures or {})})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
