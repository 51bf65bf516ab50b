"""In a real browser, the whole loop: a clinician shows early interest (a signal), the nudge names them, their
training body's admin finds the follow-up on their home, signposts an opportunity, the clinician finds it on their
home and applies for it. Every page on the way passes axe's WCAG checks."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import NudgeFrequency, Region
from talent import services
from talent.models import EarlyInterestSignal, FollowUp, SignalKind
from talent.services.nudges import nudge_period
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import (
    TEST_PASSWORD,
    ClinicianProfileFactory,
    HEEStaffFactory,
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


def test_signal_nudge_follow_up_signpost_and_the_clinician_applies(browser, live_server, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    body = TrainingBodyFactory(
        name="North West local office (demo)",
        region=Region.objects.get(slug="north-west"),
        nudge_frequency=NudgeFrequency.WEEKLY,
    )
    # An early-career doctor in specialty training, sharing with their body.
    profile = ClinicianProfileFactory(user__full_name="Priya Shah", training_body=body, specialty_training_year=2)
    admin = TrainingBodyAdminFactory(full_name="Tom Baker", training_body=body)
    make_opportunity(
        "quality-improvement-course",
        title="Quality improvement for clinical leaders",
        professions=["doctor"],
        link="https://example.org/apply",
        places=20,
    )
    # The signal, in last week, and the weekly nudge the worker builds from it.
    now = timezone.now()
    start, _ = nudge_period(frequency=NudgeFrequency.WEEKLY, now=now)
    EarlyInterestSignal.objects.create(
        profile=profile, kind=SignalKind.INTEREST_RAISED, created_at=start + timedelta(hours=30)
    )
    [nudge] = services.nudges_dispatch(now=now)
    assert FollowUp.objects.get(nudge=nudge).profile == profile

    admin_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(admin_page, admin.email)
    admin_page.goto("/training-bodies/")
    admin_page.get_by_role("link", name="Follow-ups of nudges due: 1").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Follow-ups of nudges")
    assert accessibility_violations(admin_page) == []
    admin_page.get_by_role("link", name="Priya Shah").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Priya Shah")
    assert accessibility_violations(admin_page) == []

    # Closing without choosing how is refused with a clear message.
    admin_page.get_by_role("button", name="Close follow-up").click()
    expect(admin_page.locator(".nhsuk-error-summary")).to_contain_text("Choose how you followed up")
    assert accessibility_violations(admin_page) == []
    admin_page.get_by_label("Signposted to opportunities or pathways").check()
    admin_page.get_by_label(re.compile("Quality improvement for clinical leaders")).check()
    admin_page.get_by_label("Note").fill("This fits the quality improvement work you told us about.")
    admin_page.get_by_role("button", name="Close follow-up").click()
    expect(admin_page.get_by_text("Follow-up of Priya Shah closed.")).to_be_visible()
    expect(admin_page.get_by_text("Signposted to opportunities or pathways")).to_be_visible()
    assert accessibility_violations(admin_page) == []

    clinician_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(clinician_page, profile.user.email)
    clinician_page.goto("/my/")
    expect(clinician_page.get_by_role("heading", name="Suggested by your training body")).to_be_visible()
    assert accessibility_violations(clinician_page) == []
    clinician_page.get_by_role("link", name="Quality improvement for clinical leaders").first.click()
    clinician_page.get_by_role("button", name="Apply through this service").click()
    clinician_page.get_by_label("Your supporting statement").fill("I led our department's rota redesign.")
    clinician_page.get_by_role("button", name="Send application").click()
    expect(clinician_page.get_by_text("Application sent to North West local office (demo)")).to_be_visible()
    assert accessibility_violations(clinician_page) == []


def test_an_admin_records_a_conversation_and_the_clinician_disputes_it(browser, live_server, settings):
    """The conversation pages: an action without an owner is refused with a clear message; the clinician asks for a
    conversation, reads the record and gives their own account, which the admin then sees beside theirs."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    body = TrainingBodyFactory(name="North West local office (demo)", region=Region.objects.get(slug="north-west"))
    profile = ClinicianProfileFactory(user__full_name="Priya Shah", training_body=body)
    admin = TrainingBodyAdminFactory(full_name="Tom Baker", training_body=body)

    clinician_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(clinician_page, profile.user.email)
    clinician_page.goto("/my/conversations/")
    assert accessibility_violations(clinician_page) == []
    clinician_page.get_by_role("link", name="Ask your training body for a career conversation").click()
    assert accessibility_violations(clinician_page) == []
    clinician_page.get_by_label("What would you like to talk about?").fill("Leadership fellowships")
    clinician_page.get_by_role("button", name="Send request").click()
    expect(clinician_page.get_by_text("Your request has been sent")).to_be_visible()

    admin_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(admin_page, admin.email)
    admin_page.goto("/training-bodies/")
    admin_page.get_by_role("link", name="Requests for career conversations: 1").click()
    assert accessibility_violations(admin_page) == []
    admin_page.get_by_role("link", name=re.compile("Priya Shah")).click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Record a career conversation with Priya Shah")
    assert accessibility_violations(admin_page) == []
    yesterday = timezone.localdate() - timedelta(days=1)
    held = admin_page.get_by_role("group", name="Date of the conversation")
    held.get_by_label("Day").fill(str(yesterday.day))
    held.get_by_label("Month").fill(str(yesterday.month))
    held.get_by_label("Year").fill(str(yesterday.year))
    admin_page.get_by_label("Who took part").fill("Priya Shah and Tom Baker")
    admin_page.get_by_label("The clinician's aspirations, in their words").fill("To lead a service within five years.")
    admin_page.get_by_label("Action 1: what was agreed").fill("Shadow the clinical director")
    due = admin_page.get_by_role("group", name="Action 1: due by")
    due.get_by_label("Day").fill("1")
    due.get_by_label("Month").fill("6")
    due.get_by_label("Year").fill(str(yesterday.year + 1))
    admin_page.get_by_role("button", name="Record conversation").click()
    expect(admin_page.locator(".nhsuk-error-summary")).to_contain_text("Enter who owns action 1")
    assert accessibility_violations(admin_page) == []
    admin_page.get_by_label("Action 1: who owns it").fill("Tom Baker")
    admin_page.get_by_role("button", name="Record conversation").click()
    expect(admin_page.get_by_text("Conversation recorded.")).to_be_visible()
    assert accessibility_violations(admin_page) == []

    clinician_page.goto("/my/")
    clinician_page.get_by_role("link", name="1 conversation to confirm").click()
    clinician_page.get_by_role("link", name=re.compile("Conversation of")).click()
    expect(clinician_page.get_by_text("To lead a service within five years.")).to_be_visible()
    assert accessibility_violations(clinician_page) == []
    clinician_page.get_by_label("No, I dispute it").check()
    clinician_page.get_by_label("Your account of the conversation").fill("I said within ten years.")
    clinician_page.get_by_role("button", name="Send").click()
    expect(clinician_page.get_by_text("Thank you. Your training body has been told.")).to_be_visible()
    assert accessibility_violations(clinician_page) == []

    admin_page.reload()
    expect(admin_page.get_by_text("I said within ten years.")).to_be_visible()
    expect(admin_page.get_by_text("To lead a service within five years.")).to_be_visible()


def test_hee_staff_sort_the_follow_up_rates_and_see_no_names(page, training_body):
    """The rates page: counts per body and region, sortable by a column heading, no clinician named, accessible."""
    hee = HEEStaffFactory()
    for _ in range(9):
        profile = ClinicianProfileFactory(training_body=training_body, user__full_name="Hidden Name")
        FollowUp.objects.create(
            training_body=training_body,
            profile=profile,
            opened_at=timezone.now() - timedelta(days=5),
            due_on=timezone.localdate() + timedelta(days=25),
        )

    sign_in(page, hee.email)
    page.goto("/pipeline/follow-ups/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How training bodies follow up their nudges")
    expect(page.get_by_role("row", name=re.compile(training_body.name)).first).to_be_visible()
    assert accessibility_violations(page) == []
    page.locator("#training_body-caption").scroll_into_view_if_needed()
    page.get_by_role("link", name="Opened").last.click()
    assert "training_body_sort=opened" in page.url
    expect(page.get_by_text("Hidden Name")).to_have_count(0)
    assert accessibility_violations(page) == []
