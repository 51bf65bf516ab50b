"""In a real browser: a doctor (like the demo clinician, GMC) aims for medical director, meets the GMC licence
checkpoint on their home, reads the guidance, and records a revalidation date that turns their status amber; every
page passes axe's WCAG checks."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from regulators.revalidation import add_months
from regulators.starter_content import guidance_starter_content_load
from tests.e2e.conftest import accessibility_violations
from tests.factories import TEST_PASSWORD, ClinicianProfileFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_doctor_aiming_for_medical_director_keeps_track_of_their_licence(page):
    guidance_starter_content_load()
    profile = ClinicianProfileFactory(user__full_name="Sam Okafor")
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(profile.user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam")
    expect(page.get_by_role("heading", name="Licence checkpoint: GMC")).to_have_count(0)

    # Aim for medical director through the existing interest page.
    page.goto("/my/interest/new/")
    page.get_by_label("Actively developing").check()
    page.get_by_label("In 1 to 3 years").check()
    page.get_by_label("Medical director (organisation (board) level)", exact=True).check()
    page.get_by_role("button", name="Save your interest").click()

    page.goto("/my/")
    checkpoint = page.get_by_role("region", name="Licence checkpoint: GMC")
    expect(checkpoint).to_be_visible()
    expect(checkpoint).to_contain_text("Medical director")
    expect(checkpoint).to_contain_text("You have not recorded when your revalidation or renewal is due")
    assert accessibility_violations(page) == []

    checkpoint.get_by_role("link", name="Keeping your licence to practise in a senior leadership role").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Keeping your licence to practise in a senior leadership role"
    )
    expect(page.get_by_role("heading", name="How this applies to senior leaders")).to_be_visible()
    assert accessibility_violations(page) == []

    page.goto("/my/")
    page.get_by_role("region", name="Licence checkpoint: GMC").get_by_role(
        "link", name="Record your revalidation date"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your revalidation date")
    assert accessibility_violations(page) == []
    # Last revalidated five years ago less 60 days: the next one (GMC, five-yearly) is due in about 60 days.
    last = add_months(timezone.localdate() + timedelta(days=60), -60)
    page.locator("#id_last_revalidated_on_day").fill(str(last.day))
    page.locator("#id_last_revalidated_on_month").fill(str(last.month))
    page.locator("#id_last_revalidated_on_year").fill(str(last.year))
    page.get_by_label("Responsible officer").fill("Dr Ada Officer")
    page.get_by_role("button", name="Save revalidation details").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your revalidation")
    status = page.locator("strong.nhsuk-tag--orange")
    expect(status).to_have_text("Due within 90 days")
    expect(page.get_by_text("Dr Ada Officer")).to_be_visible()
    assert accessibility_violations(page) == []

    page.goto("/my/")
    expect(page.get_by_role("region", name="Licence checkpoint: GMC").locator("strong.nhsuk-tag")).to_have_text(
        "Due within 90 days"
    )


def test_a_visitor_filters_guidance_and_sees_what_changed_in_a_new_version(page):
    """Anyone can filter the guidance, read a replaced version with its notice, and see what changed, accessibly."""
    from regulators.models import LicenceGuidanceVersion
    from regulators.services import guidance_version_publish, guidance_version_start_next

    guidance_starter_content_load()
    current = LicenceGuidanceVersion.objects.get(guidance__regulator__code="NMC", guidance__slug="your-confirmer")
    draft = guidance_version_start_next(version=current, actor=None)
    draft.summary = "Someone must confirm you have met the requirements, usually your line manager."
    draft.save()
    guidance_version_publish(version=draft, actor=None)

    page.goto("/licence/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keeping your licence to practise as a leader")
    assert accessibility_violations(page) == []
    page.get_by_label("Regulator").select_option("NMC")
    page.get_by_label("Topic").select_option("responsible_officer")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 guidance item found")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Your confirmer when you are a senior leader").click()
    expect(page.get_by_text("Version 2 (published, you are reading it)")).to_be_visible()
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.get_by_role("heading", name="This guidance has been replaced")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="see what changed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed from version 1 to version 2")
    expect(page.locator("ins")).to_contain_text("usually your line manager")
    assert accessibility_violations(page) == []
