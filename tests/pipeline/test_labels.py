"""What the talent pipeline says it shows: the scope and every filter named in the dashboard's caption, lead text
and title, the drill-down's caption and title, both CSVs' first lines and the API's `scope`; the "joined" filter in
months; and the dashboard's layout (contents list, narrow trend tables, charts whose text keeps the body's size).

Time is frozen at 20 November 2026, noon (tests/pipeline/pipeline_fixtures.py)."""

import csv
import html
import io
import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from pipeline.selectors import PipelineFilters, pipeline_scope_description
from pipeline.selectors.scope import profession_plural
from pipeline.services import pipeline_rollups_refresh
from pipeline.views.dashboard import dashboard_contents
from regulators.models import Profession
from tests.exports.files import export_file
from tests.factories import TrainingBodyAdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(pipeline_population):
    pipeline_rollups_refresh()
    return pipeline_population


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def said_everywhere(client, user, query: str) -> dict[str, str]:
    """Where the dashboard, the drill-down, their CSVs and the API say what they show, as read by `user`."""
    client.force_login(user)
    dashboard = page_text(client.get(reverse("pipeline:show_dashboard") + query))
    drilldown = page_text(client.get(reverse("pipeline:list_drilldown") + query))
    dashboard_csv = csv_rows(client.get(reverse("pipeline:export_dashboard") + query))
    drilldown_csv = export_file(client, query)
    api = client.get(reverse("pipeline_api:show_summary") + query).json()
    return {
        "caption": re.search(r'<span class="nhsuk-caption-l" id="figures-scope">(.*?)</span>', dashboard).group(1),
        "lead": re.search(r'<p class="nhsuk-lede-text">Clinicians from .*?Shown: (.*?)\.</p>', dashboard).group(1),
        "title": re.search("<title>Talent pipeline: (.*?) \u2013 ", dashboard).group(1),
        "drilldown caption": re.search(r"Talent pipeline, (.*?)</span>", drilldown).group(1),
        "drilldown title": re.search(
            "<title>All registered clinicians: talent pipeline, (.*?) \u2013 ", drilldown
        ).group(1),
        "dashboard csv": dashboard_csv[0][2].removeprefix("Scope: "),
        "drilldown csv": drilldown_csv[2][0].removeprefix("Scope and filters: "),
        "api": api["scope"],
    }


def everywhere(label: str) -> dict[str, str]:
    return dict.fromkeys(
        [
            "caption",
            "lead",
            "title",
            "drilldown caption",
            "drilldown title",
            "dashboard csv",
            "drilldown csv",
            "api",
        ],
        label,
    )


# --- One filter at a time, national HEE staff -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("", "England"),
        ("?region=north-west", "North West"),
        ("?profession=nurse", "England; nurses"),
        ("?profession=doctor", "England; doctors"),
        ("?career_stage=specialty_training", "England; Specialty training"),
        ("?specialty=Cardiology", "England; specialty: Cardiology"),
        ("?early_career=true", "England; early-career clinicians only"),
        ("?joined_from=2025-01&joined_to=2026-06", "England; joined January 2025 to June 2026"),
        ("?joined_from=2025-01", "England; joined from January 2025"),
        ("?joined_to=2026-06", "England; joined up to June 2026"),
        ("?joined_from=2025-03&joined_to=2025-03", "England; joined in March 2025"),
        # Old links with whole dates keep working, and mean their months.
        ("?joined_from=2025-01-31&joined_to=2026-06-01", "England; joined January 2025 to June 2026"),
        ("?joined_from_month=1&joined_from_year=2025", "England; joined from January 2025"),
    ],
)
def test_each_filter_is_named_in_the_caption_lead_title_both_csvs_and_the_api(figures, client, hee_staff, query, label):
    assert said_everywhere(client, hee_staff, query) == everywhere(label)


def test_a_training_body_filter_is_named_by_the_bodys_name(figures, client, hee_staff, training_body):
    said = said_everywhere(client, hee_staff, f"?training_body={training_body.slug}")

    assert said == everywhere(training_body.name)


