"""Access-token attacks: each forged or stale token is refused with 401 invalid_token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from accounts.models import User
from accounts.services.keys import jwks, signing_key
from accounts.services.refresh import token_pair_issue
from tests.accounts.conftest import AUTH, bearer

pytestmark = pytest.mark.django_db


def _issued(user: User) -> str:
    """A genuine access token of a fresh login (family) of ``user``."""
    return token_pair_issue(user=user).access_token


def _me(token: str) -> Any:
    return Client().get(f"{AUTH}/me", **bearer(token))


def _claims(user: User, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"iss": "gpubroker", "aud": "gpubroker-api", "sub": str(user.pk), "iat": now,
              "exp": now + 300, "jti": "j1", "sv": user.session_version}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _sign(claims: dict[str, Any], **headers: Any) -> str:
    key = signing_key()
    return jwt.encode(claims, key.private_key, algorithm="RS256",
                      headers={"kid": key.kid, "typ": "at+jwt", **headers})


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def assert_refused(token: str) -> None:
    response = _me(token)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_a_genuine_token_is_accepted(user: User) -> None:
    response = _me(_issued(user))
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_alg_none_is_refused(user: User) -> None:
    header = {"alg": "none", "typ": "at+jwt", "kid": signing_key().kid}
    assert_refused(f"{_b64(header)}.{_b64(_claims(user))}.")


def test_hs256_signed_with_the_public_key_is_refused(user: User) -> None:
    public_pem = signing_key().public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = _b64({"alg": "HS256", "typ": "at+jwt", "kid": signing_key().kid})
    body = _b64(_claims(user))
    mac = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    assert_refused(f"{header}.{body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}")


def test_a_token_signed_by_another_key_is_refused(user: User) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(_claims(user), stranger, algorithm="RS256",
                       headers={"kid": signing_key().kid, "typ": "at+jwt"})
    assert_refused(token)


def test_an_expired_token_is_refused(user: User) -> None:
    long_ago = int(time.time()) - 3600
    assert_refused(_sign(_claims(user, iat=long_ago, exp=long_ago + 300)))


def test_a_token_issued_in_the_future_is_refused(user: User) -> None:
    later = int(time.time()) + 3600
    assert_refused(_sign(_claims(user, iat=later, exp=later + 300)))


def test_a_tampered_payload_is_refused(user: User, other_user: User) -> None:
    header, _, signature = _issued(user).split(".")
    forged = _b64(_claims(other_user))
    assert_refused(f"{header}.{forged}.{signature}")


@pytest.mark.parametrize("claim", [{"iss": "someone-else"}, {"aud": "another-api"}])
def test_wrong_issuer_or_audience_is_refused(user: User, claim: dict[str, str]) -> None:
    assert_refused(_sign(_claims(user, **claim)))


@pytest.mark.parametrize("missing", ["iss", "aud", "exp", "iat", "jti", "sub", "sv"])
def test_a_token_missing_a_required_claim_is_refused(user: User, missing: str) -> None:
    assert_refused(_sign(_claims(user, **{missing: None})))


@pytest.mark.parametrize("header", [{"typ": "JWT"}, {"kid": "not-our-key"}])
def test_wrong_type_or_key_id_is_refused(user: User, header: dict[str, str]) -> None:
    assert_refused(_sign(_claims(user), **header))


def test_a_token_of_an_older_session_version_is_refused(user: User) -> None:
    token = _issued(user)
    User.objects.filter(pk=user.pk).update(session_version=user.session_version + 1)
    assert_refused(token)


def test_a_token_of_a_deactivated_user_is_refused(user: User) -> None:
    token = _issued(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_refused(token)


@pytest.mark.parametrize("header", ["", "Bearer", "Basic YWRhOnB3", "Token abc"])
def test_no_usable_authorization_header_answers_401(db: None, header: str) -> None:
    response = Client().get(f"{AUTH}/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_jwks_publishes_the_key_that_verifies_our_tokens(user: User) -> None:
    body = Client().get(f"{AUTH}/jwks.json").json()
    assert body == jwks()
    (jwk,) = body["keys"]
    assert jwk["alg"] == "RS256" and jwk["use"] == "sig" and "d" not in jwk
    key = jwt.PyJWK(jwk).key
    claims = jwt.decode(_issued(user), key, algorithms=["RS256"],
                        audience="gpubroker-api", issuer="gpubroker")
    assert claims["sub"] == str(user.pk)
