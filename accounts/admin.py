"""The operators' admin at ``/admin/``: staff only, and only with MFA.

``admin_site`` asks for the one-time code at login; a staff account without MFA cannot log
in (it enables MFA through ``/api/v2/auth/mfa/*`` first). Users' plans are assigned here
(or with ``gpubroker plan``); secrets (password hashes, ciphertexts) are never shown.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest

from accounts.models import AuditEvent, ProviderKey, User
from accounts.plans import PLANS
from accounts.services.audit import RequestMeta
from accounts.services.mfa import mfa_check, mfa_enabled_device


class MfaAdminLoginForm(AdminAuthenticationForm):
    otp = forms.CharField(label="One-time code", max_length=64, required=True,
                          widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                        "inputmode": "numeric"}))

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)  # active and staff
        if mfa_enabled_device(user) is None:
            raise forms.ValidationError(
                "Staff accounts need MFA: enable it (POST /api/v2/auth/mfa/enroll) first.",
                code="mfa_required")
        meta = RequestMeta(ip=self.request.META.get("REMOTE_ADDR") if self.request else None)
        if not mfa_check(user=user, otp=self.cleaned_data.get("otp", ""), meta=meta):
            raise forms.ValidationError("The one-time code is not valid.", code="invalid_otp")


class GpuBrokerAdminSite(admin.AdminSite):
    site_header = "GPUBroker operations"
    site_title = "GPUBroker admin"
    login_form = MfaAdminLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and mfa_enabled_device(user) is not None)


admin_site = GpuBrokerAdminSite(name="admin")


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PlanForm(forms.ModelForm):  # type: ignore[type-arg]
    plan = forms.ChoiceField(choices=[(key, plan.name) for key, plan in PLANS.items()])

    class Meta:
        model = User
        fields = ["email", "plan", "is_active", "is_staff"]


@admin.register(User, site=admin_site)
class UserAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = PlanForm
    list_display = ["email", "plan", "is_active", "is_staff", "email_verified_at", "date_joined"]
    list_filter = ["plan", "is_staff", "is_active"]
    search_fields = ["email"]
    readonly_fields = ["email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # users register themselves; operators use `gpubroker createsuperuser`


@admin.register(ProviderKey, site=admin_site)
class ProviderKeyAdmin(ReadOnly):
    list_display = ["user", "provider", "last4", "updated_at"]
    exclude = ["ciphertext"]


@admin.register(AuditEvent, site=admin_site)
class AuditEventAdmin(ReadOnly):
    list_display = ["created_at", "event", "user", "ip"]
    list_filter = ["event"]
    search_fields = ["user__email", "event"]
