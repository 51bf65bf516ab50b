"""In a real browser: HEE staff open the talent pipeline, apply two filters, drill down from a count to the
clinicians behind it, export the list as CSV (made into a file, then downloaded from "Your exports"); every page
passes axe's WCAG checks."""

import csv
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Region
from pipeline.services import pipeline_rollups_refresh
from regulators.models import Regulator
from tests.e2e.conftest import accessibility_violations
from tests.e2e.second_factor import enter_security_code
from tests.factories import TEST_PASSWORD, ClinicianProfileFactory, HEEStaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def population(db):
    """Two developing doctors in the North West (one shares with nobody), a curious one there, a London doctor and
    a North West nurse, both actively developing."""
    london = Region.objects.get(slug="london")
    ClinicianProfileFactory(user__full_name="Priya Shah", current_interest_level=3)
    ClinicianProfileFactory(user__full_name="Private Person", current_interest_level=4, shares_with_hee=False)
    ClinicianProfileFactory(user__full_name="Sam Curious", current_interest_level=1)
    ClinicianProfileFactory(user__full_name="Lon Don", current_interest_level=3, region=london)
    ClinicianProfileFactory(
        user__full_name="Nia Nurse",
        current_interest_level=3,
        profession="nurse",
        regulator=Regulator.objects.get(code="NMC"),
        registration_number="12A3456E",
        career_stage="band_7",
        specialty_training_year=None,
    )
    pipeline_rollups_refresh()
    return HEEStaffFactory(email="hee@demo.test", full_name="Harriet Hughes")


def test_hee_staff_filter_the_pipeline_drill_down_and_export(page, population):
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill("hee@demo.test")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_security_code(page, "hee@demo.test")

    expect(page.get_by_role("heading", level=1)).to_have_text("Talent pipeline")
    expect(page.get_by_text("Figures as of")).to_be_visible()
    expect(page.get_by_role("link", name="5 clinicians: Registered")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_text("Filter the figures").click()
    page.get_by_label("Region (optional)").select_option(label="North West")
    page.get_by_label("Profession (optional)").select_option(label="Doctor")
    page.get_by_role("button", name="Apply filters").click()
    assert "region=north-west" in page.url and "profession=doctor" in page.url
    # Two North West doctors are developing; the one who shares with nobody is still counted.
    expect(page.get_by_role("link", name="2 clinicians: Developing")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="2 clinicians: Developing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Developing (or further along the pipeline)")
    expect(page.get_by_role("link", name="Priya Shah")).to_be_visible()
    expect(page.get_by_text("Private Person")).to_have_count(0)
    expect(page.get_by_text("Lon Don")).to_have_count(0)
    assert accessibility_violations(page) == []

    drilldown_url = page.url
    page.get_by_role("link", name="Export this list (CSV)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Export this list: Developing (or further along the pipeline)"
    )
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Export this list").click()
    # The worker makes the file (in-process here); the person finds it on their exports page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your exports")
    expect(page.get_by_text("We are making your file: Developing (or further along the pipeline)")).to_be_visible()
    assert accessibility_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Developing (or further along the pipeline) (CSV)").click()
    download = download_info.value
    text = Path(download.path()).read_text()
    assert download.suggested_filename.endswith(".csv")
    assert "Priya Shah" in text and "Private Person" not in text and "Nia Nurse" not in text
    assert text.splitlines()[-1] == '"End of export: 1 row"'

    page.goto(drilldown_url)
    page.get_by_role("link", name="Back to the talent pipeline").click()
    with page.expect_download() as tables_info:
        page.get_by_role("link", name="Download these tables (CSV)").click()
    rows = list(csv.reader(Path(tables_info.value.path()).read_text().splitlines()))
    assert ["Registered", "3"] in [row[:2] for row in rows]
