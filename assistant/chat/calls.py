"""Tool calls of one chat turn, recorded as they run; numbers formatted for answers."""

from __future__ import annotations

from typing import Any

from assistant.tools import tool_run


class Calls:
    """Runs tools and keeps each call (name, arguments, result) for the reply."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def __call__(self, name: str, **arguments: Any) -> dict[str, Any]:
        return self.run(name, arguments)

    def run(self, name: str, arguments: Any) -> dict[str, Any]:
        result = tool_run(name, arguments)
        self.records.append({"name": name, "arguments": arguments, "result": result})
        return result

    def offers(self) -> list[dict[str, Any]]:
        """Every offer the calls returned, first appearance first, by id."""
        seen: dict[Any, dict[str, Any]] = {}
        for record in self.records:
            result = record["result"]
            for item in result.get("items", []) if isinstance(result, dict) else []:
                offer = item.get("offer", item)
                if isinstance(offer, dict) and offer.get("id") is not None:
                    seen.setdefault(offer["id"], offer)
        return list(seen.values())


def usd(value: float) -> str:
    return f"${value:,.2f}" if value >= 0.1 else f"${value:.4f}"


def num(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}" if abs(value) < 1e6 else f"{value:,.0f}"


def offer_line(offer: dict[str, Any]) -> str:
    """"#123 8× H100-SXM on aws us-east-1 at $98.32/h ($12.29/GPU-h, spot)"."""
    where = " ".join(str(p) for p in (offer.get("provider"), offer.get("region")) if p)
    count = offer.get("gpu_count")
    count_text = f"{count:g}" if isinstance(count, int | float) else "?"
    line = f"#{offer['id']} {count_text}× {offer.get('gpu_name')} on {where}"
    price, per_gpu = offer.get("price_per_hour"), offer.get("price_per_gpu_hour")
    if price is not None:
        line += f" at {usd(price)}/h"
        details = [f"{usd(per_gpu)}/GPU-h"] if per_gpu is not None else []
        if offer.get("spot"):
            details.append("spot")
        line += f" ({', '.join(details)})" if details else ""
    return line