def test_the_issues_combination_is_named_in_full(figures, client, hee_staff):
    query = "?region=north-west&profession=doctor&joined_from=2025-01&joined_to=2026-06"

    said = said_everywhere(client, hee_staff, query)

    assert said == everywhere("North West; doctors; joined January 2025 to June 2026")


def test_every_filter_at_once_is_named_in_the_users_words(figures, client, hee_staff, training_body):
    query = (
        f"?region=north-west&profession=doctor&career_stage=specialty_training&specialty=Cardiology"
        f"&training_body={training_body.slug}&early_career=true&joined_from=2025-01&joined_to=2026-06"
    )

    said = said_everywhere(client, hee_staff, query)

    assert said == everywhere(
        f"North West; {training_body.name}; doctors; Specialty training; specialty: Cardiology; "
        "early-career clinicians only; joined January 2025 to June 2026"
    )


# --- Other scopes -------------------------------------------------------------------------------------------------


def test_regional_hee_staff_see_their_region_named_once_even_when_they_filter_by_it(
    figures, client, regional_hee_staff
):
    assert said_everywhere(client, regional_hee_staff, "") == everywhere("London")
    said = said_everywhere(client, regional_hee_staff, "?region=london&profession=doctor")
    assert said == everywhere("London; doctors")


def test_a_training_body_admin_sees_their_bodys_name_once_even_when_they_filter_by_it(
    figures, client, tb_admin, training_body
):
    assert said_everywhere(client, tb_admin, "") == everywhere(training_body.name)
    said = said_everywhere(client, tb_admin, f"?training_body={training_body.slug}&early_career=true")
    assert said == everywhere(f"{training_body.name}; early-career clinicians only")
    said = said_everywhere(client, tb_admin, "?region=north-west")
    assert said == everywhere(f"{training_body.name}; North West")


def test_an_admin_of_two_bodies_sees_both_named_and_only_the_one_chosen_when_filtered(
    figures, client, training_body, other_training_body
):
    admin = TrainingBodyAdminFactory()
    first = admin.administered_bodies.get()
    admin.training_body_memberships.create(training_body=training_body)
    names = sorted([first.name, training_body.name])

    assert said_everywhere(client, admin, "") == everywhere(", ".join(names))
    assert said_everywhere(client, admin, f"?training_body={training_body.slug}") == everywhere(training_body.name)


# --- Invalid filters never claimed --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "?profession=doctor&region=nowhere",
        "?profession=doctor&joined_from=2025-13",
        "?profession=doctor&joined_from=2026-06&joined_to=2025-01",
    ],
)
def test_an_invalid_filter_never_gives_a_label_that_claims_the_filters(figures, client, hee_staff, query):
    client.force_login(hee_staff)

    response = client.get(reverse("pipeline:show_dashboard") + query)
    drilldown = client.get(reverse("pipeline:list_drilldown") + query)

    assert response.status_code == drilldown.status_code == 400
    text = page_text(response)
    assert '<span class="nhsuk-caption-l" id="figures-scope">England</span>' in text
    assert "Shown: England." in text and "doctors" not in text
    assert "Talent pipeline, England</span>" in page_text(drilldown)
    for url_name in ("pipeline:export_dashboard", "pipeline:export_drilldown", "pipeline_api:show_summary"):
        assert client.get(reverse(url_name) + query).status_code == 400


# --- Every role -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "label"),
    [
        ("anonymous", 401, None),
        ("clinician", 403, None),
        ("other_clinician", 403, None),
        ("editor", 403, None),
        ("tb_admin", 200, "training_body"),
        ("other_tb_admin", 200, "other_training_body"),
        ("hee_staff", 200, "England; doctors"),
        ("regional_hee_staff", 200, "London; doctors"),
    ],
)
def test_the_api_names_the_scope_of_each_role_and_only_to_those_who_may_see_it(
    figures, client, user_for_role, request, role, status, label
):
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("pipeline_api:show_summary") + "?profession=doctor")

    assert response.status_code == status
    if label is None:
        assert "scope" not in response.json()
        return
    if label.endswith("training_body"):
        label = f"{request.getfixturevalue(label).name}; doctors"
    assert response.json()["scope"] == label


