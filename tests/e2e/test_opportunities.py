"""In a real browser: a clinician filters opportunities to those they are eligible for, opens one, and saves a
pathway that then appears on their home; every page passes axe's WCAG checks."""

import pytest
from playwright.sync_api import expect

from pathways.models import OpportunityKind, PathwayStep
from tests.e2e.conftest import accessibility_violations
from tests.factories import TEST_PASSWORD, ClinicianProfileFactory
from tests.pathways.test_services import make_opportunity, make_pathway

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def content(db):
    """An eligible course, a nurses-only mentoring scheme, and a doctors' pathway whose first step suggests the
    course. The clinician is a doctor in specialty training (ST3)."""
    course = make_opportunity(
        "quality-improvement-course",
        title="Quality improvement for clinical leaders",
        closes_in=21,
        professions=["doctor"],
        link="https://example.org/apply",
        places=20,
    )
    make_opportunity(
        "nurse-mentoring", title="Mentoring for nurse leaders", kind=OpportunityKind.MENTORING, professions=["nurse"]
    )
    pathway = make_pathway(
        "doctor-to-clinical-director",
        title="From specialty training to clinical director",
        professions=["doctor"],
        role="clinical-director",
        body="## Why this route\n\nDoctors who lead **improvement** early often go on to lead services.",
    )
    step = PathwayStep.objects.create(
        pathway=pathway,
        order=1,
        title="Lead an improvement project",
        description="Lead a small project in your department.",
        typical_duration="6 to 12 months",
        dimensions=["leading_with_care", "evaluating_information"],
    )
    step.suggested_opportunities.add(course)
    return pathway


def test_a_clinician_finds_an_eligible_opportunity_and_saves_a_pathway(page, content):
    """Filter to "eligible for me", open the course, then save a pathway and find it on the home page."""
    profile = ClinicianProfileFactory(user__full_name="Priya Shah")
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(profile.user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Priya")

    page.goto("/opportunities/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Development opportunities")
    expect(page.get_by_text("Mentoring for nurse leaders")).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_label("Only opportunities I am eligible for").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("Mentoring for nurse leaders")).to_have_count(0)
    expect(page.get_by_text("You are eligible")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Quality improvement for clinical leaders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quality improvement for clinical leaders")
    expect(page.get_by_role("heading", name="You are eligible for this course")).to_be_visible()
    assert accessibility_violations(page) == []

    page.goto("/pathways/")
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="From specialty training to clinical director").click()
    expect(page.get_by_role("heading", name="Lead an improvement project")).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Save this pathway").click()
    expect(page.get_by_role("button", name="Remove from saved")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="your home page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Priya")
    saved = page.locator("h2:has-text('Saved pathways') + ul")
    expect(saved.get_by_role("link", name="From specialty training to clinical director")).to_be_visible()
    assert accessibility_violations(page) == []
