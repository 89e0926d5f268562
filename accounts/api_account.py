"""``/api/v2/auth``, the account's life: password reset, address verification, logout
everywhere, personal API tokens, GDPR export and erasure. Mounted into ``accounts.api``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.params import P, PathEx

from accounts.auth import JWTAuth
from accounts.http import request_meta
from accounts.models import ApiToken, User
from accounts.schemas import (
    MAX_ID,
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    EmailIn,
    EmailTokenIn,
    ErrorOut,
    MessageOut,
    PasswordResetConfirmIn,
    VerifiedOut,
)
from accounts.selectors import api_tokens_of
from accounts.services import api_tokens, gdpr, recovery, users

router = Router()
bearer = JWTAuth()
PUBLIC = {400: ErrorOut, 429: ErrorOut}
AUTHED = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
ObjectId = PathEx[int, P(ge=1, le=MAX_ID)]


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[no-any-return]


@router.post("/password-reset", response={202: MessageOut, **PUBLIC})
def password_reset(request: HttpRequest, body: EmailIn) -> Status[dict[str, str]]:
    message = recovery.password_reset_request(email=body.email, meta=request_meta(request))
    return Status(202, {"detail": message})


@router.post("/password-reset/confirm", response={200: MessageOut, **PUBLIC})
def password_reset_confirm(request: HttpRequest, body: PasswordResetConfirmIn) -> dict[str, str]:
    recovery.password_reset_confirm(token=body.token, new_password=body.new_password,
                                    meta=request_meta(request))
    return {"detail": "Password changed; every session ended. Log in with the new password."}


@router.post("/verify-email", response={200: VerifiedOut, **PUBLIC})
def verify_email(request: HttpRequest, body: EmailTokenIn) -> dict[str, Any]:
    user = recovery.email_verify(token=body.token, meta=request_meta(request))
    return {"detail": f"{user.email} is verified", "email_verified": True}


@router.post("/verify-email/resend", auth=bearer, response={202: MessageOut, **AUTHED})
def verify_email_resend(request: HttpRequest) -> Status[dict[str, str]]:
    return Status(202, {"detail": recovery.email_verification_resend(
        user=_user(request), meta=request_meta(request))})


@router.post("/logout-all", auth=bearer, response={204: None, **AUTHED})
def logout_all(request: HttpRequest) -> Status[None]:
    users.user_logout(user=_user(request), claims=request.access_claims, refresh_token=None,
                      everywhere=True, meta=request_meta(request))
    return Status(204, None)


@router.post("/tokens", auth=bearer,
             response={201: ApiTokenCreatedOut, 400: ErrorOut, 409: ErrorOut, **AUTHED})
def token_create(request: HttpRequest, body: ApiTokenIn) -> Status[dict[str, Any]]:
    row, token = api_tokens.api_token_create(
        user=_user(request), name=body.name, scopes=list(body.scopes),
        expires_in_days=body.expires_in_days, password=body.password, otp=body.otp,
        meta=request_meta(request))
    return Status(201, {**ApiTokenOut.from_orm(row).dict(), "token": token})


@router.get("/tokens", auth=bearer, response={200: list[ApiTokenOut], **AUTHED})
def token_list(request: HttpRequest) -> list[ApiToken]:
    return list(api_tokens_of(user=_user(request)))


@router.delete("/tokens/{token_id}", auth=bearer,
               response={204: None, 404: ErrorOut, **AUTHED})
def token_delete(request: HttpRequest, token_id: ObjectId) -> Status[None]:
    api_tokens.api_token_delete(user=_user(request), token_id=token_id,
                                meta=request_meta(request))
    return Status(204, None)


@router.get("/export", auth=bearer, response={200: dict[str, Any], **AUTHED})
def export(request: HttpRequest) -> dict[str, Any]:
    return gdpr.user_data_export(user=_user(request))
