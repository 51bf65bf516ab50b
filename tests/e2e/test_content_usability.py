"""In a real browser, what clinicians and content editors stumbled on, now fixed:

- a doctor finds pathways for doctors first, searches and gets the most relevant pathway first, and reads its licence
  checkpoint (about the pathway's role) below the pathway;
- their self-assessment results name the table's columns in words and link what builds their lowest dimensions;
- an editor starts a new version of some guidance, lands on the draft, changes one paragraph, previews it as
  clinicians will see it, publishes it, and "what changed" shows that paragraph as it reads;
- the doctor is told on their home that their guidance changed, follows the link, and turns the weekly email off.

Every NHS-styled page passes axe's WCAG checks (the admin site is Django's own and is not checked).
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pathways.starter_content import starter_content_load
from regulators.models import LicenceGuidanceVersion
from regulators.starter_content import guidance_starter_content_load
from talent.models import Dimension
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import TEST_PASSWORD, ClinicianProfileFactory, EditorFactory
from tests.regulators.test_checkpoint import target
from tests.talent.test_assessment import make_assessment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_security_code(page, email)


@pytest.fixture
def content():
    starter_content_load()
    guidance_starter_content_load()


def test_a_doctor_searches_pathways_and_reads_the_checkpoint_of_the_one_they_open(page, content):
    profile = ClinicianProfileFactory(user__full_name="Sam Okafor")
    sign_in(page, profile.user.email)

    page.goto("/pathways/")
    expect(page.get_by_label("Profession")).to_have_value("doctor")
    assert accessibility_violations(page) == []
    page.get_by_label("Search pathways").fill("medical director")
    page.get_by_role("button", name="Search").click()
    first = page.locator("a.nhsuk-card__link").first
    expect(first).to_have_text("Consultant to medical director")
    expect(page.get_by_text("Most relevant first")).to_be_visible()
    assert accessibility_violations(page) == []

    first.click()
    checkpoint = page.get_by_role("region", name="Licence checkpoint: GMC")
    expect(checkpoint).to_contain_text("This pathway leads to medical director, a role at organisation (board) level.")
    expect(checkpoint).to_contain_text("GMC guidance for a medical director")
    # Below the pathway: after its steps.
    steps_bottom = page.get_by_role("heading", name="Steps", exact=True).bounding_box()["y"]
    assert checkpoint.bounding_box()["y"] > steps_bottom
    assert accessibility_violations(page) == []


def test_results_name_their_columns_and_link_what_builds_the_lowest_dimensions(page, content):
    profile = ClinicianProfileFactory()
    ratings = {**dict.fromkeys(Dimension.values, 3), "holding_to_account": 1, "sharing_the_vision": 2}
    assessment = make_assessment(profile, ratings, completed_at=timezone.now())
    sign_in(page, profile.user.email)

    page.goto(f"/my/self-assessment/{assessment.pk}/results/")
    expect(page.get_by_role("columnheader", name="This assessment")).to_be_visible()
    expect(page.get_by_role("heading", name="Holding to account", level=3)).to_be_visible()
    assert accessibility_violations(page) == []

    step = page.locator('a[href*="#step-"]').first
    step_title = step.inner_text()
    step.click()
    expect(page).to_have_url(re.compile(r"/pathways/[\w-]+/#step-\d+$"))
    expect(page.get_by_role("heading", name=step_title, level=3)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_an_editor_changes_one_paragraph_and_a_clinician_is_told(page, browser, live_server, content):
    doctor = ClinicianProfileFactory(user__full_name="Sam Okafor")
    target(doctor, "medical-director")
    editor = EditorFactory()
    current = LicenceGuidanceVersion.objects.get(
        guidance__regulator__code="GMC", guidance__slug="licence-and-registration", status="published"
    )

    # The editor starts a new version and lands on its draft.
    sign_in(page, editor.email)
    page.goto("/admin/regulators/licenceguidanceversion/")
    page.locator(f'input[name="_selected_action"][value="{current.pk}"]').check()
    page.locator('select[name="action"]').select_option("start_new_version")
    page.get_by_role("button", name="Run").or_(page.get_by_role("button", name="Go")).click()
    expect(page).to_have_url(re.compile(r"/admin/regulators/licenceguidanceversion/\d+/change/$"))
    body = page.locator('textarea[name="body"]')
    body.fill(
        body.input_value().replace(
            "You can give up your licence and stay registered", "You may give up your licence and stay on the register"
        )
    )
    page.get_by_role("button", name="Save and continue editing").click()

    # The preview is the clinicians' page.
    page.get_by_role("link", name="Preview this draft as clinicians will see it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Licence to practise and registration are not the same")
    expect(page.get_by_text("You may give up your licence and stay on the register")).to_be_visible()
    assert accessibility_violations(page) == []

    # Publish, then compare.
    draft = LicenceGuidanceVersion.objects.get(guidance=current.guidance, number=2)
    page.goto("/admin/regulators/licenceguidanceversion/")
    page.locator(f'input[name="_selected_action"][value="{draft.pk}"]').check()
    page.locator('select[name="action"]').select_option("publish_selected")
    page.get_by_role("button", name="Run").or_(page.get_by_role("button", name="Go")).click()
    page.goto("/licence/gmc/licence-and-registration/changes/?from=1&to=2")
    expect(page.get_by_text("Changed: guidance.")).to_be_visible()
    expect(page.locator("del")).to_have_count(1)
    expect(page.locator("ins")).to_contain_text("You may give up your licence and stay on the register")
    expect(page.locator("main")).not_to_contain_text("**")
    assert accessibility_violations(page) == []

    # The doctor is told on their home and turns the email off.
    context = browser.new_context(base_url=live_server.url)
    clinician_page = context.new_page()
    sign_in(clinician_page, doctor.user.email)
    clinician_page.goto("/my/")
    notice = clinician_page.get_by_role("region", name="Your licence guidance has changed")
    expect(notice).to_be_visible()
    assert accessibility_violations(clinician_page) == []
    notice.get_by_role("link", name=re.compile("What changed in")).click()
    expect(clinician_page.get_by_role("heading", level=1)).to_have_text("What changed from version 1 to version 2")

    clinician_page.goto("/my/")
    clinician_page.get_by_role("link", name=re.compile("Change your email choice")).click()
    expect(clinician_page.get_by_role("heading", level=1)).to_have_text("Emails about licence guidance changes")
    assert accessibility_violations(clinician_page) == []
    clinician_page.get_by_label("No, only show changes on my home page").check()
    clinician_page.get_by_role("button", name="Save your choice").click()
    expect(clinician_page.get_by_text("You chose not to get emails about changes.")).to_be_visible()
    context.close()
