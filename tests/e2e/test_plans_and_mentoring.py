"""In a real browser: a clinician starts a development plan with a goal from their home; then asks a mentor the
service suggests, and the mentor accepts from their home, after which each sees the other's email address. Every
page passes axe's WCAG checks."""

import pytest
from playwright.sync_api import expect

from accounts.models import Region
from talent.services import mentoring as mentoring_service
from tests.e2e.conftest import accessibility_violations
from tests.e2e.test_nominations import sign_in
from tests.factories import ClinicianProfileFactory, TrainingBodyFactory
from tests.talent.plan_fixtures import leader

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_clinician_makes_a_plan_with_a_goal(page):
    profile = ClinicianProfileFactory(user__full_name="Priya Shah")
    sign_in(page, profile.user.email)

    page.get_by_role("link", name="Start your development plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your development plan")
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Add your first goal").click()
    page.get_by_role("button", name="Save goal").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter what you want to achieve")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select at least one leadership dimension")
    assert accessibility_violations(page) == []

    page.get_by_label("What do you want to achieve?").fill("Lead a quality improvement project")
    page.get_by_label("Engaging the team").check()
    page.get_by_label("Evaluating information").check()
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_text("Goal added to your development plan.")).to_be_visible()
    expect(page.get_by_role("heading", name="Lead a quality improvement project")).to_be_visible()
    expect(page.get_by_text("Evaluating information, Engaging the team")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Add an action to Lead a quality improvement project").click()
    page.get_by_label("What will you do?").fill("Agree the project with my educational supervisor")
    page.get_by_role("button", name="Save action").click()
    expect(page.get_by_text("Agree the project with my educational supervisor")).to_be_visible()


def test_a_clinician_asks_for_a_mentor_who_accepts(browser, live_server, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    body = TrainingBodyFactory(region=Region.objects.get(slug="north-west"))
    mentee = ClinicianProfileFactory(user__full_name="Priya Shah", training_body=body)
    mentor = leader(body, full_name="Morgan Mentor")
    mentoring_service.mentoring_offer_save(
        profile=mentor,
        capacity=2,
        professions=["doctor"],
        regions=[],
        dimensions=["engaging_the_team"],
        target_roles=[],
        about="Twenty years in acute medicine.",
    )

    mentee_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(mentee_page, mentee.user.email)
    mentee_page.get_by_role("link", name="Find a mentor, or offer to mentor").click()
    expect(mentee_page.get_by_role("heading", level=1)).to_have_text("Mentoring")
    assert accessibility_violations(mentee_page) == []
    mentee_page.get_by_role("link", name="Find a mentor").click()
    expect(mentee_page.get_by_text("Mentors doctors")).to_be_visible()
    assert accessibility_violations(mentee_page) == []
    mentee_page.get_by_role("link", name="Ask Morgan Mentor to mentor you").click()
    mentee_page.get_by_label("Your message to the mentor").fill("I would like help with my first project.")
    mentee_page.get_by_role("button", name="Send request").click()
    expect(mentee_page.get_by_text("Request sent to Morgan Mentor")).to_be_visible()
    expect(mentee_page.get_by_text("Shown once the mentor accepts")).to_be_visible()
    assert mentor.user.email not in mentee_page.content()
    assert accessibility_violations(mentee_page) == []

    mentor_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(mentor_page, mentor.user.email)
    expect(mentor_page.get_by_text("1 mentoring request waiting for your answer")).to_be_visible()
    mentor_page.get_by_role("link", name="Answer mentoring requests").click()
    mentor_page.get_by_role("link", name="Priya Shah").click()
    expect(mentor_page.get_by_text("I would like help with my first project.")).to_be_visible()
    assert accessibility_violations(mentor_page) == []
    mentor_page.get_by_label("A reply to them (optional)").fill("Delighted to.")
    mentor_page.get_by_role("button", name="Accept").click()
    expect(mentor_page.get_by_text("You accepted.")).to_be_visible()
    expect(mentor_page.get_by_role("link", name=mentee.user.email)).to_be_visible()

    mentee_page.reload()
    expect(mentee_page.get_by_role("link", name=mentor.user.email)).to_be_visible()
    expect(mentee_page.get_by_text("Delighted to.")).to_be_visible()
    assert accessibility_violations(mentee_page) == []