@pytest.mark.parametrize("role", ["anonymous", "clinician", "other_clinician", "editor"])
def test_people_who_may_not_see_the_pipeline_get_no_page_title_or_file_naming_a_scope(
    figures, client, user_for_role, role
):
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    for url_name in (
        "pipeline:show_dashboard",
        "pipeline:list_drilldown",
        "pipeline:export_dashboard",
        "pipeline:export_drilldown",
    ):
        response = client.get(reverse(url_name) + "?profession=doctor")
        assert response.status_code in (302, 403)
        assert b"England; doctors" not in (b"" if response.streaming else response.content)


def test_the_openapi_schema_documents_the_scope_and_the_months_joined():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    summary = schema["components"]["schemas"]["PipelineSummary"]
    assert "scope" in summary["required"] and summary["properties"]["scope"]["type"] == "string"
    parameters = {one["name"]: one for one in schema["paths"]["/api/v1/pipeline/summary/"]["get"]["parameters"]}
    assert "YYYY-MM" in parameters["joined_from"]["description"]
    assert "YYYY-MM" in parameters["joined_to"]["description"]


def test_every_profession_has_a_plural_in_lower_case():
    plurals = {code: profession_plural(code) for code in Profession.values}

    assert plurals["doctor"] == "doctors" and plurals["midwife"] == "midwives"
    assert plurals["podiatrist"] == "chiropodists or podiatrists"
    assert all(plural == plural.lower() and plural.endswith("s") for plural in plurals.values())


def test_the_description_is_one_selector_for_any_filters(figures, hee_staff):
    filters = PipelineFilters(profession="nurse", early_career=True)

    assert pipeline_scope_description(user=hee_staff, filters=filters) == (
        "England; nurses; early-career clinicians only"
    )


# --- The "joined" filter in months ----------------------------------------------------------------------------------


def test_the_joined_filter_asks_for_a_month_and_a_year(figures, client, hee_staff):
    client.force_login(hee_staff)

    text = page_text(client.get(reverse("pipeline:show_dashboard") + "?joined_from=2025-04"))

    assert "Joined the service from (month and year)" in text
    assert "Joined the service up to (month and year)" in text
    assert "For example, 4 2025" in text
    assert 'name="joined_from_month"' in text and 'name="joined_from_year"' in text
    assert 'name="joined_from_day"' not in text
    assert re.search(r'name="joined_from_month"[^>]*value="4"', text)
    assert re.search(r'name="joined_from_year"[^>]*value="2025"', text)


def test_whole_months_count_a_clinician_who_joined_on_the_tenth(figures, client, hee_staff):
    """A (registered only) joined on 10 January 2025; B on 1 June 2025."""
    client.force_login(hee_staff)

    def registered(query: str) -> int:
        return client.get(reverse("pipeline_api:show_summary") + query).json()["funnel"][0]["count"]

    assert registered("?joined_from=2025-01&joined_to=2025-01") == 1
    assert registered("?joined_from=2025-02&joined_to=2025-05") == 0
    assert registered("?joined_from_month=1&joined_from_year=2025&joined_to_month=6&joined_to_year=2025") == 2


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "?joined_from_month=13&joined_from_year=2025",
            "joined_from",
            "The start month must have a month from 1 to 12",
        ),
        ("?joined_from_month=April&joined_from_year=25", "joined_from", "The start month must include a year with 4"),
        ("?joined_from_month=4", "joined_from", "The start month must include a year"),
        ("?joined_to_year=2025", "joined_to", "The end month must include a month"),
        ("?joined_from=2025-00", "joined_from", "The start month must have a month from 1 to 12"),
        ("?joined_from=spring", "joined_from", "The start month must be a month and year, for example 4 2025"),
        ("?joined_to=2200-01", "joined_to", "The end month must be in a year between 1950 and 2100"),
        ("?joined_from=2026-06&joined_to=2025-01", "joined_to", "The end month must be the same as or after the start"),
    ],
)
def test_a_month_that_is_not_one_is_a_clear_field_error(figures, client, hee_staff, query, field, message):
    client.force_login(hee_staff)

    page = client.get(reverse("pipeline:show_dashboard") + query)
    api = client.get(reverse("pipeline_api:show_summary") + query)

    assert page.status_code == 400 and message in page_text(page)
    assert api.status_code == 400 and message in api.json()[field][0]


