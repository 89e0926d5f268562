"""What a chat message asks: find or cheapest, compare GPUs, what fits a workload, cost to
run or finish, price trend, or explain a ranking."""

from __future__ import annotations

import re

from assistant.parser import ParsedRequest

INTENTS = ("find", "compare", "fits", "cost", "trend", "explain")
_EXPLAIN = re.compile(r"\b(why|explain|ranked|ranking|rank|score|scored|topsis)\b")
_TREND = re.compile(r"\b(trend|history|historic|over time|price change|changed|getting "
                    r"cheaper|going (up|down)|evolution|verlauf)\b")
_COMPARE = re.compile(r"\b(compare|comparison|vs\.?|versus|which is (cheaper|better|faster))\b")
_COST = re.compile(r"\b(cost|costs|how much|price to|to finish|how long|budget|spend|"
                   r"kostet|coût|cuesta)\b")
_LLM_TASKS = ("inference", "training", "fine-tune")


def intent_of(message: str, parsed: ParsedRequest) -> str:
    """One of INTENTS, from the message's words and what the parse found."""
    text = message.lower()
    workload = parsed.workload
    has_model = workload["model"] is not None or workload["params_b"] is not None
    llm = has_model and workload["task"] in (*_LLM_TASKS, None)
    if _EXPLAIN.search(text):
        return "explain"
    if _TREND.search(text):
        return "trend"
    if len(parsed.filters["gpu"] or []) >= 2 and (_COMPARE.search(text) or not llm):
        return "compare"
    if llm and (_COST.search(text) or workload["tokens"] or workload["budget_usd"]):
        return "cost"
    if llm:
        return "fits"
    return "find"
