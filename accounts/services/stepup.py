"""Step-up: sensitive changes ask again for what only the account's owner knows.

A stolen access token alone must not be enough to take an account over, so creating API
tokens, erasing the account (and the other changes listed in docs/SECURITY.md) require
the current password, and the one-time code when MFA is on, in the request itself.
"""

from __future__ import annotations

# The check lives beside the TOTP checks it uses (accounts.services.mfa), so that MFA
# enrolment can require it without an import cycle; this module is its public name.
from accounts.services.mfa import stepup_verify

__all__ = ["stepup_verify"]
