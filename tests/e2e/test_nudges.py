"""In a real browser: a training-body admin goes from their body's page to its past nudges, opens a clinician's
record from the list, opens a nudge and goes straight to nominating a clinician in it; the pages pass axe's WCAG
checks."""

import pytest
from playwright.sync_api import expect

from talent.models import NominationState
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import TEST_PASSWORD, ClinicianProfileFactory, TrainingBodyAdminFactory
from tests.talent.nomination_fixtures import nomination_in_state
from tests.talent.nudge_fixtures import NudgeEntryFactory, NudgeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_admin_opens_a_past_nudge_and_goes_to_nominate_a_clinician_in_it(page, training_body, open_opportunity):
    admin = TrainingBodyAdminFactory(training_body=training_body)
    profile = ClinicianProfileFactory(training_body=training_body, user__full_name="Priya Raman")
    nomination_in_state(NominationState.SUBMITTED, profile=profile, opportunity=open_opportunity)
    nudge = NudgeFactory(training_body=training_body)
    NudgeEntryFactory(
        nudge=nudge,
        profile=profile,
        opportunities=[
            {"id": str(open_opportunity.pk), "title": open_opportunity.title, "slug": open_opportunity.slug}
        ],
    )

    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(admin.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_security_code(page, admin.email)
    page.goto(f"/training-bodies/{training_body.slug}/")
    page.get_by_role("link", name="See past nudges").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nudges")
    expect(page.get_by_text("Priya Raman")).to_be_visible()
    assert accessibility_violations(page) == []

    # Each name leads to the clinician's record, which lists their applications with this body.
    page.get_by_role("link", name="Priya Raman", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Raman")
    applications = page.locator("#applications-and-nominations + div table")
    expect(applications.get_by_role("row", name=open_opportunity.title)).to_contain_text("Waiting for a decision")
    assert accessibility_violations(page) == []
    page.go_back()

    page.locator("a.nhsuk-card__link").first.click()
    expect(page.get_by_role("link", name="Priya Raman", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=open_opportunity.title)).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Nominate Priya Raman").click()
    assert f"clinician={profile.pk}" in page.url
