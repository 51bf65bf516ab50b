"""In a real browser: the talent pipeline's layout as HEE staff see it at a phone's, a tablet's and a desktop's width.
At 1280px no table is wider than its box (nothing scrolls sideways); at every width each chart's text is drawn at
least as large as the body text; the contents list's links reach their sections; the page passes axe's checks."""

import pytest
from playwright.sync_api import expect

from accounts.models import Region
from pipeline.services import pipeline_rollups_refresh
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import (
    TEST_PASSWORD,
    ClinicianProfileFactory,
    HEEStaffFactory,
    InterestRecordFactory,
    TrainingBodyFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = (320, 768, 1280)


@pytest.fixture
def population(db):
    """Clinicians in every region with the longest name, in a body with a long name, with interest recorded at every
    level this month, so every table and chart has its widest labels and linked cells."""
    body = TrainingBodyFactory(name="North East and Yorkshire School of Postgraduate Medical Education")
    for index, region in enumerate(Region.objects.order_by("name")):
        profile = ClinicianProfileFactory(
            current_interest_level=index % 5, region=region, training_body=body if index % 2 else None
        )
        InterestRecordFactory(profile=profile, level=index % 5)
    pipeline_rollups_refresh()
    return HEEStaffFactory(email="hee-layout@demo.test")


def sign_in(page, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_security_code(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Talent pipeline")


# NHS.UK tables are designed 4px wider than their box (2px each side, so cell text lines up with the body text's):
# a table that fits is exactly that wide, and its box scrolls by no more than the 2px on the right.
OVERHANG = 4
TABLES_WIDER_THAN_THEIR_BOX = f"""() => [...document.querySelectorAll("main table")]
  .map(table => {{
    const box = table.closest(".nhsuk-scroll__content, .app-table-scroll") || table.parentElement;
    return {{
      caption: table.caption ? table.caption.textContent.trim() : "(no caption)",
      table: Math.ceil(table.getBoundingClientRect().width),
      box: box.clientWidth,
      scrolls: box.scrollWidth > box.clientWidth + {OVERHANG // 2},
    }};
  }})
  .filter(one => one.table > one.box + {OVERHANG} || one.scrolls)"""

SMALL_CHART_TEXT = """() => {
  const body = parseFloat(getComputedStyle(document.querySelector("#funnel + p")).fontSize);
  const texts = [...document.querySelectorAll("svg.chart text")];
  const drawn = texts.map(text => ({
    text: text.textContent.trim(),
    size: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
  }));
  return {body, count: texts.length, small: drawn.filter(one => one.size + 0.01 < body)};
}"""


def test_at_1280px_every_table_and_chart_fits_the_page(page, population):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "hee-layout@demo.test")

    wide = page.evaluate(TABLES_WIDER_THAN_THEIR_BOX)
    assert wide == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    charts = page.evaluate(
        "() => [...document.querySelectorAll('.app-chart-scroll')].map(box => box.scrollWidth <= box.clientWidth)"
    )
    assert charts == [True] * 8  # the funnel, the trends and a dot plot per equality question
    assert accessibility_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_never_smaller_than_the_body_text(page, population, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "hee-layout@demo.test")

    measured = page.evaluate(SMALL_CHART_TEXT)

    assert measured["count"] > 20
    assert measured["body"] >= 16
    assert measured["small"] == []


def test_the_contents_list_links_reach_their_sections(page, population):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "hee-layout@demo.test")

    contents = page.get_by_role("navigation", name="Sections of the talent pipeline")
    names = contents.get_by_role("link").all_inner_texts()
    assert names == [
        "Pipeline stages",
        "Licence at risk",
        "Trends over the last 24 months",
        "Breakdowns",
        "Backgrounds of leaders",
        "Representation along the pipeline",
        "Compared with the eligible population",
        "Outcomes after approval",
    ]
    for name in names:
        link = contents.get_by_role("link", name=name)
        anchor = link.get_attribute("href")
        link.click()
        expect(page).to_have_url(f"{page.url.split('#')[0]}{anchor}")
        heading = page.locator(anchor)
        expect(heading).to_have_text(name)
        expect(heading).to_be_in_viewport()
        page.evaluate("() => window.scrollTo(0, 0)")
