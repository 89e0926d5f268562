"""``/api/v2/auth``: accounts, tokens, MFA, provider-key vault, audit log.

Other areas authenticate users with ``accounts.auth.JWTAuth``::

    from accounts.auth import JWTAuth
    router = Router(auth=JWTAuth())          # or @router.get(..., auth=JWTAuth())
    def view(request): user = request.auth   # an active accounts.models.User

and read a user's provider key with
``accounts.services.provider_keys.provider_key_for(user=..., provider="runpod")``.
Endpoints here parse, call one service or selector, and return a schema; errors are
raised from ``common.errors`` and rendered by the API's one handler.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.params import P, PathEx

from accounts import selectors
from accounts.api_account import router as account_router
from accounts.auth import JWTAuth
from accounts.http import request_meta
from accounts.models import AuditEvent, ProviderKey, User
from accounts.schemas import (
    MAX_ID,
    AuditEventOut,
    AuditQuery,
    ChangePasswordIn,
    ErrorOut,
    JwksOut,
    LoginIn,
    LogoutIn,
    MeOut,
    MessageOut,
    MfaDisableIn,
    MfaEnrollOut,
    OtpIn,
    ProviderKeyIn,
    ProviderKeyOut,
    RecoveryCodesOut,
    RefreshIn,
    RegisterIn,
    StepUpIn,
    TokenPairOut,
)
from accounts.services import gdpr, mfa, provider_keys, users
from accounts.services.keys import jwks
from accounts.services.quotas import plan_of, quota_usage
from accounts.services.refresh import TokenPair, token_pair_refresh

router = Router()
router.add_router("", account_router)
bearer = JWTAuth()

PUBLIC = {400: ErrorOut, 429: ErrorOut}
AUTHED = {401: ErrorOut, 429: ErrorOut}
STEP_UP = {403: ErrorOut, **AUTHED}  # the password or code of a step-up is wrong
ObjectId = PathEx[int, P(ge=1, le=MAX_ID)]


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[no-any-return]


def _pair(pair: TokenPair) -> dict[str, Any]:
    return {"access_token": pair.access_token, "refresh_token": pair.refresh_token,
            "token_type": pair.token_type, "expires_in": pair.expires_in}


# --- account and tokens -------------------------------------------------------------------
@router.post("/register", response={202: MessageOut, **PUBLIC})
def register(request: HttpRequest, body: RegisterIn) -> Status[dict[str, str]]:
    message = users.user_register(email=body.email, password=body.password,
                                  meta=request_meta(request))
    return Status(202, {"detail": message})


@router.post("/login", response={200: TokenPairOut, 401: ErrorOut, **PUBLIC})
def login(request: HttpRequest, body: LoginIn) -> dict[str, Any]:
    return _pair(users.user_login(email=body.email, password=body.password, otp=body.otp,
                                  meta=request_meta(request)))


@router.post("/refresh", response={200: TokenPairOut, 401: ErrorOut, **PUBLIC})
def refresh(request: HttpRequest, body: RefreshIn) -> dict[str, Any]:
    return _pair(token_pair_refresh(refresh_token=body.refresh_token,
                                    meta=request_meta(request)))


@router.post("/logout", auth=bearer, response={204: None, **AUTHED})
def logout(request: HttpRequest, body: LogoutIn) -> Status[None]:
    users.user_logout(user=_user(request), claims=request.access_claims,
                      refresh_token=body.refresh_token, everywhere=body.everywhere,
                      meta=request_meta(request))
    return Status(204, None)


@router.get("/me", auth=bearer, response={200: MeOut, **AUTHED})
def me(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    plan = plan_of(user)
    return {"id": user.pk, "email": user.email, "date_joined": user.date_joined,
            "mfa_enabled": selectors.mfa_is_enabled(user=user),
            "email_verified": user.email_verified_at is not None,
            "plan": {"key": user.plan, "name": plan.name, "limits": plan.limits()},
            "usage": quota_usage(user=user)}


@router.delete("/me", auth=bearer, response={204: None, 403: ErrorOut, **AUTHED})
def erase(request: HttpRequest, body: StepUpIn) -> Status[None]:
    """Erase the account and all its data now (GDPR); needs the password (and OTP)."""
    gdpr.user_erase(user=_user(request), password=body.password, otp=body.otp,
                    meta=request_meta(request))
    return Status(204, None)


@router.post("/change-password", auth=bearer,
             response={200: TokenPairOut, 400: ErrorOut, **STEP_UP})
def change_password(request: HttpRequest, body: ChangePasswordIn) -> dict[str, Any]:
    return _pair(users.user_password_change(
        user=_user(request), current_password=body.current_password, otp=body.otp,
        new_password=body.new_password, meta=request_meta(request)))


@router.get("/jwks.json", response=JwksOut)
def jwks_json(request: HttpRequest) -> dict[str, Any]:
    return jwks()


# --- MFA ----------------------------------------------------------------------------------
@router.post("/mfa/enroll", auth=bearer, response={200: MfaEnrollOut, 409: ErrorOut, **STEP_UP})
def mfa_enroll(request: HttpRequest, body: StepUpIn) -> mfa.Enrollment:
    return mfa.mfa_enroll(user=_user(request), password=body.password,
                          meta=request_meta(request))


@router.post("/mfa/confirm", auth=bearer,
             response={200: RecoveryCodesOut, 400: ErrorOut, 409: ErrorOut, **AUTHED})
def mfa_confirm(request: HttpRequest, body: OtpIn) -> dict[str, list[str]]:
    codes = mfa.mfa_confirm(user=_user(request), otp=body.otp, meta=request_meta(request))
    return {"recovery_codes": codes}


@router.post("/mfa/disable", auth=bearer,
             response={204: None, 409: ErrorOut, **STEP_UP})
def mfa_disable(request: HttpRequest, body: MfaDisableIn) -> Status[None]:
    mfa.mfa_disable(user=_user(request), password=body.password, otp=body.otp,
                    meta=request_meta(request))
    return Status(204, None)


# --- provider keys ------------------------------------------------------------------------
@router.post("/provider-keys", auth=bearer,
             response={201: ProviderKeyOut, 400: ErrorOut, **STEP_UP})
def provider_key_add(request: HttpRequest, body: ProviderKeyIn) -> Status[ProviderKey]:
    return Status(201, provider_keys.provider_key_save(
        user=_user(request), provider=body.provider, api_key=body.api_key,
        password=body.password, otp=body.otp, meta=request_meta(request)))


@router.get("/provider-keys", auth=bearer, response={200: list[ProviderKeyOut], **AUTHED})
def provider_key_list(request: HttpRequest) -> list[ProviderKey]:
    return list(selectors.provider_keys_of(user=_user(request)))


@router.delete("/provider-keys/{key_id}", auth=bearer,
               response={204: None, 404: ErrorOut, **STEP_UP})
def provider_key_delete(request: HttpRequest, key_id: ObjectId, body: StepUpIn) -> Status[None]:
    provider_keys.provider_key_delete(user=_user(request), key_id=key_id,
                                      password=body.password, otp=body.otp,
                                      meta=request_meta(request))
    return Status(204, None)


# --- audit log ----------------------------------------------------------------------------
@router.get("/audit", auth=bearer, response={200: list[AuditEventOut], **AUTHED})
def audit(request: HttpRequest, query: Query[AuditQuery]) -> list[AuditEvent]:
    return selectors.audit_events_of(user=_user(request), limit=query.limit,
                                     offset=query.offset)
