"""`/api/v2/ai`: parse a request into a workload and filters, chat grounded in tools, the
tools' JSON schemas, and a signed-in user's chat sessions. Thin endpoints: one service call
each. Chat works anonymously (no history); a Bearer token keeps sessions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from accounts.auth import JWTAuth
from accounts.http import client_ip
from assistant import services
from assistant.chat import sessions
from assistant.chat.service import chat_reply
from assistant.schemas import (
    AiChatIn,
    AiChatOut,
    AiParseIn,
    AiParseOut,
    AiSessionDetailOut,
    AiSessionOut,
    AiToolOut,
)
from assistant.tools import tools_list
from common.schemas import errors

router = Router()


@router.post("/parse-workload", response=AiParseOut,
             summary="Plain language → workload, offer filters and the equivalent q= query")
def parse_workload(request: HttpRequest, payload: AiParseIn) -> dict[str, Any]:
    return services.request_parsed(text=payload.text)


@router.post("/chat", response={200: AiChatOut, **errors(401, 404)},
             summary="Ask in plain language; answers come from offer search, recommend, "
                     "estimate and price history")
def chat(request: HttpRequest, payload: AiChatIn) -> dict[str, Any]:
    user = JWTAuth()(request)  # None without a Bearer header; a bad token is a 401
    return chat_reply(message=payload.message, session_id=payload.session_id, user=user,
                      client=client_ip(request) or "unknown")


@router.get("/tools", response=list[AiToolOut], summary="The tools chat calls, with JSON schemas")
def tools(request: HttpRequest) -> list[dict[str, Any]]:
    return tools_list()


@router.get("/sessions", response=list[AiSessionOut], auth=JWTAuth(),
            summary="Your chat sessions, latest first")
def sessions_list(request: HttpRequest) -> list[dict[str, Any]]:
    return sessions.sessions_of(user=request.auth)


@router.get("/sessions/{session_id}", response=AiSessionDetailOut, auth=JWTAuth(),
            summary="One of your chat sessions with its messages")
def session_get(request: HttpRequest, session_id: str) -> dict[str, Any]:
    return sessions.session_detail(user=request.auth, session_id=session_id)


@router.delete("/sessions/{session_id}", response={204: None}, auth=JWTAuth(),
               summary="Delete one of your chat sessions")
def session_delete(request: HttpRequest, session_id: str) -> Status:
    sessions.session_delete(user=request.auth, session_id=session_id)
    return Status(204, None)
