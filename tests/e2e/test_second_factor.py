"""In a real browser: a staff member sets up an authenticator app at their first sign-in, saves their recovery codes,
signs in again with a code, has the browser remember the device, and uses a recovery code (once) on another."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import TEST_PASSWORD, HEEStaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in_with_password(page, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_a_staff_member_sets_up_two_step_sign_in_and_signs_in_with_it(page, browser, live_server, settings):
    hee = HEEStaffFactory(email="harriet@example.nhs.uk", full_name="Harriet Hughes", authenticator=False)

    # The password alone leads to setting up an authenticator app, and nothing else opens meanwhile.
    sign_in_with_password(page, hee.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    page.goto("/clinicians/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    assert accessibility_violations(page) == []

    # People who cannot scan the QR code type the setup key; the app then shows the code.
    secret = page.locator("#authenticator-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code from your authenticator app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    codes = [code.strip() for code in page.locator("#recovery-codes li").all_inner_texts()]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in codes)
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="I have saved my codes, continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinicians")
    sign_out(page)

    # Next time: password, then the code; this browser is to be remembered.
    sign_in_with_password(page, hee.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert accessibility_violations(page) == []
    enter_security_code(page, hee.email, remember=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Talent pipeline")
    sign_out(page)

    # The remembered browser signs in with the password alone.
    sign_in_with_password(page, hee.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Talent pipeline")

    # Another browser, without JavaScript: a recovery code instead of the app, once.
    other = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    elsewhere = other.new_page()
    sign_in_with_password(elsewhere, hee.email)
    elsewhere.get_by_label("Security code").fill(codes[0])
    elsewhere.get_by_role("button", name="Continue").click()
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Talent pipeline")
    elsewhere.get_by_role("button", name="Sign out").click()
    sign_in_with_password(elsewhere, hee.email)
    elsewhere.get_by_label("Security code").fill(codes[0])
    elsewhere.get_by_role("button", name="Continue").click()
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    expect(elsewhere.get_by_text("The code is not right").first).to_be_visible()
    other.close()
