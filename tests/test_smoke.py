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


@pytest.mark.django_db
def test_unauthenticated_requests_are_told_how_to_authenticate() -> None:
    response = Client().get("/api/v2/auth/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    bad = Client().get("/api/v2/auth/me", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert bad.status_code == 401 and bad["WWW-Authenticate"].startswith("Bearer")
