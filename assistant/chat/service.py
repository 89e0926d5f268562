"""`chat_reply`: one chat turn. Parse, pick the upstream LLM or the built-in path, record
the turn in the owner's session. Anonymous chat works without history."""

from __future__ import annotations

import logging
import re
from typing import Any

from accounts.services.ratelimit import ratelimit_hit
from assistant.chat import sessions
from assistant.chat.builtin import Reply, builtin_reply
from assistant.chat.calls import Calls
from assistant.chat.upstream import UpstreamFailed, llm_config, upstream_reply
from assistant.errors import message_checked
from assistant.parser import ParsedRequest, request_parse
from common.errors import Unauthorized

log = logging.getLogger(__name__)
_FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|now|also|only|instead|same|then|"
                        r"und|et|y)\b", re.IGNORECASE)


def chat_reply(*, message: object, session_id: str | None, user: Any | None,
               client: str | None = None) -> dict[str, Any]:
    """The answer to ``message``, grounded in tool calls, with the offers it cites.

    client: who is asking (an IP) for the anonymous rate limit; signed-in users are limited
    per user. None (the CLI) is not limited.
    """
    if user is not None:
        ratelimit_hit(scope="ai_user", ident=str(user.pk))
    elif client is not None:
        ratelimit_hit(scope="ai_ip", ident=client)
    text = message_checked(message, field="message")
    if session_id is not None and user is None:
        raise Unauthorized("sign in to continue a chat session; anonymous chat keeps no "
                           "history")
    session = _session(user, session_id, text)
    history, previous = sessions.session_history(session) if session else ([], None)
    parsed = _with_context(request_parse(text), previous, text)
    reply = _answer(text, parsed, history)
    if session is not None:
        sessions.session_record(session=session, message=text, parsed=parsed.as_dict(),
                                reply=reply)
    return {"answer": reply.answer, "offers": reply.offers, "tool_calls": reply.tool_calls,
            "session_id": str(session.id) if session else None, "engine": reply.engine}


def _session(user: Any | None, session_id: str | None, text: str) -> Any:
    if user is None:
        return None
    if session_id is None:
        return sessions.session_start(user=user, message=text)
    return sessions.session_of(user=user, session_id=session_id)


def _with_context(parsed: ParsedRequest, previous: dict[str, Any] | None,
                  text: str) -> ParsedRequest:
    """A follow-up ("and in Europe?") keeps the fields of the session's last request."""
    names = (parsed.workload["model"], parsed.workload["params_b"], parsed.filters["gpu"])
    if previous is None or (any(v is not None for v in names) and not _FOLLOW_UP.search(text)):
        return parsed
    workload = {k: v if v is not None else previous["workload"].get(k)
                for k, v in parsed.workload.items()}
    filters = {k: v if v is not None else previous["filters"].get(k)
               for k, v in parsed.filters.items()}
    return ParsedRequest(workload, filters, parsed.unparsed, parsed.confidence)


def _answer(text: str, parsed: ParsedRequest, history: list[dict[str, str]]) -> Reply:
    config = llm_config()
    if config.enabled:
        try:
            return upstream_reply(text, history, config)
        except UpstreamFailed as exc:
            log.warning("upstream LLM failed, answering built-in: %s", exc)
    calls = Calls()
    calls.records.append({"name": "parse_request", "arguments": {"text": text},
                          "result": parsed.as_dict()})
    return builtin_reply(text, parsed, calls)
