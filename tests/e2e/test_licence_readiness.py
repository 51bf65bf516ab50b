"""In a real browser, with axe's WCAG checks: a clinician in a talent pool records their licence plan from their
membership page (an unknown answer is never possible, a missing one is an error on the field), and the pool's owner
sees the overdue revalidation flag and the plan on the member list and the member page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Region
from pathways.models import LeadershipRole
from regulators.models import RevalidationRecord
from tests.e2e.conftest import accessibility_violations
from tests.e2e.test_pools import sign_in, sign_out
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory, TrainingBodyFactory
from tests.regulators.fixtures import make_guidance_version
from tests.talent.pool_fixtures import make_member, make_pool

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_clinician_records_a_licence_plan_and_the_owner_sees_the_flag(page):
    body = TrainingBodyFactory(name="North West local office", region=Region.objects.get(slug="north-west"))
    admin = TrainingBodyAdminFactory(training_body=body)
    profile = ClinicianProfileFactory(user__full_name="Priya Shah", training_body=body)
    pool = make_pool(training_body=body, name="Future board members", role_level="organisation")
    membership = make_member(pool, profile, target_role=LeadershipRole.objects.get(slug="medical-director"))
    due = timezone.localdate() - timedelta(days=10)
    RevalidationRecord.objects.create(profile=profile, regulator=profile.regulator, next_due_on=due)
    make_guidance_version(slug="md", title="Keeping your licence as a medical director", roles=["medical-director"])

    sign_in(page, profile.user.email)
    page.goto(f"/my-pools/{membership.pk}/")
    expect(page.get_by_text("Revalidation overdue")).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Record your licence plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your licence plan")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Save your licence plan").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose what you plan to do about your licence")
    assert accessibility_violations(page) == []
    page.get_by_label("Keep my licence and keep practising").check()
    page.get_by_label("Anything you want to remember about it").fill("Two sessions a week.")
    page.get_by_role("button", name="Save your licence plan").click()
    expect(page.get_by_text("Your licence plan is saved.")).to_be_visible()
    assert accessibility_violations(page) == []

    sign_out(page)
    sign_in(page, admin.email)
    page.goto(f"/pools/{pool.pk}/")
    row = page.get_by_role("row", name="Priya Shah")
    expect(row).to_contain_text("Revalidation overdue")
    expect(row).to_contain_text("Plan: Keep my licence and keep practising")
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Assess Priya Shah").click()
    expect(page.get_by_text("Medical director needs a licence to practise")).to_be_visible()
    expect(page.get_by_role("link", name="Keeping your licence as a medical director")).to_be_visible()
    expect(page.get_by_text("Two sessions a week.")).to_have_count(0)
    assert accessibility_violations(page) == []
