"""The tools the assistant calls, with the JSON schemas an upstream LLM sees.

Each tool calls a service of the market or the estimator directly (never HTTP) and returns
plain JSON. Every number an answer states must come from one of these results
(`assistant.grounding` checks it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from common.errors import BrokerError
from mathcore.errors import MathInputError

MAX_LIMIT = 10
OFFER_FIELDS = ("id", "provider", "instance_type", "region", "country", "gpu_name",
                "gpu_count", "gpu_memory_gb", "price_per_hour", "price_per_gpu_hour", "spot",
                "fetched_at")


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]
    run: Callable[[dict[str, Any]], dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description,
                "parameters": self.parameters}

    def as_openai(self) -> dict[str, Any]:
        """The tool in OpenAI's chat-completions ``tools`` format."""
        return {"type": "function", "function": self.as_dict()}


def offer_brief(offer: dict[str, Any]) -> dict[str, Any]:
    """The fields of an offer an answer may cite."""
    brief = {k: offer.get(k) for k in OFFER_FIELDS}
    if brief["fetched_at"] is not None:
        brief["fetched_at"] = str(brief["fetched_at"])
    return brief


def _limit(args: dict[str, Any], default: int = 5) -> int:
    value = args.get("limit", default)
    if isinstance(value, bool) or not isinstance(value, int):
        value = default
    return max(1, min(value, MAX_LIMIT))


def _parse_request(args: dict[str, Any]) -> dict[str, Any]:
    from assistant.errors import message_checked
    from assistant.parser import request_parse

    return request_parse(message_checked(args.get("text"), field="text")).as_dict()


def _offers_search(args: dict[str, Any]) -> dict[str, Any]:
    from market.selectors import offers_page

    page = offers_page(params={"q": str(args.get("q") or "")},
                       sort=str(args.get("sort") or "price_per_hour"), page=1,
                       per_page=_limit(args))
    body = page.as_dict()
    return {"total": body["total"], "items": [offer_brief(o) for o in body["items"]],
            "warnings": body["warnings"], "relaxations": body["relaxations"]}


def _recommend(args: dict[str, Any]) -> dict[str, Any]:
    from workload.services import offers_recommended

    q = str(args.get("q") or "")
    found = offers_recommended(workload=dict(args.get("workload") or {}),
                               filters={"q": q} if q else None, limit=_limit(args))
    items = [{"offer": offer_brief(i["offer"]), "estimate": i["estimate"],
              "score": i["score"], "contributions": i["contributions"]}
             for i in found["items"]]
    return {**found, "items": items}


def _estimate(args: dict[str, Any]) -> dict[str, Any]:
    from workload.services import workload_estimate

    return workload_estimate(data=dict(args.get("workload") or {}))


