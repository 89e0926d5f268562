"""What a parse returns: the workload, the offer filters, the equivalent ``q=`` query, the
words left unread and a confidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WORKLOAD_FIELDS = ("task", "model", "params_b", "precision", "method", "tokens",
                   "input_tokens", "context_tokens", "output_tokens", "concurrency",
                   "requests_per_s", "quantity", "budget_usd")
FILTER_FIELDS = ("gpu", "gpu_count", "gpu_memory_gb", "min_total_gpu_memory_gb",
                 "min_memory_gb", "max_price_per_hour", "max_price_per_gpu_hour", "spot",
                 "providers", "region", "country", "continent", "sort")
_INTEGERS = frozenset({"tokens", "input_tokens", "context_tokens", "output_tokens", "concurrency",
                       "gpu_count"})
# filter -> (q field, operator); lists become "in [a,b]".
_QUERY = {
    "gpu": ("gpu", "in"), "gpu_count": ("gpu_count", ">="),
    "gpu_memory_gb": ("gpu_memory_gb", ">="),
    "min_total_gpu_memory_gb": ("total_gpu_memory_gb", ">="),
    "min_memory_gb": ("memory_gb", ">="), "max_price_per_hour": ("price_per_hour", "<="),
    "max_price_per_gpu_hour": ("price_per_gpu_hour", "<="), "spot": ("spot", "="),
    "providers": ("provider", "in"), "region": ("region", "in"),
    "country": ("country", "in"), "continent": ("continent", "in"),
}


@dataclass(frozen=True)
class ParsedRequest:
    """A request read into the estimator's workload and the market's filters.

    workload: task, model, params_b (total, MoE included), precision, method, tokens (to
        process in all), input_tokens (per prompt), context_tokens, output_tokens,
        concurrency, requests_per_s, quantity (images to generate, audio hours to
        transcribe or training examples), budget_usd.
    filters: gpu (canonical names), gpu_count (minimum), gpu_memory_gb (per GPU, minimum),
        min_total_gpu_memory_gb, min_memory_gb (host RAM), max_price_per_hour (USD, whole
        offer), max_price_per_gpu_hour, spot, providers, region, country (ISO codes, comma
        separated), continent, sort. Unknown stays None.
    query: the filters (sort aside) in the market's ``q=`` language.
    """

    workload: dict[str, Any]
    filters: dict[str, Any]
    unparsed: list[str] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def query(self) -> str:
        return filters_query(self.filters)

    def as_dict(self) -> dict[str, Any]:
        return {"workload": self.workload, "filters": self.filters, "query": self.query,
                "unparsed": self.unparsed, "confidence": self.confidence}

    def offer_params(self) -> dict[str, Any]:
        """The filters as ``GET /api/v2/providers/`` parameters (``q`` carries them)."""
        return {"q": self.query} if self.query else {}


def fields_from(found: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split what the readers found into workload and filters, every field present."""
    def clean(name: str) -> Any:
        value = found.get(name)
        if name in _INTEGERS and isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, float):
            return round(value, 6)
        return value
    return ({k: clean(k) for k in WORKLOAD_FIELDS}, {k: clean(k) for k in FILTER_FIELDS})


def filters_query(filters: dict[str, Any]) -> str:
    """The filters in the ``q=`` language: ``gpu in [H100] price_per_hour<=10 ...``."""
    parts = []
    for name, (field_name, op) in _QUERY.items():
        value = filters.get(name)
        if value is None or value == []:
            continue
        parts.append(_term(field_name, op, value))
    return " ".join(parts)


def _term(field_name: str, op: str, value: Any) -> str:
    if op == "in":
        items = value if isinstance(value, list) else str(value).split(",")
        return f"{field_name} in [{','.join(items)}]"
    if isinstance(value, bool):
        return f"{field_name}={'true' if value else 'false'}"
    return f"{field_name}{op}{value:g}"
