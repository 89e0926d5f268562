"""The project's URLs plus one view that fails, to see what a 500 shows a client."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def fails(request: HttpRequest) -> HttpResponse:
    token = request.headers.get("Authorization", "")  # a frame local, as in the probe
    raise RuntimeError(f"a bug while holding {token}")


urlpatterns = [*project_urlpatterns, path("fails", fails)]