def test_a_month_named_in_words_is_understood(figures, client, hee_staff):
    client.force_login(hee_staff)

    response = client.get(reverse("pipeline_api:show_summary") + "?joined_from_month=Jan&joined_from_year=2025")

    assert response.status_code == 200 and response.json()["scope"] == "England; joined from January 2025"


# --- Layout -------------------------------------------------------------------------------------------------------


def test_a_contents_list_links_to_every_section_on_the_dashboard(figures, client, hee_staff):
    client.force_login(hee_staff)

    response = client.get(reverse("pipeline:show_dashboard"))

    text = response.content.decode()
    contents = re.search(r'<nav class="nhsuk-contents-list[^"]*"[^>]*>(.*?)</nav>', text, re.S).group(1)
    links = re.findall(r'<a class="nhsuk-contents-list__link" href="#([^"]+)">([^<]+)</a>', contents)
    assert links == [
        ("funnel", "Pipeline stages"),
        ("licence-at-risk-heading", "Licence at risk"),
        ("trends", "Trends over the last 24 months"),
        ("breakdowns", "Breakdowns"),
        ("backgrounds", "Backgrounds of leaders"),
        ("representation", "Representation along the pipeline"),
        ("eligible-population", "Compared with the eligible population"),
        ("outcomes", "Outcomes after approval"),
    ]
    for anchor, _ in links:
        assert f'id="{anchor}"' in text
    assert text.index("nhsuk-contents-list") < text.index('id="funnel"')


def test_the_contents_list_leaves_out_a_section_that_is_not_there():
    listed = [anchor for anchor, _ in dashboard_contents({"licence_at_risk": None})]

    assert listed == [
        "funnel",
        "trends",
        "breakdowns",
        "backgrounds",
        "representation",
        "eligible-population",
        "outcomes",
    ]


def test_monthly_activity_is_two_narrow_tables_with_every_cell_still_linked(figures, client, hee_staff):
    """Months down the side: interest by level in one table, self-assessments and nominations in another."""
    client.force_login(hee_staff)

    response = client.get(reverse("pipeline:show_dashboard"))

    tables = response.context["view"].figures["trend_tables"]
    assert [table["caption"] for table in tables] == [
        "Interest recorded per month, by level",
        "Self-assessments and nominations per month",
    ]
    assert [column["label"] for column in tables[0]["columns"]] == [
        "Not now",
        "Curious",
        "Exploring",
        "Actively developing",
        "Ready for a role",
    ]
    assert all(len(table["columns"]) <= 5 and len(table["rows"]) == 24 for table in tables)
    text = response.content.decode()
    drill = reverse("pipeline:list_drilldown")
    # G's nomination approved in September 2026; E's submitted in November 2026; B's interest in November 2026.
    assert f'<a href="{drill}?event=nominations_approved&amp;month=2026-09">1</a>' in text
    assert f'<a href="{drill}?event=nominations_submitted&amp;month=2026-11">1</a>' in text
    assert f'<a href="{drill}?event=interest_1&amp;month=2026-11">1</a>' in text
    for table_id in ("trends-interest", "trends-activity"):
        table = re.search(rf'id="{table_id}".*?</table>', text, re.S).group(0)
        assert f'aria-labelledby="{table_id}-caption"' in table
        assert '<th scope="col" class="nhsuk-table__header">Month</th>' in table
        assert table.count('<th scope="row"') == 24


def test_charts_are_drawn_at_their_natural_size_with_text_as_large_as_the_body_text(figures, client, hee_staff):
    """One SVG unit a CSS pixel: the chart is never shrunk, so its 19px text stays 19px (NHS.UK body text's largest
    size); narrow screens scroll the chart's box instead."""
    client.force_login(hee_staff)

    text = client.get(reverse("pipeline:show_dashboard")).content.decode()

    svgs = re.findall(r'<div class="app-chart-scroll"[^>]*tabindex="0">(<svg .*?</svg>)', text, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        width, height = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups()
        assert f'width="{width}" height="{height}"' in svg and "100%" not in svg
        sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
        assert sizes and min(sizes) >= 19
