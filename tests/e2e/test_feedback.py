"""In a real browser: a clinician asks four colleagues for 360 feedback; three of them open the link from their
email (no account), one saves a draft first, each submits; a used link says so; the clinician closes the round
early and reads the report (chart and table, self against others), then shares it with their training body. Every
page passes axe's WCAG checks."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Region
from talent.models import AssessmentStatus, Dimension, SelfAssessment, SelfAssessmentRating
from tests.e2e.conftest import accessibility_violations
from tests.e2e.test_nominations import sign_in
from tests.factories import ClinicianProfileFactory, TrainingBodyFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RATERS = {"peers": ["ana@example.org", "ben@example.org", "cai@example.org"], "line_managers": ["dee@example.org"]}


def link_for(address: str) -> str:
    email = next(email for email in mail.outbox if email.to == [address])
    return re.search(r"http://\S+(/feedback/rate/\S+/)", email.body).group(1)


def rate(page, level: str, comment: str) -> None:
    for dimension in Dimension.values:
        page.locator(f"input[name='{dimension}'][value='{level}']").check()
    page.get_by_label("What does this person do well as a leader?").fill(comment)


def test_a_clinician_asks_for_feedback_raters_answer_and_the_report_compares(browser, live_server, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    body = TrainingBodyFactory(name="North West local office (demo)", region=Region.objects.get(slug="north-west"))
    profile = ClinicianProfileFactory(user__full_name="Priya Shah", training_body=body, specialty_training_year=2)
    assessment = SelfAssessment.objects.create(
        profile=profile, status=AssessmentStatus.COMPLETED, completed_at=timezone.now() - timedelta(days=30)
    )
    SelfAssessmentRating.objects.bulk_create(
        [SelfAssessmentRating(assessment=assessment, dimension=d, rating=3) for d in Dimension.values]
    )

    clinician = browser.new_context(base_url=live_server.url).new_page()
    sign_in(clinician, profile.user.email)
    clinician.get_by_role("link", name=re.compile("Ask colleagues for feedback")).click()
    expect(clinician.get_by_role("heading", level=1)).to_have_text("Your 360 feedback")
    assert accessibility_violations(clinician) == []
    clinician.get_by_role("link", name="Ask for feedback").click()
    closes_on = timezone.localdate() + timedelta(days=14)
    clinician.locator("input[name=closes_on_day]").fill(str(closes_on.day))
    clinician.locator("input[name=closes_on_month]").fill(str(closes_on.month))
    clinician.locator("input[name=closes_on_year]").fill(str(closes_on.year))
    # One mistake first: their own address among the peers.
    clinician.get_by_label("Peers").fill("\n".join([*RATERS["peers"], profile.user.email]))
    clinician.get_by_label("Line manager").fill(RATERS["line_managers"][0])
    clinician.get_by_role("button", name="Send requests").click()
    expect(clinician.locator(".nhsuk-error-summary")).to_contain_text("You cannot ask yourself for feedback")
    assert accessibility_violations(clinician) == []
    clinician.get_by_label("Peers").fill("\n".join(RATERS["peers"]))
    clinician.get_by_role("button", name="Send requests").click()
    expect(clinician.get_by_text("Feedback requested from 4 people")).to_be_visible()
    assert accessibility_violations(clinician) == []
    round_url = clinician.url

    rater = browser.new_context(base_url=live_server.url).new_page()
    # The first peer saves a draft, comes back with the same link and submits.
    rater.goto(link_for("ana@example.org"))
    expect(rater.get_by_role("heading", level=1)).to_have_text("Feedback for Priya Shah")
    assert "ben@example.org" not in rater.content()
    assert accessibility_violations(rater) == []
    rater.locator(f"input[name='{Dimension.LEADING_WITH_CARE}'][value='4']").check()
    rater.get_by_role("button", name="Save draft").click()
    expect(rater.get_by_text("Draft saved")).to_be_visible()
    rater.goto(link_for("ana@example.org"))
    expect(rater.locator(f"input[name='{Dimension.LEADING_WITH_CARE}'][value='4']")).to_be_checked()
    rater.get_by_role("button", name="Submit feedback").click()
    expect(rater.locator(".nhsuk-error-summary")).to_contain_text("Choose a level or “not observed” for")
    assert accessibility_violations(rater) == []
    rate(rater, "2", "Explains decisions clearly")
    rater.get_by_role("button", name="Submit feedback").click()
    expect(rater.get_by_role("heading", level=1)).to_have_text("Feedback submitted")
    assert accessibility_violations(rater) == []
    rater.goto(link_for("ana@example.org"))
    expect(rater.get_by_role("heading", level=1)).to_have_text("Feedback already submitted")
    assert accessibility_violations(rater) == []

    for address in ("ben@example.org", "cai@example.org"):
        rater.goto(link_for(address))
        rate(rater, "2", f"Supportive on the ward ({address[0]})")
        rater.get_by_role("button", name="Submit feedback").click()
        expect(rater.get_by_role("heading", level=1)).to_have_text("Feedback submitted")

    clinician.goto(round_url)
    expect(clinician.locator("table")).to_contain_text("Peers")
    clinician.get_by_role("button", name="Close the round now").click()
    expect(clinician.get_by_text("Feedback round closed")).to_be_visible()
    clinician.get_by_role("link", name="See your feedback report").click()
    expect(clinician.get_by_role("heading", level=1)).to_have_text("Your feedback report")
    expect(clinician.locator("svg#feedback-chart")).to_be_visible()
    expect(clinician.locator("[data-cell=others]").first).to_have_text("2.0")
    expect(clinician.get_by_text("Explains decisions clearly")).to_be_visible()
    assert "ana@example.org" not in clinician.content()
    assert accessibility_violations(clinician) == []
    clinician.get_by_role("button", name="Share with North West local office (demo)").click()
    expect(clinician.get_by_text("Your report is shared with North West local office (demo)")).to_be_visible()
    assert accessibility_violations(clinician) == []
