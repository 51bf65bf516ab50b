"""In a real browser, printed (Playwright's print media emulation): the talent pipeline and a clinician's
self-assessment results print as their content alone, with no header, menu, footer, back link or buttons, and no link
addresses written after the links; tables and their rows are not cut across pages. Each page offers "Print this
page": a button where JavaScript runs, a hint that says how to print where it does not."""

import pytest
from playwright.sync_api import expect

from talent import services
from talent.models import Dimension
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import TEST_PASSWORD, ClinicianProfileFactory, HEEStaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What is drawn on paper: the page's visible elements of each kind, and what the stylesheet adds after each link.
PRINTED = """() => {
  const shown = element => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden";
  const shownOf = selector => [...document.querySelectorAll(selector)].filter(shown);
  return {
    header: shownOf("header, .nhsuk-header, nav").length,
    footer: shownOf("footer").length,
    backLinks: shownOf(".nhsuk-back-link").length,
    buttons: shownOf("button, .nhsuk-button").map(button => button.textContent.trim()),
    afterLinks: [...new Set(shownOf("main a").map(link => getComputedStyle(link, "::after").content))],
    tables: shownOf("main table").length,
    tablesCut: shownOf("main table").filter(table => getComputedStyle(table).breakInside !== "avoid").length,
    rowsCut: shownOf("main tr").filter(row => getComputedStyle(row).breakInside !== "avoid").length,
    mainText: document.querySelector("main").innerText,
  };
}"""


def sign_in(page, email: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def assert_prints_its_content_alone(page, heading: str) -> dict:
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED)
    page.emulate_media(media="screen")

    assert heading in printed["mainText"]
    assert printed["header"] == printed["footer"] == printed["backLinks"] == 0
    assert printed["buttons"] == []
    assert printed["afterLinks"] in (["none"], [])
    assert printed["tables"] > 0
    assert printed["tablesCut"] == printed["rowsCut"] == 0
    return printed


def print_link_on_screen(page) -> dict:
    return {
        "button": page.get_by_role("button", name="Print this page").is_visible(),
        "hint": page.get_by_text("To print this page, use your browser's Print command").is_visible(),
    }


@pytest.fixture
def clinician_with_results(db):
    profile = ClinicianProfileFactory(user__email="printing@demo.test", user__full_name="Priya Print")
    services.self_assessment_complete(
        assessment=services.self_assessment_save(profile=profile, ratings=dict.fromkeys(Dimension.values, 3))
    )
    return profile.user


def test_a_clinician_prints_their_self_assessment_results(page, clinician_with_results):
    sign_in(page, "printing@demo.test")
    assessment = clinician_with_results.clinician_profile.self_assessments.get()
    page.goto(f"/my/self-assessment/{assessment.pk}/results/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")

    assert print_link_on_screen(page) == {"button": True, "hint": False}
    assert accessibility_violations(page) == []
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print this page").click()
    assert page.evaluate("() => window.printed") == 1

    printed = assert_prints_its_content_alone(page, "Your results")
    assert "Inspiring shared purpose" in printed["mainText"]


def test_hee_staff_print_the_talent_pipeline(page):
    HEEStaffFactory(email="hee-print@demo.test")
    sign_in(page, "hee-print@demo.test")
    enter_security_code(page, "hee-print@demo.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Talent pipeline")

    assert print_link_on_screen(page) == {"button": True, "hint": False}
    assert accessibility_violations(page) == []
    printed = assert_prints_its_content_alone(page, "Talent pipeline")
    assert "Pipeline stages" in printed["mainText"]
    assert "Filter the figures" not in printed["mainText"]


def test_without_javascript_the_page_says_how_to_print_instead(browser, live_server, clinician_with_results, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "printing@demo.test")
    assessment = clinician_with_results.clinician_profile.self_assessments.get()
    page.goto(f"/my/self-assessment/{assessment.pk}/results/")

    assert print_link_on_screen(page) == {"button": False, "hint": True}
    page.emulate_media(media="print")
    assert not page.get_by_text("To print this page").is_visible()
    context.close()
