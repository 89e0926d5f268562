"""One GET through ``config.asgi.application`` as uvicorn sends it: a context of its own."""

from __future__ import annotations

from dataclasses import dataclass

from asgiref.testing import ApplicationCommunicator


@dataclass(frozen=True)
class AsgiAnswer:
    status: int
    headers: dict[bytes, bytes]  # names lower-cased
    body: bytes


async def asgi_get(path: str) -> AsgiAnswer:
    from config.asgi import application

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 40000),
             "server": ("127.0.0.1", 8000), "headers": [(b"host", b"127.0.0.1")]}
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(10)
    body = await communicator.receive_output(10)
    await communicator.wait(10)
    return AsgiAnswer(int(start["status"]), {k.lower(): v for k, v in start["headers"]},
                      body["body"])
