from django.urls import include, path

from accounts.admin import admin_site
from config.api import api
from config.health import health
from config.metrics import metrics

urlpatterns = [
    path("health", health, name="health"),
    path("api/v2/", api.urls),
    path("admin/", admin_site.urls),
    path("metrics", metrics, name="prometheus-django-metrics"),
    path("", include("web.urls")),  # the dashboard
]
