"""Request (``XIn``) and response (``XOut``) shapes of ``/api/v2/auth``.

Every stored string refuses control characters (PostgreSQL cannot store NUL) and has a
bound length; ids are bounded to the database's 64-bit range.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, StringConstraints

from common.schemas import ErrorOut  # noqa: F401 - re-exported: the error shape of this API

MAX_ID = 2**63 - 1
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
_EMAIL = r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$"

Email = Annotated[str, StringConstraints(max_length=254, pattern=_EMAIL)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Otp = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=_PRINTABLE)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=512)]
Line = Annotated[str, StringConstraints(max_length=200, pattern=_PRINTABLE)]


class RegisterIn(Schema):
    email: Email
    password: Password


class MessageOut(Schema):
    detail: str


class LoginIn(Schema):
    email: Email
    password: Password
    otp: Otp | None = None


class TokenPairOut(Schema):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class RefreshIn(Schema):
    refresh_token: Token


class LogoutIn(Schema):
    refresh_token: Token | None = None
    everywhere: bool = False


class MeOut(Schema):
    id: int
    email: str
    mfa_enabled: bool
    date_joined: datetime


class ChangePasswordIn(Schema):
    current_password: Password
    new_password: Password


class JwkOut(Schema):
    kty: str
    use: str
    alg: str
    kid: str
    n: str
    e: str


class JwksOut(Schema):
    keys: list[JwkOut]


class MfaEnrollOut(Schema):
    secret: str
    otpauth_uri: str


class OtpIn(Schema):
    otp: Otp


class RecoveryCodesOut(Schema):
    recovery_codes: list[str]


class MfaDisableIn(Schema):
    password: Password
    otp: Otp


class ProviderKeyIn(Schema):
    provider: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    api_key: Annotated[str, StringConstraints(min_length=1, max_length=4096)]


class ProviderKeyOut(Schema):
    id: int
    provider: str
    last4: str
    created_at: datetime
    updated_at: datetime


class AuditQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class AuditEventOut(Schema):
    id: int
    event: str
    ip: str | None
    user_agent: str
    created_at: datetime
    details: dict[str, Any]
