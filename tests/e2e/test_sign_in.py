"""In a real browser: each demo role signs in and sees its home; sign-up errors show the error summary."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO_HOMES = [
    ("clinician@demo.test", "Welcome, Amina"),
    ("tbadmin@demo.test", "Your training bodies"),
    ("hee@demo.test", "Talent pipeline"),
    ("editor@demo.test", "Content"),
]


@pytest.fixture
def demo_data(settings):
    settings.DEMO_PASSWORD = "Demo-Password-1"
    call_command("seed_demo", clinicians=3)


@pytest.mark.parametrize(("email", "heading"), DEMO_HOMES, ids=[email for email, _ in DEMO_HOMES])
def test_each_demo_role_signs_in_and_sees_its_home(page, demo_data, email, heading):
    """Signing in with the demo account lands on that role's home, in the NHS.UK layout, free of axe violations."""
    page.goto("/sign-in/")
    expect(page.get_by_role("banner")).to_contain_text("Leadership Talent Tracker")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("Demo-Password-1")
    page.get_by_role("button", name="Sign in").click()
    # Staff are asked for the code of the demo's shared authenticator secret (DEMO_TOTP_SECRET).
    enter_security_code(page, email)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert accessibility_violations(page) == []


def test_sign_up_with_mistakes_shows_the_error_summary(page):
    """Submitting the sign-up form with mistakes shows "There is a problem" with links to each field."""
    page.goto("/sign-up/")
    assert accessibility_violations(page) == []
    page.get_by_label("Full name").fill("Sam Patel")
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_label("Create a password").fill("Leadership-Journey-42")
    page.get_by_label("Confirm password").fill("Something-Different-42")
    page.get_by_role("button", name="Create account").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    expect(summary).to_contain_text("The passwords do not match")
    assert page.title().startswith("Error: ")
    summary.get_by_role("link", name="The passwords do not match").click()
    expect(page.get_by_label("Confirm password")).to_be_focused()
    assert accessibility_violations(page) == []


def test_pages_work_without_javascript(browser, live_server, demo_data, settings):
    """With JavaScript off, a clinician can still sign in and reach their home."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill("clinician@demo.test")
    page.get_by_label("Password").fill("Demo-Password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Amina")
    context.close()
