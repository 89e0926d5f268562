"""Users and what they own: token families, MFA, provider keys, audit events, searches.

Secrets never sit in a column in the clear: passwords are Argon2id hashes, refresh
tokens and recovery codes SHA-256 digests of high-entropy values, TOTP secrets and
provider API keys AEAD ciphertexts (see ``accounts.services.vault``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        return self.create_user(email, password, is_staff=True, is_superuser=True, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address (stored lower-cased)."""

    email = models.EmailField(max_length=254, unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped on password change: every access token carrying an older value is refused.
    session_version = models.PositiveIntegerField(default=1)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # A key of ``accounts.plans.PLANS``; assigned by operators (``gpubroker plan``, admin).
    plan = models.CharField(max_length=20, default="free")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.email


class TokenFamily(models.Model):
    """One login: the chain of refresh tokens rotated from it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="token_families")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()  # absolute: no rotation extends a login past this
    revoked_at = models.DateTimeField(null=True)
    revoked_reason = models.CharField(max_length=32, blank=True)


class RefreshToken(models.Model):
    family = models.ForeignKey(TokenFamily, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the opaque token
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True)  # set when rotated; a second use is reuse


class MfaDevice(models.Model):
    """A TOTP authenticator; active once ``confirmed_at`` is set."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="mfa_device")
    secret_ciphertext = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True)
    last_used_step = models.BigIntegerField(null=True)  # refuses a code replayed in its window


class RecoveryCode(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_once")
        ]


class EmailToken(models.Model):
    """A single-use link sent by mail: a password reset or an address verification."""

    RESET = "reset"
    VERIFY = "verify"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_tokens")
    purpose = models.CharField(max_length=10, choices=[(RESET, RESET), (VERIFY, VERIFY)])
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the token
    email = models.EmailField(max_length=254)  # the address it was sent to
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True)


class ApiToken(models.Model):
    """A personal API token for scripts and the CLI; only its SHA-256 digest is stored."""

    PLAN_RESOURCE = "api_tokens"  # counted against the user's plan (accounts.plans)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)  # shown in lists so a user can tell tokens apart
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True)
    expires_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="api_token_name_per_user")
        ]


class ProviderKey(models.Model):
    """A user's API key for one provider, encrypted; only the last four characters shown."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="provider_keys")
    provider = models.CharField(max_length=32)
    ciphertext = models.TextField()
    last4 = models.CharField(max_length=4)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="provider_key_per_user")
        ]


class AuditEvent(models.Model):
    """A security event. Kept when the user is deleted; never holds a secret."""

    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True,
                             related_name="audit_events")
    event = models.CharField(max_length=40)
    ip = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=256, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    details = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]
