"""Formatting for the dashboard: money, sizes, freshness ("3 min ago"), sources."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Any
from urllib.parse import urlparse

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def usd(value: Any) -> str:
    """$1.10, $0.125, $0.0256, $1,234.00: cents above a dollar, more digits below; a dash
    when unknown."""
    if value is None or value == "":
        return "–"
    number = float(value)
    digits = 2 if abs(number) >= 1 else 3 if abs(number) >= 0.1 else 4
    return f"${number:,.{digits}f}"


@register.filter
def num(value: Any) -> str:
    """A count or size without a pointless .0; a dash when unknown."""
    if value is None or value == "":
        return "–"
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"


@register.filter
def plain(value: Any) -> str:
    """A number as an input's value: 3.0 → "3", 1.5 → "1.5"; empty when unset."""
    if value is None or value == "":
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


@register.filter
def gpu_share(fraction: Any) -> str:
    """A share of one GPU as people write it: 0.125 → "1/8 GPU", 0.05 → "1/20 GPU", a share
    no small fraction writes → "0.37 GPU"; empty for a whole GPU or an unknown share."""
    if fraction is None or fraction == "" or not 0 < float(fraction) < 1:
        return ""
    value = float(fraction)
    near = Fraction(value).limit_denominator(64)
    if abs(float(near) - value) < 1e-6:
        return f"{near.numerator}/{near.denominator} GPU"
    return f"{value:.2g} GPU"


@register.filter
def ago(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago ``value`` was, the way people say it: "just now", "3 min ago"."""
    if value is None:
        return "never"
    seconds = max(0, int(((now or timezone.now()) - value).total_seconds()))
    for limit, unit, size in ((3600, "min", 60), (86400, "h", 3600), (10**12, "d", 86400)):
        if seconds < limit:
            count = seconds // size
            return "just now" if unit == "min" and count == 0 else f"{count} {unit} ago"
    return ""


@register.filter
def iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


@register.filter
def source_short(source: str) -> str:
    """Where a price came from, short: the host and the last two path parts."""
    parsed = urlparse(source)
    parts = [p for p in (parsed.path or source).split("/") if p]
    tail = "/".join(parts[-2:]) if parts else source
    return f"{parsed.netloc} · {tail}" if parsed.scheme in ("http", "https") else tail


@register.simple_tag
def page_url(view: Any, number: int) -> str:
    return str(view.query.url(page=number))


@register.simple_tag
def per_page_url(view: Any, size: int) -> str:
    return str(view.query.url(per_page=size, page=1))


@register.simple_tag
def widthof(start: float, end: float) -> str:
    """An SVG width from two x positions, never below one unit (a single price)."""
    return f"{max(1.0, float(end) - float(start)):.1f}"


@register.filter
def usd_tick(value: float) -> str:
    """An axis label: $0, $2.5, $20."""
    return f"${float(value):g}"


@register.filter
def percent(value: Any) -> str:
    """A signed fraction as a percentage: 0.125 -> +12.5 %."""
    if value is None:
        return "–"
    return f"{float(value) * 100:+.1f} %"
