"""In a real browser: a demo-like clinician applies for an open opportunity; their training body's admin finds it in
the queue, tries to reject it without a reason (and is told to give one), then approves it; the clinician sees the
outcome. Every page passes axe's WCAG checks."""

import pytest
from playwright.sync_api import expect

from accounts.models import Region
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import (
    TEST_PASSWORD,
    ClinicianProfileFactory,
    InterestRecordFactory,
    TrainingBodyAdminFactory,
    TrainingBodyFactory,
)
from tests.pathways.test_services import make_opportunity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_security_code(page, email)


def test_a_clinician_applies_and_their_training_body_decides(browser, live_server, settings):
    # Two people at once, so two browser contexts; static files as the `page` fixture serves them.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    body = TrainingBodyFactory(name="North West local office (demo)", region=Region.objects.get(slug="north-west"))
    # Like clinician@demo.test: an early-career doctor in specialty training, sharing with their body.
    profile = ClinicianProfileFactory(user__full_name="Priya Shah", training_body=body, specialty_training_year=2)
    InterestRecordFactory(profile=profile, level=3)
    admin = TrainingBodyAdminFactory(full_name="Tom Baker", training_body=body)
    make_opportunity(
        "quality-improvement-course",
        title="Quality improvement for clinical leaders",
        professions=["doctor"],
        link="https://example.org/apply",
        places=20,
        next_steps="Book your place on the first workshop through our website.",
        contact_name="The course team",
        contact_email="courses@example.org",
    )

    clinician_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(clinician_page, profile.user.email)
    clinician_page.goto("/opportunities/quality-improvement-course/")
    # One route: this service, not the provider's link as well.
    expect(clinician_page.get_by_text("Open to doctors.")).to_be_visible()
    expect(clinician_page.get_by_role("button", name="Apply on the Example provider website")).to_have_count(0)
    assert accessibility_violations(clinician_page) == []
    clinician_page.get_by_role("button", name="Apply through this service").click()
    expect(clinician_page.get_by_role("heading", level=1)).to_have_text(
        "Apply for Quality improvement for clinical leaders"
    )
    assert accessibility_violations(clinician_page) == []
    clinician_page.get_by_label("Your supporting statement").fill("I led our department's rota redesign.")
    clinician_page.get_by_role("button", name="Send application").click()
    expect(clinician_page.get_by_text("Application sent to North West local office (demo)")).to_be_visible()
    expect(clinician_page.get_by_text("Waiting for a decision")).to_be_visible()
    assert accessibility_violations(clinician_page) == []

    admin_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(admin_page, admin.email)
    # The menu says how many wait for the admin, in the link text itself.
    admin_page.get_by_role("link", name="Nominations (1 waiting for your decision)").first.click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Nominations")
    assert accessibility_violations(admin_page) == []
    admin_page.get_by_role("link", name="Priya Shah").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Priya Shah")
    expect(admin_page.get_by_text("I led our department's rota redesign.")).to_be_visible()
    assert accessibility_violations(admin_page) == []

    # The evidence first, then one decision form with the places taken.
    expect(admin_page.get_by_text("Places: 0 of 20 taken.")).to_be_visible()
    admin_page.get_by_label("Do not approve").check()
    admin_page.get_by_role("button", name="Continue").click()
    summary = admin_page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the reason for not approving this nomination")
    assert accessibility_violations(admin_page) == []

    admin_page.get_by_label("Approve", exact=True).check()
    admin_page.get_by_label("Note to the clinician (optional)").fill("Well deserved.")
    admin_page.get_by_role("button", name="Continue").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Check your decision")
    expect(admin_page.get_by_text("0 of 20 taken now; 1 of 20 once you approve")).to_be_visible()
    assert accessibility_violations(admin_page) == []
    admin_page.get_by_role("button", name="Confirm: approve").click()
    expect(admin_page.get_by_text("Nomination approved. The clinician has been told.")).to_be_visible()
    assert accessibility_violations(admin_page) == []

    clinician_page.goto("/my/")
    clinician_page.get_by_role("link", name="Your applications and nominations").first.click()
    expect(clinician_page.get_by_role("heading", level=1)).to_have_text("Your applications and nominations")
    row = clinician_page.get_by_role("row", name="Quality improvement for clinical leaders")
    expect(row).to_contain_text("Approved")
    assert accessibility_violations(clinician_page) == []
    row.get_by_role("link").click()
    expect(clinician_page.get_by_text("Approved by Tom Baker")).to_be_visible()
    # What to do next: the provider's instructions and link, and who to contact.
    expect(clinician_page.get_by_role("heading", name="What to do next")).to_be_visible()
    expect(clinician_page.get_by_text("Book your place on the first workshop through our website.")).to_be_visible()
    expect(clinician_page.get_by_role("link", name="Go to the Example provider website")).to_be_visible()
    expect(clinician_page.get_by_role("link", name="courses@example.org")).to_be_visible()
    assert accessibility_violations(clinician_page) == []