def _price_history(args: dict[str, Any]) -> dict[str, Any]:
    from market.selectors import offer_history

    offer_id = args.get("offer_id")
    if isinstance(offer_id, bool) or not isinstance(offer_id, int):
        raise MathInputError("offer_id must be an integer")
    history = offer_history(offer_id=offer_id)
    observations = [{**o, "observed_at": str(o["observed_at"])}
                    for o in history["observations"]]
    return {**history, "observations": observations}


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe (datetimes as ISO strings), as a tool result must be."""
    return dict(json.loads(json.dumps(data, default=str)))


def _gpu_arg(args: dict[str, Any]) -> str:
    gpu = args.get("gpu")
    if not isinstance(gpu, str) or not gpu.strip():
        raise MathInputError("gpu is required, e.g. 'H100'")
    return gpu.strip()


def _gpu_kpis(args: dict[str, Any]) -> dict[str, Any]:
    from kpi.selectors import kpi_gpu

    return _plain(kpi_gpu(gpu=_gpu_arg(args)))


def _price_trend(args: dict[str, Any]) -> dict[str, Any]:
    from kpi.selectors import gpu_members
    from kpi.trend import kpi_history

    spot, provider = args.get("spot"), args.get("provider")
    return _plain(kpi_history(gpus=gpu_members(_gpu_arg(args)),
                              provider=provider if isinstance(provider, str) else None,
                              spot=spot if isinstance(spot, bool) else None,
                              interval=str(args.get("interval") or "day")))


_WORKLOAD = {
    "type": "object",
    "description": "estimator workload: task (inference, training, fine-tune), model (known "
                   "name) or params_b, precision, method, batch, input_tokens, output_tokens, "
                   "context_tokens, tokens; gpu and gpu_count for estimate",
    "additionalProperties": True,
}
_Q = {"type": "string", "description": "filters in the q= language, e.g. "
                                       "'gpu in [H100] price_per_hour<=3 spot=false'"}
_LIMIT = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}

TOOLS: dict[str, Tool] = {t.name: t for t in (
    Tool("parse_request", "Read a plain-language request into a workload (task, model, "
         "params_b, precision, tokens, concurrency, budget_usd …), offer filters and the "
         "equivalent q= query. Deterministic.",
         {"type": "object", "properties": {"text": {"type": "string"}},
          "required": ["text"]}, _parse_request),
    Tool("offers_search", "Live GPU offers matching filters, sorted (cheapest first by "
         "default). An empty answer carries warnings naming the constraint that removed the "
         "last offers and relaxations (nearest first).",
         {"type": "object", "properties": {
             "q": _Q, "sort": {"type": "string", "description": "numeric field, '-' for "
                               "descending: price_per_hour, price_per_gpu_hour, gpu_memory_gb"},
             "limit": _LIMIT}, "required": ["q"]}, _offers_search),
    Tool("recommend", "Offers that hold an LLM workload, each estimated on its own GPUs and "
         "price (tokens/s, USD per million tokens, time and cost to finish), ranked by "
         "TOPSIS on cost, speed and memory headroom with each criterion's contribution.",
         {"type": "object", "properties": {"workload": _WORKLOAD, "q": _Q, "limit": _LIMIT},
          "required": ["workload"]}, _recommend),
    Tool("estimate", "What an LLM workload needs on one GPU kind: memory breakdown, fit, "
         "minimum GPUs, tokens/s, time and cost to finish at a price.",
         {"type": "object", "properties": {"workload": _WORKLOAD}, "required": ["workload"]},
         _estimate),
    Tool("price_history", "Every price observed for one offer (by id), oldest first: the "
         "price trend of that offer.",
         {"type": "object", "properties": {"offer_id": {"type": "integer"}},
          "required": ["offer_id"]}, _price_history),
    Tool("gpu_kpis", "Market KPIs of one GPU (name or family): offers, regions, on-demand "
         "and spot price per GPU-hour (min, median, max), spot discount, value, providers "
         "and the 7- and 30-day trend.",
         {"type": "object", "properties": {"gpu": {"type": "string"}}, "required": ["gpu"]},
         _gpu_kpis),
    Tool("price_trend", "Min, median and max price per GPU-hour of a GPU over time, one "
         "point per hour, day (last 90 days) or week, optionally for one provider or spot "
         "or on-demand only.",
         {"type": "object", "properties": {
             "gpu": {"type": "string"}, "provider": {"type": "string"},
             "spot": {"type": "boolean"},
             "interval": {"type": "string", "enum": ["hour", "day", "week"]}},
          "required": ["gpu"]}, _price_trend),
)}


def tool_run(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """Run one tool; a bad call returns ``{"error": ...}`` (the caller may retry)."""
    tool = TOOLS.get(name)
    if tool is None:
        return {"error": f"unknown tool {name!r}; tools: {', '.join(TOOLS)}"}
    if not isinstance(arguments, dict):
        return {"error": "arguments must be a JSON object"}
    try:
        return tool.run(arguments)
    except (BrokerError, MathInputError) as exc:
        return {"error": str(exc)}
    except (TypeError, ValueError) as exc:  # arguments of the wrong shape (an LLM's call)
        return {"error": f"bad arguments for {name}: {exc}"}


def tools_list() -> list[dict[str, Any]]:
    return [t.as_dict() for t in TOOLS.values()]
