"""Money in a request: an hourly price cap, a per-GPU-hour cap, or a total budget.

"$1.5/hr", "1,5 $/h", "40 cents per hour", "2 bucks an hour", "0.9$/h" cap the price of an
offer; "budget 50 dollars", "$2k", "max $150 total" or any amount beside a duration ("for
a week") is a budget. Prices are USD: an amount in another currency is left unparsed
rather than converted at a made-up rate, and so is a monthly amount.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.parser.text import MULT, NUM, Text, number_value

_HOUR = r"(?:h|hr|hrs|hour|hours|hora|heure|stunde|std|ora|godz|godzina)(?![a-z])"
_PER_GPU = r"(?:gpu|card)[\s-]*"


def _per(i: int) -> str:
    """" /h", " per GPU-hour", " an hour", " a month" after an amount (groups numbered i)."""
    return (rf"(?P<per{i}>\s*(?:/|per|an|a|each|la|por|par|pro|al|the|every)\s*"
            rf"(?:(?P<gpu{i}>{_PER_GPU})(?:/\s*)?)?(?:{_HOUR})(?:\s*(?:/|per)\s*"
            rf"(?P<gpux{i}>gpu|card))?|\s*(?:/|per|a|an)\s*(?P<month{i}>month|mo|mes|monat"
            rf"|mois)(?![a-z]))?")


_USD_BEFORE = r"(?:\$|usd\s?|us\$)"
_USD_AFTER = r"(?:\s?(?:\$|usd|dollars?|dolares|dólares|dollari|dolars|bucks)(?![a-z]))"
_CENTS = r"(?:\s?(?:cents?|c|ct|¢)(?![a-z]))"
_OTHER = r"(?:\s?(?:€|eur|euros?|£|gbp|pounds?)(?![a-z]))"
_MONEY = re.compile(
    rf"(?P<cur1>{_USD_BEFORE})\s*(?P<n1>{NUM}{MULT}){_per(1)}"
    rf"|(?P<n2>{NUM}{MULT})(?P<cur2>{_USD_AFTER}|{_CENTS}|{_OTHER}){_per(2)}"
    rf"|(?P<other>[€£])\s*(?P<n3>{NUM}{MULT}){_per(3)}"
    rf"|(?P<n4>{NUM})(?P<bare>\s*(?:/|per|an|a)\s*{_HOUR})"
)
_BUDGET_BEFORE = re.compile(r"(?:budget|total|spend|spending|have|afford|overall|up\s+to"
                            r"\s+a\s+total)[^.;!?]{0,24}$")
_BUDGET_AFTER = re.compile(r"^\s*(?:in\s+)?(?:total|overall|all\s+in|budget|to\s+spend)")
_DURATION = re.compile(r"\bfor\s+(?:\d+|a|an|one|two|three)\s+(?:days?|weeks?|months?|hours?)"
                       r"|\bper\s+(?:day|week|month)|\bovernight\b")


def read_money(text: Text, found: dict[str, Any]) -> None:
    has_duration = bool(_DURATION.search(text.s))
    for match in text.find(_MONEY):
        _read_one(text, match, found, has_duration)


def _read_one(text: Text, match: re.Match[str], found: dict[str, Any],
              has_duration: bool) -> None:
    currency = (match.group("cur1") or match.group("cur2") or match.group("other") or "")
    groups = {k: v for k, v in match.groupdict().items() if v}
    per = next((v for k, v in groups.items() if k.startswith("per")), "")
    per_gpu = any(k.startswith("gpu") for k in groups)
    if any(k.startswith("month") for k in groups) or re.search(r"€|eur|£|gbp|pound", currency):
        found.setdefault("unparsed_money", []).append(text.as_written(*match.span()).strip())
        return
    raw = match.group("n1") or match.group("n2") or match.group("n3") or match.group("n4")
    value = number_value(raw)
    if re.fullmatch(_CENTS, currency or "x"):
        value /= 100
    hourly = bool(match.group("bare") or re.search(_HOUR, per))
    if hourly and per_gpu:
        found["max_price_per_gpu_hour"] = value
    elif hourly:
        found["max_price_per_hour"] = value
    elif _is_budget(text.s[:match.start()], text.s[match.end():], has_duration):
        found["budget_usd"] = value
    else:
        found["max_price_per_hour"] = value


def _is_budget(before: str, after: str, has_duration: bool) -> bool:
    return bool(has_duration or _BUDGET_BEFORE.search(before) or _BUDGET_AFTER.search(after))
