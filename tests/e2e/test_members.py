"""In a real browser: a training-body admin sees from their home who waits for them, confirms one clinician with its
own button and two more by ticking them, then declines the last; the pages pass axe's WCAG checks."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talent.models import ClinicianProfile
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import TEST_PASSWORD, ClinicianProfileFactory, TrainingBodyAdminFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_admin_confirms_clinicians_one_at_a_time_and_in_bulk_then_declines_one(page, training_body):
    admin = TrainingBodyAdminFactory(training_body=training_body)
    names = ["Asha Patel", "Ben Okafor", "Cara Jones", "Dev Shah"]
    for name in names:
        ClinicianProfileFactory(
            user__full_name=name, requested_training_body=training_body, training_body_requested_at=timezone.now()
        )

    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(admin.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_security_code(page, admin.email)
    page.goto("/training-bodies/")
    page.get_by_role("link", name=f"4 clinicians waiting for {training_body.name}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for you to confirm them")
    assert accessibility_violations(page) == []

    page.get_by_role("button", name="Confirm Asha Patel").click()
    expect(page.get_by_text("You confirmed 1 clinician.")).to_be_visible()

    page.get_by_role("checkbox", name="Ben Okafor").check()
    page.get_by_role("checkbox", name="Cara Jones").check()
    page.get_by_role("button", name="Confirm selected clinicians").click()
    expect(page.get_by_text("You confirmed 2 clinicians.")).to_be_visible()

    page.get_by_role("link", name="Decline Dev Shah").click()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Decline Dev Shah").click()
    expect(page.get_by_text("Nobody is waiting for you to confirm them.")).to_be_visible()

    members = ClinicianProfile.objects.filter(training_body=training_body).values_list("full_name", flat=True)
    assert sorted(members) == names[:3]
    assert not ClinicianProfile.objects.filter(requested_training_body=training_body).exists()
