"""Dashboard pages. Each page exists only where the API it needs exists."""

from __future__ import annotations

from django.urls import path

from web import views

app_name = "web"
urlpatterns = [
    path("", views.offers, name="offers"),
    path("gpu/<str:name>", views.gpu, name="gpu"),
    path("market", views.market, name="market"),
    path("compare", views.compare, name="compare"),
    path("plan", views.plan, name="plan"),
    path("alerts", views.alerts, name="alerts"),
    path("account", views.account, name="account"),
]
