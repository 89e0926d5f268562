"""What the alerts page starts with: the form pre-filled from the URL.

The offers page links here with its own filters (``/alerts?gpu=H100&max_price=3``); the
offers API's price limits become the alert's (``max_price`` → ``max_price_per_hour``,
``max_price_per_gpu`` → ``max_price_per_gpu_hour``), every other parameter stays a filter;
the two the form has no field for (``fractional``, ``min_available``) join its ``q=`` as the
query language writes them (``fractional=true``, ``available_count>=2``).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

# alert form field → offers-API parameter it is pre-filled from
PREFILL = {"gpu": "gpu", "provider": "provider", "continent": "continent", "country": "country",
           "region": "region", "min_gpu_count": "min_gpu_count",
           "min_gpu_memory_gb": "min_gpu_memory_gb", "spot": "spot", "q": "q",
           "max_price_per_hour": "max_price", "max_price_per_gpu_hour": "max_price_per_gpu"}


# offers-API parameter → its q= term (the alert form has no field for these)
IN_QUERY = {"fractional": "fractional={}", "min_available": "available_count>={}"}


def alert_prefill(query: Mapping[str, str]) -> dict[str, str]:
    """The alert form's starting values: each offers-API parameter the URL carries, trimmed
    (lists as the API writes them, comma-separated)."""
    found = {field: _value(query, param) for field, param in PREFILL.items()}
    return {field: value[:200] for field, value in found.items() if value}


def alert_href(query: Mapping[str, str]) -> str:
    """The alerts page pre-filled with the filters of an offers-page URL (its sort and page
    left out)."""
    params = {param: _value(query, param) for param in PREFILL.values()}
    terms = [params["q"]] + [term.format(_value(query, param))
                             for param, term in IN_QUERY.items() if _value(query, param)]
    params["q"] = " ".join(t for t in terms if t)
    kept = urlencode({k: v for k, v in params.items() if v})
    return "/alerts" + (f"?{kept}" if kept else "")


def _value(query: Mapping[str, str], param: str) -> str:
    """One parameter's value; repeated ones (``gpu=H100&gpu=A100``) joined with commas."""
    getlist = getattr(query, "getlist", None)
    values = getlist(param) if getlist else [query.get(param, "")]
    return ",".join(v.strip() for v in values if v and v.strip())
