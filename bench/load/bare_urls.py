"""The application's URLs plus ``GET /bench/bare``: a Ninja endpoint that does no work."""

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI

from config.urls import urlpatterns as app_urlpatterns

bare = NinjaAPI(urls_namespace="bench-bare", docs_url=None, openapi_url=None)


@bare.get("/bare")
def bare_endpoint(request: HttpRequest) -> dict:
    return {"ok": True}


urlpatterns = [path("bench/", bare.urls), *app_urlpatterns]
