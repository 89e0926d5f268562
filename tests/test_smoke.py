import pytest
from django.test import Client


@pytest.mark.django_db
def test_health_reports_database_ok() -> None:
    body = Client().get("/health").json()
    assert body["database"] == "ok"
    assert set(body) >= {"status", "last_sync_at", "last_sync_age_s"}


@pytest.mark.django_db
def test_openapi_schema_is_served() -> None:
    schema = Client().get("/api/v2/openapi.json").json()
    assert schema["info"]["title"] == "GPUBroker API"