def test_an_admin_nominates_and_the_clinician_accepts(browser, live_server, settings):
    """The other route: the body's admin nominates a consenting clinician; the clinician accepts from their page and
    the nomination lands in the admin's queue."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    body = TrainingBodyFactory(name="North West local office (demo)", region=Region.objects.get(slug="north-west"))
    profile = ClinicianProfileFactory(user__full_name="Priya Shah", training_body=body)
    admin = TrainingBodyAdminFactory(full_name="Tom Baker", training_body=body)
    make_opportunity("chief-registrar", title="Chief registrar programme", professions=["doctor"], places=5)
    make_opportunity("nurse-mentoring", title="Mentoring for nurse leaders", professions=["nurse"])

    admin_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(admin_page, admin.email)
    admin_page.goto("/nominations/")
    admin_page.get_by_role("link", name="Nominate a clinician for an opportunity").click()
    assert accessibility_violations(admin_page) == []
    admin_page.get_by_role("button", name="Continue").click()
    expect(admin_page.locator(".nhsuk-error-summary")).to_contain_text("Choose the clinician to nominate")
    assert accessibility_violations(admin_page) == []
    admin_page.get_by_label("Clinician").select_option(label="Priya Shah (Doctor)")
    admin_page.get_by_role("button", name="Continue").click()
    # Only what Priya is eligible for is offered; the page says why the nurses' scheme is not.
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Nominate Priya Shah")
    offered = admin_page.get_by_label("Opportunity").locator("option")
    expect(offered.filter(has_text="Mentoring for nurse leaders")).to_have_count(0)
    expect(admin_page.get_by_text("Open only to these professions: nurse.")).to_be_visible()
    assert accessibility_violations(admin_page) == []
    admin_page.get_by_label("Opportunity").select_option(label="Chief registrar programme")
    admin_page.get_by_label("Why you are nominating them").fill("Priya led the sepsis pathway work.")
    admin_page.get_by_role("button", name="Nominate").click()
    expect(admin_page.get_by_text("Priya Shah has been nominated")).to_be_visible()
    expect(admin_page.get_by_text("Waiting for the nominee", exact=True)).to_be_visible()
    assert accessibility_violations(admin_page) == []

    clinician_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(clinician_page, profile.user.email)
    clinician_page.goto("/your-nominations/")
    clinician_page.get_by_role("link", name="Chief registrar programme").click()
    expect(clinician_page.get_by_text("Priya led the sepsis pathway work.")).to_be_visible()
    assert accessibility_violations(clinician_page) == []
    clinician_page.get_by_role("button", name="Accept nomination").click()
    expect(clinician_page.get_by_text("You accepted the nomination")).to_be_visible()

    admin_page.goto("/nominations/")
    expect(admin_page.get_by_role("row", name="Priya Shah")).to_contain_text("Waiting for a decision")
