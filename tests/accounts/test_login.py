"""Register, login, me, change-password; no enumeration; brute force meets 429."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import AuditEvent, User
from accounts.services import passwords
from tests.accounts.conftest import AUTH, PASSWORD, Api, bearer, login, post

pytestmark = pytest.mark.django_db


def _register(email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return post(Client(), "/register", {"email": email, "password": password}, **extra)


def test_register_then_login_then_me() -> None:
    response = _register("Grace@Example.com")
    assert response.status_code == 202
    tokens = login(Client(), email="grace@example.com")
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 300
    me = Client().get(f"{AUTH}/me", **bearer(tokens["access_token"])).json()
    assert me["email"] == "grace@example.com" and me["mfa_enabled"] is False


def test_register_answers_the_same_for_a_taken_address(user: User) -> None:
    taken, new = _register(user.email), _register("new@example.com")
    assert (taken.status_code, taken.json()) == (new.status_code, new.json())
    assert User.objects.filter(email=user.email).count() == 1
    assert User.objects.get(email=user.email).check_password(PASSWORD)  # not overwritten
    assert AuditEvent.objects.filter(user=user, event="register_existing").exists()


@pytest.mark.parametrize("weak", ["short", "password1234", "123456789012345",
                                  "ada@example.com1"])
def test_register_refuses_weak_passwords(weak: str) -> None:
    response = _register("ada@example.com", weak)
    assert response.status_code == 400
    assert response.json()["code"] == "weak_password"
    assert response.json()["problems"]
    assert not User.objects.exists()


def test_register_refuses_a_malformed_address(db: None) -> None:
    assert _register("not-an-address").status_code == 422


def test_login_answers_alike_for_unknown_email_and_wrong_password(user: User) -> None:
    unknown = post(Client(), "/login", {"email": "nobody@example.com", "password": PASSWORD})
    wrong = post(Client(), "/login", {"email": user.email, "password": "wrong password 42"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json() == {
        "detail": "Invalid e-mail or password", "code": "invalid_credentials"}


def test_login_with_an_unknown_email_still_checks_a_password_hash(
        user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = passwords.check_password
    monkeypatch.setattr(passwords, "check_password",
                        lambda raw, encoded: calls.append(encoded) or real(raw, encoded))
    post(Client(), "/login", {"email": "nobody@example.com", "password": PASSWORD})
    assert calls and calls[0].startswith("argon2$argon2id$")


def test_login_of_an_inactive_user_answers_like_a_wrong_password(user: User) -> None:
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = post(Client(), "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_login_is_audited_with_ip_and_user_agent(user: User) -> None:
    post(Client(), "/login", {"email": user.email, "password": "nope nope nope"},
         REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="curl/8")
    login(Client())
    failed, ok = AuditEvent.objects.filter(user=user).order_by("pk")
    assert (failed.event, failed.ip, failed.user_agent) == ("login_failed", "192.0.2.7", "curl/8")
    assert ok.event == "login_ok"


def assert_too_many(response: Any, window_s: int = 900) -> None:
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= window_s
    assert response.json()["retry_after_s"] == int(response["Retry-After"])


def test_brute_force_on_one_account_meets_429_from_any_ip(user: User, settings: Any) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS, "login_account": "3/900"}
    for n in range(3):
        response = post(Client(), "/login", {"email": user.email, "password": f"guess {n}"},
                        REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code == 401
    assert_too_many(post(Client(), "/login", {"email": user.email, "password": PASSWORD},
                   REMOTE_ADDR="198.51.100.99"))


def test_brute_force_from_one_ip_meets_429_across_accounts(db: None, settings: Any) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS, "login_ip": "3/900"}
    for n in range(3):
        post(Client(), "/login", {"email": f"u{n}@example.com", "password": "x"},
             REMOTE_ADDR="203.0.113.5")
    assert_too_many(post(Client(), "/login", {"email": "u9@example.com", "password": "x"},
                   REMOTE_ADDR="203.0.113.5"))
    other_ip = post(Client(), "/login", {"email": "u9@example.com", "password": "x"},
                    REMOTE_ADDR="203.0.113.6")
    assert other_ip.status_code == 401


def test_the_account_limit_is_the_same_for_unknown_addresses(db: None, settings: Any) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS, "login_account": "2/900"}
    for n in range(2):
        post(Client(), "/login", {"email": "ghost@example.com", "password": "x"},
             REMOTE_ADDR=f"198.51.100.{n}")
    assert_too_many(post(Client(), "/login", {"email": "ghost@example.com", "password": "x"}))


def test_a_successful_login_resets_the_account_counter(user: User, settings: Any) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS, "login_account": "2/900"}
    typo = {"email": user.email, "password": "typo typo typo"}
    assert post(Client(), "/login", typo).status_code == 401
    assert login(Client())["access_token"]  # resets the counter: one failure so far, not two
    assert post(Client(), "/login", typo).status_code == 401
    assert login(Client())["access_token"]  # not 429: the counter restarted at the success


def test_register_is_limited_per_ip(db: None, settings: Any) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS, "register_ip": "2/3600"}
    for n in range(2):
        assert _register(f"r{n}@example.com").status_code == 202
    assert_too_many(_register("r9@example.com"), 3600)


def test_the_general_api_limit_counts_per_user_and_per_ip(api: Api, settings: Any) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS,
                                      "api_user": "3/60", "api_ip": "2/60"}
    for _ in range(3):
        assert api.get("/me").status_code == 200
    assert_too_many(api.get("/me"), 60)
    for _ in range(2):
        Client().get(f"{AUTH}/jwks.json", REMOTE_ADDR="192.0.2.50")
    assert_too_many(Client().get(f"{AUTH}/jwks.json", REMOTE_ADDR="192.0.2.50"), 60)
    assert Client().get("/health").status_code == 200  # outside /api/


def test_change_password_ends_other_sessions_and_keeps_this_one(api: Api, user: User) -> None:
    old_access, old_refresh = api.tokens["access_token"], api.tokens["refresh_token"]
    new_password = "a new and long passphrase 7"
    response = api.post("/change-password",
                        {"current_password": PASSWORD, "new_password": new_password})
    assert response.status_code == 200
    assert Client().get(f"{AUTH}/me", **bearer(old_access)).status_code == 401
    assert post(Client(), "/refresh", {"refresh_token": old_refresh}).status_code == 401
    assert Client().get(f"{AUTH}/me", **bearer(response.json()["access_token"])).status_code == 200
    login(Client(), password=new_password)
    assert AuditEvent.objects.filter(user=user, event="password_changed").exists()


def test_change_password_needs_the_current_one(api: Api, user: User) -> None:
    response = api.post("/change-password",
                        {"current_password": "not it at all", "new_password": "x" * 20})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(user=user, event="stepup_failed",
                                     details__action="password_change").exists()


def test_change_password_checks_strength(api: Api) -> None:
    response = api.post("/change-password",
                        {"current_password": PASSWORD, "new_password": "qwertyuiop"})
    assert response.status_code == 400
