"""In a real browser, what clinicians stumbled on: onboarding answers lost on signing out, a change of interest
pre-filled and able to contradict itself (and no way to correct a slip), the revalidation dates both marked optional,
and password problems shown one at a time in Django's words. Every page on the way passes axe's WCAG checks."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import accessibility_violations
from tests.factories import TEST_PASSWORD, ClinicianFactory, ClinicianProfileFactory, InterestRecordFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_dentist_signs_out_half_way_through_onboarding_and_carries_on_where_they_left_off(page):
    """Answers given before signing out are still there, and signing in again opens the next question."""
    user = ClinicianFactory()
    sign_in(page, user.email)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("What is your profession?").select_option("dentist")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Registration number").fill("123456")
    page.get_by_label("Year of first registration").fill("2016")
    page.get_by_role("button", name="Continue").click()

    # A dentist in general dental practice can say so; the dental training grades are offered too.
    expect(page.get_by_label("Dental core training")).to_be_visible()
    expect(page.get_by_label("Agenda for Change band 4")).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_label(re.compile("^Not on Agenda for Change")).check()
    page.get_by_label("Specialty or field").fill("General dentistry")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Where you work")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, user.email)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Where you work")
    assert accessibility_violations(page) == []
    page.locator(".nhsuk-back-link").click()
    expect(page.get_by_label(re.compile("^Not on Agenda for Change"))).to_be_checked()
    expect(page.get_by_label("Specialty or field")).to_have_value("General dentistry")


def test_a_clinician_records_a_change_corrects_a_slip_and_sees_levels_in_words(page):
    """The form starts empty; "Not now" with a near horizon and a role is refused with both problems named; a slip is
    corrected the same day and the timeline keeps both, the first marked corrected."""
    profile = ClinicianProfileFactory(user__full_name="Ama Mensah")
    InterestRecordFactory(profile=profile, level=1, readiness_horizon="4_plus_years")
    sign_in(page, profile.user.email)

    page.goto("/my/interest/new/")
    for level in ("Not now", "Curious", "Exploring", "Actively developing", "Ready for a role"):
        expect(page.get_by_label(level, exact=True)).not_to_be_checked()
    page.get_by_label("Not now", exact=True).check()
    page.get_by_label("In 1 to 3 years").check()
    page.get_by_role("checkbox", name=re.compile("^Clinical director")).check()
    page.get_by_role("button", name="Save your interest").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("so choose “In 4 years or more”")
    expect(summary).to_contain_text("so do not select any leadership roles")
    assert accessibility_violations(page) == []

    # The slip: Ready for a role instead of Exploring.
    page.get_by_label("Ready for a role", exact=True).check()
    page.get_by_label("Now", exact=True).check()
    page.get_by_role("button", name="Save your interest").click()
    expect(page).to_have_url(re.compile("/my/interest/$"))
    page.get_by_role("link", name=re.compile("^Correct your latest entry")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct your latest entry")
    expect(page.get_by_label("Ready for a role", exact=True)).to_be_checked()
    assert accessibility_violations(page) == []
    page.get_by_label("Exploring", exact=True).check()
    page.get_by_label("In 1 to 3 years").check()
    page.get_by_role("button", name="Save your correction").click()

    main = page.get_by_role("main")
    expect(main).to_contain_text("Your correction has been saved.")
    expect(main.locator(".nhsuk-tag", has_text="Corrected")).to_have_count(1)
    entries = main.locator(".app-timeline__item")
    expect(entries).to_have_count(3)
    expect(entries.nth(0)).to_contain_text("Exploring")
    expect(entries.nth(0)).not_to_contain_text("Corrected")
    expect(entries.nth(1)).to_contain_text("Corrected")
    expect(entries.nth(1).locator("dd").first).to_have_text("Ready for a role")
    expect(entries.nth(2)).to_contain_text("Curious")
    text = main.inner_text()
    assert not re.search(r"\d: (Not now|Curious|Exploring|Actively developing|Ready for a role)", text)
    assert accessibility_violations(page) == []


def test_the_revalidation_form_asks_for_one_of_the_two_dates(page):
    profile = ClinicianProfileFactory()
    sign_in(page, profile.user.email)
    page.goto(reverse("regulators:edit_revalidation"))

    last = page.get_by_role("group", name="When did you last revalidate or renew your registration?", exact=True)
    due = page.get_by_role("group", name="Or, when is your next revalidation or renewal due?", exact=True)
    expect(last).to_contain_text("we need one of the two")
    expect(due).to_contain_text("we need one of the two")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Save revalidation details").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter one of the two dates: when you last revalidated or renewed, or when your next one is due"
    )
    assert accessibility_violations(page) == []


def test_signing_up_shows_every_problem_with_the_password_at_once(page):
    page.goto("/sign-up/")
    page.get_by_label("Full name").fill("Sam Okoye")
    page.get_by_label("Email address").fill("sam.okoye@example.nhs.uk")
    page.get_by_label("Create a password").fill("sam.okoye1")
    page.get_by_label("Confirm password").fill("sam.okoye2")
    page.get_by_role("button", name="Create account").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Password must be 12 characters or more")
    expect(summary).to_contain_text("Password must not be like your name or email address")
    expect(summary).to_contain_text("The passwords do not match")
    expect(page.get_by_role("main")).not_to_contain_text("This password")
    assert accessibility_violations(page) == []
