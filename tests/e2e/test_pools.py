"""In a real browser, with axe's WCAG checks on every talent-pool page: a training-body admin creates a pool and
invites a clinician; the clinician accepts; the admin assesses their readiness and holds a talent review; the
clinician sees the readiness and its evidence; HEE staff then find the member counted in the succession table."""

import pytest
from playwright.sync_api import expect

from accounts.models import Region
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import (
    TEST_PASSWORD,
    ClinicianProfileFactory,
    HEEStaffFactory,
    TrainingBodyAdminFactory,
    TrainingBodyFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_security_code(page, email)


def sign_out(page) -> None:
    page.context.clear_cookies()


def test_invite_accept_assess_and_review_with_every_page_accessible(page):
    body = TrainingBodyFactory(name="North West local office", region=Region.objects.get(slug="north-west"))
    admin = TrainingBodyAdminFactory(training_body=body)
    clinician = ClinicianProfileFactory(user__full_name="Priya Shah", training_body=body).user

    sign_in(page, admin.email)
    page.goto("/pools/")
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Create a talent pool").click()
    page.get_by_role("button", name="Create pool").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a name for the pool")
    assert accessibility_violations(page) == []
    page.get_by_label("Name", exact=True).fill("Future clinical directors")
    page.get_by_label("Purpose").fill("Develop our next clinical directors.")
    page.get_by_label("Service", exact=True).check()
    page.get_by_role("button", name="Create pool").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Future clinical directors")
    page.get_by_label("Clinician", exact=True).select_option(label="Priya Shah (Doctor)")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Priya Shah was invited.")).to_be_visible()
    assert accessibility_violations(page) == []
    pool_url = page.url

    sign_out(page)
    sign_in(page, clinician.email)
    page.goto("/my-pools/")
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Future clinical directors").click()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_text("You joined the pool.")).to_be_visible()

    sign_out(page)
    sign_in(page, admin.email)
    page.goto(pool_url)
    page.get_by_role("link", name="Assess Priya Shah").click()
    assert accessibility_violations(page) == []
    page.get_by_label("Ready in 3 or more years").check()
    page.get_by_label("Evidence").fill("Leads the rota redesign.")
    page.get_by_role("button", name="Save readiness").click()
    page.get_by_role("button", name="Open a talent review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Talent review")
    assert accessibility_violations(page) == []
    page.get_by_label("Agreed readiness for Priya Shah").select_option(label="Ready in 1 to 2 years")
    page.get_by_role("button", name="Save agreed readiness for Priya Shah").click()
    page.get_by_role("button", name="Close the review").click()
    expect(page.get_by_text("can no longer change")).to_be_visible()
    assert accessibility_violations(page) == []

    sign_out(page)
    sign_in(page, clinician.email)
    page.goto("/my-pools/")
    page.get_by_role("link", name="Future clinical directors").click()
    expect(page.get_by_text("Ready in 1 to 2 years")).to_be_visible()
    expect(page.get_by_text("Leads the rota redesign.")).to_be_visible()
    assert accessibility_violations(page) == []


def test_a_member_rated_ready_now_in_a_closed_review_counts_in_hee_staffs_succession_table(page):
    body = TrainingBodyFactory(name="North West local office", region=Region.objects.get(slug="north-west"))
    admin = TrainingBodyAdminFactory(training_body=body)
    clinician = ClinicianProfileFactory(user__full_name="Tomasz Nowak", training_body=body).user
    hee = HEEStaffFactory()

    sign_in(page, admin.email)
    page.goto("/pools/new/")
    page.get_by_label("Name", exact=True).fill("Future clinical directors")
    page.get_by_label("Purpose").fill("Develop our next clinical directors.")
    page.get_by_label("Service", exact=True).check()
    page.get_by_role("button", name="Create pool").click()
    page.get_by_label("Clinician", exact=True).select_option(label="Tomasz Nowak (Doctor)")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Tomasz Nowak was invited.")).to_be_visible()
    pool_url = page.url

    sign_out(page)
    sign_in(page, clinician.email)
    page.goto("/my-pools/")
    page.get_by_role("link", name="Future clinical directors").click()
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_text("You joined the pool.")).to_be_visible()

    sign_out(page)
    sign_in(page, admin.email)
    page.goto(pool_url)
    page.get_by_role("link", name="Assess Tomasz Nowak").click()
    page.get_by_label("Ready in 1 to 2 years").check()
    page.get_by_label("Evidence").fill("Acting clinical lead since the spring.")
    page.get_by_role("button", name="Save readiness").click()
    page.get_by_role("button", name="Open a talent review").click()
    page.get_by_label("Agreed readiness for Tomasz Nowak").select_option(label="Ready now")
    page.get_by_role("button", name="Save agreed readiness for Tomasz Nowak").click()
    page.get_by_role("button", name="Close the review").click()
    expect(page.get_by_text("can no longer change")).to_be_visible()

    sign_out(page)
    sign_in(page, hee.email)
    page.goto("/pools/")
    page.get_by_role("link", name="Succession: who is ready for each region and role level").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Succession")
    ready_now = page.locator('td[data-region="north-west"][data-level="service"][data-ready="now"]')
    expect(ready_now).to_contain_text("1")
    expect(ready_now).not_to_contain_text("No one ready now")
    expect(page.locator('td[data-region="north-west"][data-level="system"][data-ready="now"]')).to_contain_text(
        "No one ready now"
    )
    assert accessibility_violations(page) == []
    ready_now.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("North West: Service level")
    expect(page.locator('tr[data-profession="doctor"]')).to_contain_text("1")
    expect(page.get_by_text("Tomasz Nowak")).to_have_count(0)
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Succession", exact=True).click()
    page.get_by_role("link", name="See the sex, ethnic group, disability and age of the pool members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Backgrounds of pool members")
    expect(page.locator('table[data-background="sex"]')).to_be_visible()
    expect(page.get_by_text("Tomasz Nowak")).to_have_count(0)
    assert accessibility_violations(page) == []
