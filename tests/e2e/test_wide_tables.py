"""In a real browser at 1280px: the lists of people (the clinicians list, the pipeline's drill-down, the nominations
queue and the clinicians waiting for a training body) use the whole width of the window, fit it without scrolling
sideways, and a training body with a long name wraps over at most five lines; the pages pass axe's checks."""

import pytest
from django.utils import timezone

from accounts.models import Region
from pipeline.services import pipeline_rollups_refresh
from talent.models import CareerStage
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import (
    TEST_PASSWORD,
    ClinicianProfileFactory,
    HEEStaffFactory,
    InterestRecordFactory,
    NominationFactory,
    TrainingBodyAdminFactory,
    TrainingBodyFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Longer than any real body's name, so the widest real list fits too.
LONG_BODY_NAME = "North East and Yorkshire School of Postgraduate Medical Education and Clinical Leadership Development"

# NHS.UK tables are 4px wider than their box (2px each side, so cell text lines up with the body text's): a table
# that fits scrolls by no more than those 2px.
LAYOUT = """(bodyName) => {
  const tables = [...document.querySelectorAll("main table")].map(table => {
    const box = table.closest(".nhsuk-scroll__content, .app-table-scroll") || table.parentElement;
    return {caption: table.caption.textContent.trim(), scrolls: box.scrollWidth > box.clientWidth + 2};
  });
  const bodyCells = [...document.querySelectorAll("main td")].filter(cell => cell.textContent.includes(bodyName));
  return {
    pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    mainWidth: document.querySelector("main").getBoundingClientRect().width,
    tablesThatScroll: tables.filter(table => table.scrolls).map(table => table.caption),
    tables: tables.length,
    bodyNameLines: bodyCells.map(cell => {
      const style = getComputedStyle(cell);
      const text = cell.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      return Math.round(text / parseFloat(style.lineHeight));
    }),
  };
}"""


@pytest.fixture
def long_names(db, open_opportunity):
    """Clinicians with long names in a training body with a long name: two who share with it, each with an
    application waiting, and one waiting for the body to confirm them."""
    body = TrainingBodyFactory(name=LONG_BODY_NAME, region=Region.objects.get(slug="north-east-and-yorkshire"))
    for index in range(3):
        waiting = index == 2
        profile = ClinicianProfileFactory(
            user__full_name=f"Alexandra Bartholomew-Featherstonehaugh {index}",
            training_body=None if waiting else body,
            requested_training_body=body if waiting else None,
            training_body_requested_at=timezone.now() if waiting else None,
            region=body.region,
            career_stage=CareerStage.SPECIALTY_TRAINING,
            employer_name="Leeds Teaching Hospitals NHS Trust and the Yorkshire Partnership",
        )
        InterestRecordFactory(profile=profile, level=3)
        if not waiting:
            NominationFactory(profile=profile, opportunity=open_opportunity)
    pipeline_rollups_refresh()
    TrainingBodyAdminFactory(training_body=body, email="tb-wide@demo.test")
    HEEStaffFactory(email="hee-wide@demo.test")
    return body


def sign_in(page, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_security_code(page, email)


def assert_fits_at_1280px(page, *, body_cells: int) -> None:
    layout = page.evaluate(LAYOUT, LONG_BODY_NAME)

    assert layout["tables"] >= 1
    assert layout["pageScrolls"] is False
    assert layout["tablesThatScroll"] == []
    assert layout["mainWidth"] == 1280 - 2 * 32  # the window less the NHS.UK page gutters, not the 960px column
    assert len(layout["bodyNameLines"]) == body_cells
    assert max(layout["bodyNameLines"], default=0) <= 5
    assert accessibility_violations(page) == []


@pytest.mark.parametrize(
    "who, url, body_cells",
    [
        ("hee-wide@demo.test", "/clinicians/", 2),
        ("hee-wide@demo.test", "/pipeline/clinicians/?stage=registered", 2),
        ("tb-wide@demo.test", "/clinicians/", 2),
        ("tb-wide@demo.test", "/nominations/", 0),
        ("tb-wide@demo.test", "/training-bodies/{slug}/members/waiting/", 0),
    ],
)
def test_lists_of_people_fit_a_1280px_window(page, long_names, who, url, body_cells):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, who)
    page.goto(url.format(slug=long_names.slug))

    assert_fits_at_1280px(page, body_cells=body_cells)
