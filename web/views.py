"""Dashboard pages: thin views that read through selectors and render a template.

Interactive parts (live prices, ranking, planning, the account, alerts) call the REST API from
the page's own static JavaScript.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from common.errors import InvalidInput
from web.account import account_providers
from web.alerts import alert_href, alert_prefill
from web.compare import compare_view
from web.gpus import gpu_view
from web.market import market_view, moves_window
from web.offers import offers_facets, offers_view
from web.plan import plan_context
from web.query import PER_PAGE_CHOICES


@require_safe
def offers(request: HttpRequest) -> HttpResponse:
    view = offers_view(query=request.GET)
    context = {"view": view, "facets": offers_facets(), "per_page_choices": PER_PAGE_CHOICES,
               "filters": view.query.filters, "alert_href": alert_href(request.GET)}
    return render(request, "web/offers.html", context, status=400 if view.error else 200)


@require_safe
def gpu(request: HttpRequest, name: str) -> HttpResponse:
    view = gpu_view(name=name)
    if view is None:
        context = {"name": name, "facets": offers_facets()}
        return render(request, "web/gpu_unknown.html", context, status=404)
    return render(request, "web/gpu.html", {"view": view})


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    view = compare_view(query=request.GET)
    return render(request, "web/compare.html", {"view": view},
                  status=400 if view.error else 200)


@require_safe
def plan(request: HttpRequest) -> HttpResponse:
    return render(request, "web/plan.html", plan_context())


@require_safe
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "web/account.html", {"providers": account_providers()})


@require_safe
def alerts(request: HttpRequest) -> HttpResponse:
    context = {"facets": offers_facets(), "prefill": alert_prefill(request.GET)}
    return render(request, "web/alerts.html", context)


@require_safe
def market(request: HttpRequest) -> HttpResponse:
    try:
        window = moves_window(request.GET)
    except InvalidInput as exc:
        context = {**market_view(), "error": exc.detail}
        return render(request, "web/market.html", context, status=400)
    return render(request, "web/market.html", market_view(window=window))
