"""The optional upstream LLM: an OpenAI-compatible chat-completions endpoint that answers
with the assistant's own tools (function calling).

Configured by ``SOMA_AGENT_BASE`` (key ``SOMA_AGENT_KEY`` optional) or by
``GPUBROKER_LLM_BASE_URL`` + ``GPUBROKER_LLM_API_KEY``; see ``config/settings.py``. Every
round trip has a timeout; the tokens the upstream reports (``usage.total_tokens``) are
counted against a budget per turn; the answer must cite numbers found in tool results.
Any failure raises UpstreamFailed and the chat falls back to the built-in path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from assistant.chat.builtin import Reply
from assistant.chat.calls import Calls
from assistant.grounding import ungrounded_numbers
from assistant.tools import TOOLS

MAX_TOOL_RESULT_CHARS = 12_000
SYSTEM_PROMPT = (
    "You are GPUBroker's assistant. Answer questions about renting GPUs using ONLY the "
    "tools: parse_request reads the user's request into a workload and filters; "
    "offers_search lists live offers (use the parse's query as q); recommend and estimate "
    "size LLM workloads; price_history gives an offer's price trend. Every number you write "
    "must appear in a tool result. Cite offers as #<id>. When a search is empty, say which "
    "constraint removed the last offers and the nearest relaxation, as the tool's warnings "
    "say. Be brief.")


class UpstreamFailed(Exception):
    """The upstream LLM could not give a usable answer (the built-in path answers)."""


@dataclass(frozen=True)
class LlmConfig:
    base_url: str
    api_key: str
    model: str
    timeout_s: float
    token_budget: int
    max_rounds: int

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)


def llm_config() -> LlmConfig:
    conf = settings.GPUBROKER_LLM
    return LlmConfig(str(conf["base_url"]).rstrip("/"), str(conf["api_key"]), str(conf["model"]),
                     float(conf["timeout_s"]), int(conf["token_budget"]),
                     int(conf["max_rounds"]))


def upstream_reply(message: str, history: list[dict[str, str]], config: LlmConfig) -> Reply:
    """Answer ``message`` through the upstream model and the tools; UpstreamFailed if not."""
    messages: list[dict[str, Any]] = [{"role": "system", "content": SYSTEM_PROMPT}, *history,
                                      {"role": "user", "content": message}]
    calls, used = Calls(), 0
    try:
        with httpx.Client(timeout=config.timeout_s) as http:
            for _ in range(config.max_rounds):
                data = _complete(http, config, messages, used)
                used += _tokens(data)
                if used > config.token_budget:
                    raise UpstreamFailed(f"token budget of {config.token_budget} spent ({used})")
                reply = _step(data, messages, calls, config)
                if reply is not None:
                    return reply
    except (httpx.HTTPError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise UpstreamFailed(f"{type(exc).__name__}: {exc}") from exc
    raise UpstreamFailed(f"no answer within {config.max_rounds} rounds")


def _complete(http: httpx.Client, config: LlmConfig, messages: list[dict[str, Any]],
              used: int) -> dict[str, Any]:
    body = {"model": config.model, "messages": messages, "temperature": 0,
            "tools": [t.as_openai() for t in TOOLS.values()], "tool_choice": "auto",
            "max_tokens": max(64, min(1024, config.token_budget - used))}
    headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
    response = http.post(f"{config.base_url}/chat/completions", json=body, headers=headers)
    if response.status_code != 200:
        raise UpstreamFailed(f"upstream answered HTTP {response.status_code}")
    data = response.json()
    if not isinstance(data, dict) or not data.get("choices"):
        raise UpstreamFailed("upstream answer has no choices")
    return data


def _tokens(data: dict[str, Any]) -> int:
    usage = data.get("usage") or {}
    return int(usage.get("total_tokens") or 0)


def _step(data: dict[str, Any], messages: list[dict[str, Any]], calls: Calls,
          config: LlmConfig) -> Reply | None:
    """Run the tool calls of one completion (None: ask again), or accept its answer."""
    message = data["choices"][0]["message"]
    tool_calls = message.get("tool_calls") or []
    if not tool_calls:
        return _final(str(message.get("content") or ""), calls, data.get("model") or
                      config.model)
    messages.append({"role": "assistant", "content": message.get("content"),
                     "tool_calls": tool_calls})
    for call in tool_calls:
        function = call["function"]
        arguments = json.loads(function.get("arguments") or "{}")
        result = calls.run(str(function["name"]), arguments)
        content = json.dumps(result, default=str)[:MAX_TOOL_RESULT_CHARS]
        messages.append({"role": "tool", "tool_call_id": call["id"], "content": content})
    return None


def _final(answer: str, calls: Calls, model: str) -> Reply:
    if not answer.strip():
        raise UpstreamFailed("upstream gave an empty answer")
    if not calls.records:
        raise UpstreamFailed("upstream answered without calling a tool")
    ungrounded = ungrounded_numbers(answer, calls.records)
    if ungrounded:
        raise UpstreamFailed(f"numbers not found in any tool result: {', '.join(ungrounded)}")
    cited = {int(n) for n in re.findall(r"#(\d+)", answer)}
    offers = [o for o in calls.offers() if o.get("id") in cited]
    return Reply(answer.strip(), offers, calls.records, engine=str(model))
