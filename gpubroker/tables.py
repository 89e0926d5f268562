"""Plain-text tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}" if value != int(value) else str(int(value))
    return str(value)


def sync_progress_line(result: Any) -> None:
    extra = f"  {result.error}" if result.error else ""
    print(f"{result.provider:<16} {result.status:<8} {result.offers:>6} offers  "
          f"+{result.added} ~{result.changed} -{result.removed}  {result.duration_s:.2f}s{extra}",
          flush=True)


def sync_summary(results: Sequence[Any]) -> str:
    rows = [(r.provider, r.status, r.seen, r.offers, r.added, r.changed, r.removed,
             sum(r.unknown_gpus.values()), f"{r.duration_s:.2f}") for r in results]
    ok = sum(r.status == "ok" for r in results)
    total = sum(r.offers for r in results)
    footer = f"\n{ok}/{len(results)} providers ok, {total} offers stored"
    headers = ("provider", "status", "priced rows", "offers", "added", "changed", "removed",
               "unknown gpu rows", "seconds")
    return "\n" + table(headers, rows) + footer


def offers_table(page: Any) -> str:
    rows = [(o["id"], o["provider"], o["instance_type"], o["gpu_name"] or o["gpu_raw_name"],
             o["gpu_count"], o["gpu_memory_gb"], o["vcpus"], o["memory_gb"], o["region"],
             "spot" if o["spot"] else "", f"{o['price_per_hour']:.4f}",
             f"{o['price_per_gpu_hour']:.4f}") for o in page.items]
    out = table(("id", "provider", "instance", "gpu", "n", "gpu_gb", "vcpus", "ram_gb", "region",
                 "spot", "$/h", "$/gpu-h"), rows)
    shown = f"{len(page.items)} of {page.total} offers (page {page.page})"
    notes = "".join(f"\nwarning: {w}" for w in page.warnings)
    return f"{out}\n{shown}{notes}"


def assistant_answer(body: dict[str, Any]) -> str:
    """The chat answer, then the offers it cites, then the tools it called."""
    rows = [(o["id"], o["provider"], o["instance_type"], o["gpu_name"], o["gpu_count"],
             o["region"], "spot" if o["spot"] else "", f"{o['price_per_hour']:.4f}")
            for o in body["offers"]]
    cited = ("\n\n" + table(("id", "provider", "instance", "gpu", "n", "region", "spot", "$/h"),
                            rows)) if rows else ""
    tools = ", ".join(c["name"] for c in body["tool_calls"])
    return f"{body['answer']}{cited}\n\n({body['engine']}; tools: {tools})"
