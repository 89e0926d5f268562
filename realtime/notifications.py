"""``/ws/notifications/``: a user's alert notifications, pushed as they are stored.

    client → {"authenticate": "<access token>"}               (the first message)
    server → {"type": "authenticated", "expires_at": <token exp, unix s>}
           | {"type": "error", "detail": …, "code": …} and close
    server → {"type": "alert", "alert": {...}, "offers": [...], "notification_id": N}
    server → {"type": "heartbeat"}                            (every 30 s)

A token in the URL is refused (URLs get logged): any query string closes the socket.
Close codes: 4400 bad first message or a token in the URL, 4401 the token expired (now or
while connected: refresh it and reconnect), 4403 an invalid or revoked token, 4408 no
authentication within ``GPUBROKER_WS_AUTH_TIMEOUT_S`` (10 s). Alerts reach their owner's group only.

Like ``/ws/offers/`` the socket is a ``GuardedJsonConsumer`` inside ``realtime.limits``, with
its own per-address count (``kind = "notifications"``): over the per-address cap closes 1013,
a frame over ``GPUBROKER_WS_MAX_FRAME_BYTES`` closes 1009, and once authenticated every message
(the socket only sends) is an error frame, too many of them (or a flood) a 1008 close. Before
authentication any refused frame (not JSON, too deep) is a bad first message: 4400.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import jwt
from channels.db import database_sync_to_async
from django.conf import settings

from accounts.services.tokens import access_token_user
from common.errors import BadRequest, BrokerError, Unauthorized
from realtime.guarded import GuardedJsonConsumer
from realtime.heartbeat import heartbeat_start, task_stop
from realtime.services import serving_loop_remember, user_group

CLOSE = {"bad_request": 4400, "token_in_url": 4400, "token_expired": 4401,
         "invalid_token": 4403, "auth_timeout": 4408}
FIRST_MESSAGE = 'the first message must be {"authenticate": "<access token>"}'


class NotificationsConsumer(GuardedJsonConsumer):
    kind = "notifications"

    async def connect(self) -> None:
        self.user_id: int | None = None
        self.group: str | None = None
        self.tasks: list[asyncio.Task[Any]] = []
        await super().connect()

    async def connected(self) -> None:
        serving_loop_remember()  # serve's scheduler syncs in a thread: its sends run here
        if self.scope.get("query_string"):
            await self._refuse("token_in_url", "send the access token as the first message, "
                               '{"authenticate": "<access token>"}, never in the URL')
            return
        self.tasks.append(asyncio.create_task(self._deadline()))

    async def message(self, content: Any) -> None:
        if self.user_id is not None:
            await self.refuse(BadRequest("already authenticated: this socket only sends"))
            return
        token = _token_of(content)
        if token is None:
            await self._refuse("bad_request", FIRST_MESSAGE)
            return
        await self._authenticate(token)

    async def refuse(self, exc: BrokerError) -> None:
        """Before authentication a refused frame is a bad first message (4400); after it,
        an error frame (and 1008 after too many, as on every guarded socket)."""
        if self.user_id is None:
            await self._refuse("bad_request", f"{FIRST_MESSAGE} ({exc.detail})")
            return
        await super().refuse(exc)

    async def disconnect(self, code: int) -> None:
        for task in getattr(self, "tasks", []):
            task_stop(task)
        if getattr(self, "group", None) is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def alert_notify(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "alert", "alert": event["alert"],
                              "offers": event["offers"],
                              "notification_id": event["notification_id"]})

    async def _authenticate(self, token: str) -> None:
        try:
            user, claims = await database_sync_to_async(access_token_user)(token)
        except Unauthorized as exc:
            if isinstance(exc.__cause__, jwt.ExpiredSignatureError):
                await self._refuse("token_expired", "the access token has expired: refresh it "
                                   "and reconnect")
            else:
                await self._refuse("invalid_token", exc.detail)
            return
        for task in self.tasks:
            task_stop(task)
        self.user_id, self.group = user.pk, user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"type": "authenticated", "expires_at": claims.exp})
        self.tasks = [heartbeat_start(self.send_json),
                      asyncio.create_task(self._expiry(claims.exp))]

    async def _deadline(self) -> None:
        timeout_s = float(settings.GPUBROKER_WS_AUTH_TIMEOUT_S)
        await asyncio.sleep(timeout_s)
        if self.user_id is None:
            await self._refuse("auth_timeout", f"no authentication within {timeout_s:g}s")

    async def _expiry(self, exp: int) -> None:
        await asyncio.sleep(max(0.0, exp + settings.JWT_LEEWAY_S - time.time()))
        await self._refuse("token_expired", "the access token has expired: refresh it and "
                           "reconnect")

    async def _refuse(self, code: str, detail: str) -> None:
        if getattr(self, "closing", False):
            return
        await self.send_json({"type": "error", "detail": detail, "code": code})
        await self.close(code=CLOSE[code])

    @classmethod
    async def encode_json(cls, content: Any) -> str:
        return json.dumps(content, default=str)


def _token_of(content: Any) -> str | None:
    """The token of ``{"authenticate": "<token>"}``, or None for anything else."""
    if not isinstance(content, dict) or list(content) != ["authenticate"]:
        return None
    token = content["authenticate"]
    return token.strip() if isinstance(token, str) and token.strip() else None
