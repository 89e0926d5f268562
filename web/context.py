"""Template context for every dashboard page: the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# (url name, label, path prefix that marks it current)
NAV = (
    ("web:offers", "Offers", "/"),
    ("web:market", "Market", "/market"),
    ("web:compare", "Compare", "/compare"),
    ("web:plan", "Plan", "/plan"),
    ("web:alerts", "Alerts", "/alerts"),
    ("web:account", "Account", "/account"),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    path = request.path
    items = []
    for name, label, prefix in NAV:
        current = path == "/" or path.startswith("/gpu/") if prefix == "/" else \
            path.startswith(prefix)
        items.append({"name": name, "label": label, "current": current})
    return {"nav": items}
