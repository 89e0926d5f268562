"""Chat sessions: selectors and the writes of one turn (owner only)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from assistant.chat.builtin import Reply
from assistant.models import ChatMessage, ChatSession
from common.errors import NotFound

HISTORY_TURNS = 6


def session_of(*, user: Any, session_id: str) -> ChatSession:
    """``user``'s session by id; NotFound for another user's (no existence leak) or a bad id."""
    try:
        key = uuid.UUID(str(session_id))
    except ValueError:
        raise NotFound(f"no chat session {session_id!r}") from None
    session = ChatSession.objects.filter(pk=key, user=user).first()
    if session is None:
        raise NotFound(f"no chat session {session_id!r}")
    return session


def sessions_of(*, user: Any) -> list[dict[str, Any]]:
    return [_session_dict(s) for s in ChatSession.objects.filter(user=user)[:100]]


def session_detail(*, user: Any, session_id: str) -> dict[str, Any]:
    session = session_of(user=user, session_id=session_id)
    messages = [{"role": m.role, "content": m.content, "tool_calls": m.tool_calls,
                 "offer_ids": m.offer_ids, "engine": m.engine, "created_at": m.created_at}
                for m in session.messages.all()]
    return {**_session_dict(session), "messages": messages}


def session_delete(*, user: Any, session_id: str) -> None:
    session_of(user=user, session_id=session_id).delete()


def session_history(session: ChatSession) -> tuple[list[dict[str, str]], dict[str, Any] | None]:
    """The last turns as chat messages, and the last user turn's parse."""
    turns = list(session.messages.order_by("-created_at", "-id")[:HISTORY_TURNS])[::-1]
    history = [{"role": m.role, "content": m.content} for m in turns]
    parsed = next((m.parsed for m in reversed(turns) if m.role == "user" and m.parsed), None)
    return history, parsed


def session_start(*, user: Any, message: str) -> ChatSession:
    return ChatSession.objects.create(user=user, title=message[:120])


def session_record(*, session: ChatSession, message: str, parsed: dict[str, Any],
                   reply: Reply) -> None:
    """Store one turn: the user's message with its parse, then the answer."""
    with transaction.atomic():
        ChatMessage.objects.create(session=session, role="user", content=message,
                                   parsed=parsed)
        ChatMessage.objects.create(session=session, role="assistant", content=reply.answer,
                                   tool_calls=reply.tool_calls, engine=reply.engine,
                                   offer_ids=[o["id"] for o in reply.offers])
        session.save(update_fields=["updated_at"])


def _session_dict(session: ChatSession) -> dict[str, Any]:
    return {"id": str(session.id), "title": session.title, "created_at": session.created_at,
            "updated_at": session.updated_at}
