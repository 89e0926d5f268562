"""The account page in Chromium: register, sign in, turn on MFA with a real TOTP code, sign
in again with the code, save a provider key and a search."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest

pytestmark = pytest.mark.slow
EMAIL, PASSWORD = "ada.lovelace@example.com", "analytical-engine-1843"


def test_register_sign_in_with_mfa_keys_and_saved_searches(page: Any, console: Any) -> None:
    console.expect("status of 401")  # the login that asks for the one-time code
    page.goto("/account")
    register = page.locator("#register-form")
    register.get_by_label("Email").fill(EMAIL)
    register.get_by_label("Password").fill(PASSWORD)
    register.get_by_role("button", name="Create account").click()
    page.get_by_text("You can sign in now.").wait_for()

    login = page.locator("#login-form")
    login.get_by_label("Password").fill(PASSWORD)  # the email was carried over
    login.get_by_role("button", name="Sign in").click()
    page.locator("#me-email").get_by_text(EMAIL).wait_for()
    assert page.locator("#me-mfa").inner_text() == "off"

    page.locator("#mfa-password").fill(PASSWORD)  # step-up: an open session is not enough
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    secret = page.locator("#mfa-secret").inner_text()
    used = pyotp.TOTP(secret).now()
    page.get_by_label("Code", exact=True).fill(used)
    page.get_by_role("button", name="Confirm").click()
    page.locator("#recovery-codes li").first.wait_for()
    assert page.locator("#recovery-codes li").count() >= 5

    page.locator("#k-key").fill("secret-key-1234")
    page.locator("#k-password").fill(PASSWORD)
    key_code = pyotp.TOTP(secret).at(time.time() + 30)  # the next step: the current is used
    page.locator("#k-otp").fill(key_code)
    page.get_by_role("button", name="Save key").click()
    page.locator("#key-list").get_by_text("····1234").wait_for()

    page.locator("#s-name").fill("cheap H100")
    page.locator("#s-q").fill("gpu=H100 price_per_hour<3")
    page.get_by_role("button", name="Save search").click()
    page.locator("#saved-list").get_by_role("link", name="cheap H100").wait_for()

    page.get_by_role("button", name="Sign out").click()
    login.get_by_label("Email").fill(EMAIL)
    login.get_by_label("Password").fill(PASSWORD)
    login.get_by_role("button", name="Sign in").click()
    page.get_by_label("One-time code").wait_for()  # MFA is on: the code is asked for
    while pyotp.TOTP(secret).now() in (used, key_code):  # a code works once: wait for a new one
        time.sleep(1)
    page.get_by_label("One-time code").fill(pyotp.TOTP(secret).now())
    login.get_by_role("button", name="Sign in").click()
    page.locator("#saved-list").get_by_role("link", name="cheap H100").click()
    page.wait_for_url("**/?q=gpu%3DH100+price_per_hour%3C3")
    prices = page.locator('#offers-table td[data-field="price_per_hour"]')
    assert prices.count() > 0
    assert page.locator("#f-q").input_value() == "gpu=H100 price_per_hour<3"
