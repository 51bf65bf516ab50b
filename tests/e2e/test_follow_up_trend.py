"""In a real browser: HEE staff go from the follow-up rates to one body's page and read its monthly trend, with no
clinician named; a training-body admin reads what waits for them in the menu's link text. Every page passes axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talent.models import FollowUp, FollowUpOutcome
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import TEST_PASSWORD, ClinicianProfileFactory, HEEStaffFactory, TrainingBodyAdminFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_security_code(page, email)


def follow_ups(body, count: int, *, days_ago: int, closed: bool) -> None:
    opened = timezone.now() - timedelta(days=days_ago)
    for _ in range(count):
        FollowUp.objects.create(
            training_body=body,
            profile=ClinicianProfileFactory(training_body=body, user__full_name="Hidden Name"),
            opened_at=opened,
            due_on=timezone.localdate(opened) + timedelta(days=30),
            closed_at=opened + timedelta(days=2) if closed else None,
            outcome=FollowUpOutcome.SIGNPOSTED if closed else "",
        )


def test_hee_staff_drill_down_to_a_body_and_its_trend(page, training_body):
    follow_ups(training_body, 9, days_ago=5, closed=True)
    follow_ups(training_body, 2, days_ago=45, closed=False)
    hee = HEEStaffFactory()

    sign_in(page, hee.email)
    page.goto("/pipeline/follow-ups/")
    expect(page.get_by_role("heading", name="Month by month")).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name=re.compile(f"^{re.escape(training_body.name)}")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"How {training_body.name} follows up its nudges")
    expect(page.get_by_role("table", name="Overdue follow-ups by how long they are overdue")).to_be_visible()
    expect(page.get_by_role("table", name="Follow-ups of nudges by month opened")).to_be_visible()
    expect(page.get_by_text("Hidden Name")).to_have_count(0)
    assert accessibility_violations(page) == []


def test_an_admin_reads_what_waits_in_the_menu(page, training_body):
    follow_ups(training_body, 1, days_ago=45, closed=False)
    admin = TrainingBodyAdminFactory(training_body=training_body)

    sign_in(page, admin.email)

    expect(page.get_by_role("link", name="Follow-ups (1 overdue)")).to_have_count(1)
    assert accessibility_violations(page) == []
