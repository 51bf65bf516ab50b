"""In a real browser: a new clinician signs up, confirms, onboards (with one mistake), records interest twice,
sees both on the timeline, and downloads their data."""

import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Region
from tests.e2e.conftest import accessibility_violations
from tests.factories import TrainingBodyFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Leadership-Journey-42"


def test_a_new_clinician_signs_up_onboards_records_interest_and_downloads_their_data(page, live_server):
    """The whole first visit works in Chromium, and every page on the way passes axe's WCAG checks."""
    TrainingBodyFactory(name="North West local office", region=Region.objects.get(slug="north-west"))

    # Sign up and confirm from the email.
    page.goto("/sign-up/")
    page.get_by_label("Full name").fill("Sam Okoye")
    page.get_by_label("Email address").fill("sam.okoye@example.nhs.uk")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    link = re.search(r"http://\S+(/sign-up/confirm/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm my email address").click()

    # Sign in: with no profile yet, the service starts onboarding.
    page.get_by_label("Email address").fill("sam.okoye@example.nhs.uk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Start now").click()

    page.get_by_label("What is your profession?").select_option("nurse")
    page.get_by_role("button", name="Continue").click()

    # One deliberate mistake: a GMC-style number for a nurse. The error summary names the NMC format.
    page.get_by_label("Registration number").fill("1234567")
    page.get_by_label("Year of first registration").fill("2023")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("2 digits, a letter, 4 digits and a letter")
    assert accessibility_violations(page) == []
    page.get_by_label("Registration number").fill("23B4567C")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Agenda for Change band 6").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Employer", exact=True).fill("Salford Royal")
    page.get_by_role("radio", name="North West").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Which training body are you with?").select_option(label="North West local office")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("group", name=re.compile("North West local office")).get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("HEE")).get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Confirm and save").click()

    # Record interest twice; both appear on the timeline, newest first.
    page.goto("/my/interest/new/")
    page.get_by_label("Curious").check()
    page.get_by_label("In 4 years or more").check()
    page.get_by_role("button", name="Save your interest").click()
    page.goto("/my/interest/new/")
    page.get_by_label("Exploring").check()
    page.get_by_label("In 1 to 3 years").check()
    page.get_by_role("checkbox", name=re.compile("^Clinical director")).check()
    page.get_by_role("button", name="Save your interest").click()

    expect(page).to_have_url(re.compile("/my/interest/$"))
    timeline = page.get_by_role("main")
    expect(timeline).to_contain_text("Exploring")
    expect(timeline).to_contain_text("Curious")
    expect(timeline).to_contain_text("Clinical director")
    text = timeline.inner_text()
    assert text.index("Exploring") < text.rindex("Curious")
    assert accessibility_violations(page) == []

    # Download all my data from the home page.
    page.goto("/my/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all your data").click()
    data = json.loads(download_info.value.path().read_text())
    assert data["account"]["email"] == "sam.okoye@example.nhs.uk"
    assert sorted(record["level"]["label"] for record in data["interest_records"]) == ["Curious", "Exploring"]
    assert data["profile"]["registration_number"] == "23B4567C"
