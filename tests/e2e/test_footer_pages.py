"""In a real browser: the footer offers the accessibility statement and the privacy notice (not the API
documentation, which a signed-in person finds from their API tokens page); both pages pass axe's checks, and the
API documentation page says its language."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import accessibility_violations
from tests.factories import TEST_PASSWORD, ClinicianProfileFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_visitor_reads_the_accessibility_statement_and_the_privacy_notice_from_the_footer(page):
    page.goto("/pathways/")
    footer = page.get_by_role("contentinfo")
    assert footer.get_by_role("link").all_inner_texts() == ["Accessibility statement", "Privacy"]

    footer.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement for Leadership Talent Tracker")
    expect(page.get_by_role("heading", name="Enforcement procedure")).to_be_visible()
    expect(page.get_by_role("heading", name="Compliance status")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(page.get_by_role("heading", name="How long we keep your information")).to_be_visible()
    assert accessibility_violations(page) == []


def test_a_clinician_finds_the_api_documentation_from_their_api_tokens_page(page):
    profile = ClinicianProfileFactory(user__email="api-reader@demo.test")
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(profile.user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto("/account/api-tokens/")
    assert accessibility_violations(page) == []
    page.get_by_role("main").get_by_role("link", name="API documentation").click()

    expect(page).to_have_url(f"{page.url.split('/api/')[0]}/api/docs/")
    assert page.evaluate("() => document.documentElement.lang") == "en-GB"
