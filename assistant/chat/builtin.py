"""The built-in chat: no model, only tools. Each intent calls the tools it needs and writes
the answer from their results, so every number it states is a tool's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.chat.calls import Calls, num, offer_line, usd
from assistant.chat.intents import intent_of
from assistant.parser import ParsedRequest, filters_query
from assistant.parser.llms import MODELS_BY_KEY, model_key

ENGINE = "built-in"


@dataclass
class Reply:
    answer: str
    offers: list[dict[str, Any]]
    tool_calls: list[dict[str, Any]]
    engine: str = ENGINE
    intent: str = "find"
    notes: list[str] = field(default_factory=list)


def builtin_reply(message: str, parsed: ParsedRequest, calls: Calls | None = None) -> Reply:
    """Answer ``message`` (already parsed) with tools; ``calls`` may hold earlier calls."""
    intent = intent_of(message, parsed)
    calls = calls if calls is not None else Calls()
    answer = _HANDLERS[intent](parsed, calls)
    return Reply(answer, calls.offers(), calls.records, intent=intent)


def estimator_workload(workload: dict[str, Any]) -> dict[str, Any]:
    """The parsed workload in the estimator's fields (`mathcore.estimator.Workload`)."""
    out: dict[str, Any] = {"task": workload["task"] or "inference"}
    known = MODELS_BY_KEY.get(model_key(workload["model"] or ""))
    if known is not None and known.estimator_knows:
        out["model"] = known.name
    else:
        out["params_b"] = workload["params_b"]
    for name in ("precision", "method", "tokens", "input_tokens", "context_tokens",
                 "output_tokens"):
        if workload.get(name) is not None:
            out[name] = workload[name]
    if workload.get("concurrency") and out["task"] == "inference":
        # serving at load: the estimator batches up to this many users (docs/ESTIMATOR.md)
        out["mode"] = "throughput"
        out["concurrency"] = max(1, int(workload["concurrency"]))
    return out


def _find(parsed: ParsedRequest, calls: Calls) -> str:
    sort = parsed.filters["sort"] or "price_per_hour"
    result = calls("offers_search", q=parsed.query, sort=sort, limit=5)
    if "error" in result:
        return f"The offer search refused the filters: {result['error']}"
    if not result["items"]:
        return _nothing(parsed.query, result)
    first, rest = result["items"][0], result["items"][1:]
    lead = "Cheapest" if sort == "price_per_hour" else f"First by {sort}"
    text = (f"{lead} of {result['total']} offers matching `{parsed.query or 'all offers'}`: "
            f"{offer_line(first)}, fetched {first['fetched_at']}.")
    if rest:
        text += " Next: " + "; ".join(offer_line(o) for o in rest) + "."
    return text + _edit_hint(parsed)


def _nothing(q: str, result: dict[str, Any]) -> str:
    """An empty answer in the market's own words: which constraint and what to loosen."""
    return f"No offer matches `{q or 'all offers'}`. " + " ".join(result["warnings"])


def _compare(parsed: ParsedRequest, calls: Calls) -> str:
    lines, best = [], None
    for gpu in parsed.filters["gpu"] or []:
        q = filters_query({**parsed.filters, "gpu": [gpu]})
        result = calls("offers_search", q=q, sort="price_per_hour", limit=1)
        if result.get("items"):
            offer = result["items"][0]
            lines.append(f"{gpu}: cheapest of {result['total']} is {offer_line(offer)}")
            if best is None or offer["price_per_hour"] < best["price_per_hour"]:
                best = offer
        else:
            lines.append(f"{gpu}: none. " + " ".join(result.get("warnings", [])))
    text = "; ".join(lines) + "."
    if best is not None:
        text += f" Lowest hourly price: #{best['id']} ({best['gpu_name']})."
    return text + _edit_hint(parsed)


def _fits(parsed: ParsedRequest, calls: Calls) -> str:
    workload = estimator_workload(parsed.workload)
    result = calls("recommend", workload=workload, q=parsed.query, limit=5)
    if "error" in result:
        return f"The estimator refused this workload: {result['error']}"
    if not result["items"]:
        return _none_fit(parsed, calls, result)
    top = result["items"][0]
    est = top["estimate"]
    return (f"{result['fitting']} offers hold {_what(parsed)}. Best by TOPSIS (cost, speed, "
            f"headroom): {offer_line(top['offer'])}, {num(_rate(est))} tokens/s, "
            f"{usd(est['usd_per_million_tokens'])} per million tokens."
            + _runners_up(result["items"][1:]) + _edit_hint(parsed))


def _rate(est: dict[str, Any]) -> Any:
    """The rate the job runs at, under the estimate's own names (serving or training)."""
    rate = est.get("throughput_tokens_per_s")
    return rate if rate is not None else est.get("train_tokens_per_s")


def _cost(parsed: ParsedRequest, calls: Calls) -> str:
    workload = estimator_workload(parsed.workload)
    result = calls("recommend", workload=workload, q=parsed.query, limit=5)
    if "error" in result:
        return f"The estimator refused this workload: {result['error']}"
    if not result["items"]:
        return _none_fit(parsed, calls, result)
    finishing = [i for i in result["items"] if i["estimate"]["usd_to_finish"] is not None]
    if not finishing:
        return _fits(parsed, calls)
    best = min(finishing, key=lambda i: i["estimate"]["usd_to_finish"])
    est = best["estimate"]
    text = (f"Cheapest to finish {num(workload['tokens'], 0)} tokens of {_what(parsed)} among "
            f"the {len(result['items'])} best-ranked offers: {offer_line(best['offer'])}, "
            f"{usd(est['usd_to_finish'])} in {num(est['time_hours'], 2)} h at "
            f"{num(_rate(est))} tokens/s.")
    return text + _budget(parsed, est["usd_to_finish"]) + _edit_hint(parsed)


