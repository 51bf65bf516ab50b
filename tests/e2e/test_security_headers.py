"""In a real browser with the Content-Security-Policy on: NHS.UK frontend's scripts and styles, the charts and the
API documentation all work, and the browser reports no blocked content; an idle session ends on the NHS.UK page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.second_factor import enter_security_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES_BY_ACCOUNT = {
    "clinician@demo.test": ["/", "/profile/", "/pathways/", "/opportunities/", "/licence/", "/account/api-tokens/"],
    "tbadmin@demo.test": ["/training-bodies/", "/clinicians/", "/nominations/"],
    "hee@demo.test": ["/pipeline/", "/clinicians/"],
    "editor@demo.test": ["/content/", "/admin/"],
}


@pytest.fixture
def demo_data(settings):
    settings.DEMO_PASSWORD = "Demo-Password-1"
    call_command("seed_demo", clinicians=3)


def watch_for_blocked_content(page) -> list[str]:
    """Chromium logs every Content-Security-Policy refusal to the console."""
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return blocked


def sign_in(page, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("Demo-Password-1")
    page.get_by_role("button", name="Sign in").click()
    enter_security_code(page, email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize("email", PAGES_BY_ACCOUNT)
def test_pages_run_under_the_policy_with_nothing_blocked(page, demo_data, email):
    """NHS.UK frontend's script runs (it marks the body) and no script, style or image is refused."""
    blocked = watch_for_blocked_content(page)
    sign_in(page, email)

    for path in PAGES_BY_ACCOUNT[email]:
        response = page.goto(path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        if not path.startswith("/admin/"):  # Django's admin site has its own layout and scripts
            assert "nhsuk-frontend-supported" in page.evaluate("document.body.className"), path
    assert blocked == []


def test_the_api_documentation_works_under_the_policy(page):
    """Swagger UI draws the operations from the schema, with its start-up script and styles from files."""
    blocked = watch_for_blocked_content(page)

    page.goto("/api/docs/")

    expect(page.get_by_text("/api/v1/auth/token/").first).to_be_visible()
    assert blocked == []


def test_an_idle_session_ends_on_the_signed_out_page_and_signs_back_in_to_the_same_page(page, demo_data, settings):
    """With no idle time allowed for a moment, the next page finds the session idle."""
    sign_in(page, "hee@demo.test")
    settings.SESSION_IDLE_MINUTES_STAFF = 0

    page.goto("/clinicians/")

    expect(page.get_by_role("heading", level=1)).to_have_text("You've been signed out")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    settings.SESSION_IDLE_MINUTES_STAFF = 30
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Email address").fill("hee@demo.test")
    page.get_by_label("Password").fill("Demo-Password-1")
    page.get_by_role("button", name="Sign in").click()
    enter_security_code(page, "hee@demo.test")
    expect(page).to_have_url(re.compile(r"/clinicians/$"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
