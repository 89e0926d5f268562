"""Request (``XIn``) and response (``XOut``) shapes of ``/api/v2/auth``.

Every stored string refuses control characters (PostgreSQL cannot store NUL) and has a
bound length; ids are bounded to the database's 64-bit range.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from common.schemas import ErrorOut, StrictIn  # noqa: F401 - ErrorOut re-exported: the error shape

MAX_ID = 2**63 - 1
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
_EMAIL = r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$"

Email = Annotated[str, StringConstraints(max_length=254, pattern=_EMAIL)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Otp = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=_PRINTABLE)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=512)]
Line = Annotated[str, StringConstraints(max_length=200, pattern=_PRINTABLE)]


class RegisterIn(StrictIn):
    email: Email
    password: Password


class MessageOut(Schema):
    detail: str


class LoginIn(StrictIn):
    email: Email
    password: Password
    otp: Otp | None = None


class TokenPairOut(Schema):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class RefreshIn(StrictIn):
    refresh_token: Token


class LogoutIn(StrictIn):
    refresh_token: Token | None = None
    everywhere: bool = False


class UsageOut(Schema):
    limit: int | None
    used: int | None


class PlanOut(Schema):
    key: str
    name: str
    limits: dict[str, int | None]


class MeOut(Schema):
    id: int
    email: str
    mfa_enabled: bool
    email_verified: bool
    date_joined: datetime
    plan: PlanOut
    usage: dict[str, UsageOut]


class ChangePasswordIn(StrictIn):
    current_password: Password
    new_password: Password
    otp: Otp | None = None


class EmailIn(StrictIn):
    email: Email


class PasswordResetConfirmIn(StrictIn):
    token: Token
    new_password: Password


class EmailTokenIn(StrictIn):
    token: Token


class VerifiedOut(Schema):
    detail: str
    email_verified: bool


class StepUpIn(StrictIn):
    """The current password, and the one-time code when MFA is on."""

    password: Password
    otp: Otp | None = None


_NAME = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"  # one visible character
TokenName = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=_NAME)]
Scope = Literal["read", "write"]


class ApiTokenIn(StepUpIn):
    name: TokenName
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=2)] = ["read"]
    expires_in_days: int | None = Field(None, ge=1, le=3650)


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    token: str


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


class OtpIn(StrictIn):
    otp: Otp


class RecoveryCodesOut(Schema):
    recovery_codes: list[str]


class MfaDisableIn(StrictIn):
    password: Password
    otp: Otp


class ProviderKeyIn(StepUpIn):
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