def _trend(parsed: ParsedRequest, calls: Calls) -> str:
    lines = [_gpu_trend(parsed, calls, gpu) for gpu in (parsed.filters["gpu"] or [])[:2]]
    result = calls("offers_search", q=parsed.query, sort="price_per_hour", limit=3)
    if not result.get("items"):
        return " ".join([*lines, _nothing(parsed.query, result) if "warnings" in result
                         else f"The offer search refused the filters: {result.get('error')}"])
    offers = [_offer_trend(calls, offer) for offer in result["items"]]
    return " ".join([*lines, "Price history of the cheapest matching offers: "
                     + "; ".join(o for o in offers if o) + "."])


def _gpu_trend(parsed: ParsedRequest, calls: Calls, gpu: str) -> str:
    """The market's daily price per GPU-hour of ``gpu`` (KPI history), first to last day."""
    arguments: dict[str, Any] = {"gpu": gpu, "interval": "day"}
    if parsed.filters["spot"] is not None:
        arguments["spot"] = parsed.filters["spot"]
    if len(parsed.filters["providers"] or []) == 1:
        arguments["provider"] = parsed.filters["providers"][0]
    points = calls("price_trend", **arguments).get("points") or []
    if not points:
        return f"No {gpu} prices were observed in the last 90 days."
    first, last = points[0], points[-1]
    if len(points) == 1:
        return (f"{gpu}: one day of prices so far ({last['time']}): median "
                f"{usd(last['median'])} per GPU-hour, from {usd(last['min'])} to "
                f"{usd(last['max'])}.")
    return (f"{gpu} median price per GPU-hour: {usd(first['median'])} on {first['time']} → "
            f"{usd(last['median'])} on {last['time']} ({len(points)} days with prices; on the "
            f"last, {usd(last['min'])} to {usd(last['max'])}).")


def _offer_trend(calls: Calls, offer: dict[str, Any]) -> str:
    seen = calls("price_history", offer_id=offer["id"]).get("observations", [])
    head = f"#{offer['id']} {offer['gpu_name']} on {offer['provider']}: "
    if len(seen) >= 2:
        return (head + f"{usd(seen[0]['price_per_hour'])}/h on {seen[0]['observed_at']} → "
                f"{usd(seen[-1]['price_per_hour'])}/h on {seen[-1]['observed_at']} "
                f"({len(seen)} observations)")
    if seen:
        return (head + f"one observation so far, {usd(seen[0]['price_per_hour'])}/h on "
                f"{seen[0]['observed_at']}")
    return ""


def _explain(parsed: ParsedRequest, calls: Calls) -> str:
    if parsed.workload["model"] is None and parsed.workload["params_b"] is None:
        sort = parsed.filters["sort"] or "price_per_hour"
        result = calls("offers_search", q=parsed.query, sort=sort, limit=3)
        if not result.get("items"):
            return _nothing(parsed.query, result)
        return (f"Without a workload, offers are ordered by {sort} (then price, then id): "
                + "; ".join(offer_line(o) for o in result["items"]) + ". Name a model (e.g. "
                "'llama 3.1 8b') to rank them by cost, speed and memory headroom.")
    result = calls("recommend", workload=estimator_workload(parsed.workload), q=parsed.query,
                   limit=3)
    if not result.get("items"):
        return _none_fit(parsed, calls, result)
    top = result["items"][0]
    parts = ", ".join(f"{k} {v:+.3f}" for k, v in top["contributions"].items())
    weights = ", ".join(f"{k} {v:g}" for k, v in result["weights"].items())
    return (f"{offer_line(top['offer'])} ranks first with TOPSIS score {top['score']:.3f} "
            f"(closeness to the ideal offer). Each criterion's contribution: {parts}; weights "
            f"{weights}."
            + " ".join([""] + result.get("notes", [])))


def _none_fit(parsed: ParsedRequest, calls: Calls, result: dict[str, Any]) -> str:
    search = calls("offers_search", q=parsed.query, sort="price_per_hour", limit=1)
    if not search.get("items"):
        return _nothing(parsed.query, search)
    skipped = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result["skipped"].items())
    return (f"None of the {search['total']} offers matching `{parsed.query or 'all offers'}` "
            f"holds {_what(parsed)} ({skipped}). Allow more GPUs per offer or more memory "
            f"per GPU, e.g. drop the GPU filter.")


def _what(parsed: ParsedRequest) -> str:
    w = parsed.workload
    name = w["model"] or f"a {num(w['params_b'], 2)}B-parameter model"
    return f"{name} ({w['task'] or 'inference'}{', ' + w['precision'] if w['precision'] else ''})"


def _runners_up(items: list[dict[str, Any]]) -> str:
    if not items:
        return ""
    return " Then: " + "; ".join(offer_line(i["offer"]) for i in items[:3]) + "."


def _budget(parsed: ParsedRequest, cost: float) -> str:
    budget = parsed.workload["budget_usd"]
    if budget is None:
        return ""
    verdict = "within" if cost <= budget else "over"
    return f" That is {verdict} your budget of {usd(budget)}."


def _edit_hint(parsed: ParsedRequest) -> str:
    return f" Edit the filters: q=`{parsed.query}`." if parsed.query else ""


_HANDLERS: dict[str, Callable[[ParsedRequest, Calls], str]] = {
    "find": _find, "compare": _compare, "fits": _fits, "cost": _cost, "trend": _trend,
    "explain": _explain,
}
