from django.urls import include, path

from accounts.admin import admin_site
from config.api import api
from config.health import health

urlpatterns = [
    path("health", health, name="health"),
    path("api/v2/", api.urls),
    path("admin/", admin_site.urls),
    path("", include("django_prometheus.urls")),  # /metrics
    path("", include("web.urls")),  # the dashboard
]
