"""Representation along the pipeline: the relative likelihood of each equality group reaching each stage from the
one before, compared with a reference group (WRES style), checked against hand-worked numbers, through the real
roll-up refresh, and on the page, the API and the CSV for every role."""

import csv
import io
from datetime import date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathways.models import Opportunity
from pipeline.likelihood import relative_likelihood
from pipeline.models import PipelineScopeSummary
from pipeline.selectors import PipelineFilters, pipeline_summary
from pipeline.selectors.figures import EQUALITY_ATTRIBUTES
from pipeline.selectors.representation import pipeline_representation, representation_transitions
from pipeline.services import pipeline_rollups_refresh
from pipeline.stages import PipelineStage
from talent.models import EqualityMonitoring, NominationState
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory, NominationFactory
from tests.pipeline.pipeline_fixtures import _opportunity

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/London"))
_at_now = runs_at(NOW)


# --- The calculation, by hand ----------------------------------------------------------------------------------------


def figure(a, n, b, m):
    result = relative_likelihood(a=a, n=n, b=b, m=m)
    return result.status, result.ratio, result.low, result.high


def test_half_as_likely_with_its_interval_worked_by_hand():
    """(30/100) / (60/100) = 0.50; standard error sqrt(1/30 - 1/100 + 1/60 - 1/100) = sqrt(0.03) = 0.1732;
    exp(ln 0.5 -/+ 1.96 x 0.1732) = 0.356 and 0.702."""
    assert figure(30, 100, 60, 100) == ("figure", 0.5, 0.36, 0.7)


def test_parity_with_its_interval_worked_by_hand():
    """(40/80) / (50/100) = 1.00; sqrt(1/40 - 1/80 + 1/50 - 1/100) = 0.15; exp(-/+ 0.294) = 0.745 and 1.342."""
    assert figure(40, 80, 50, 100) == ("figure", 1.0, 0.75, 1.34)


def test_more_likely_than_the_reference():
    """(10/20) / (8/40) = 2.50; sqrt(1/10 - 1/20 + 1/8 - 1/40) = 0.3873; 2.5 x exp(-/+ 0.759) = 1.17 and 5.34."""
    assert figure(10, 20, 8, 40) == ("figure", 2.5, 1.17, 5.34)


def test_everyone_moving_on_in_both_groups_is_parity_with_no_spread():
    assert figure(8, 8, 12, 12) == ("figure", 1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    ("a", "n", "b", "m"),
    [
        (5, 100, 60, 100),  # the group's movers are few
        (7, 7, 60, 100),  # the group itself is small
        (30, 100, 1, 100),  # the reference's movers are few
        (30, 100, 7, 7),  # the reference is small
        (0, 0, 60, 100),  # nobody in the group at the stage before
        (30, 100, 0, 0),  # the reference group is missing
        (0, 5, 60, 100),  # none reached, but from a small group: that would say something of 5 people
    ],
)
def test_small_or_missing_groups_get_no_figure(a, n, b, m):
    assert figure(a, n, b, m) == ("too_few", None, None, None)


def test_none_of_a_large_enough_group_reached_the_stage():
    assert figure(0, 8, 60, 100) == ("none_reached", None, None, None)


def test_none_of_the_reference_group_reached_the_stage():
    assert figure(30, 100, 0, 100) == ("reference_none_reached", None, None, None)


@pytest.mark.parametrize(("a", "n", "b", "m"), [(-1, 10, 5, 10), (11, 10, 5, 10), (5, 10, 11, 10)])
def test_impossible_counts_are_refused(a, n, b, m):
    with pytest.raises(ValueError):
        relative_likelihood(a=a, n=n, b=b, m=m)


def test_the_transitions_follow_every_stage_in_order():
    stages = list(PipelineStage)
    transitions = representation_transitions()
    assert [(one["from_label"], one["label"]) for one in transitions] == [
        (before.label, stage.label) for before, stage in pairwise(stages)
    ]


def rows_of(attribute: str, groups: dict[str, dict[int, int]]) -> list[dict]:
    """Roll-up rows (furthest stage) for some groups of one question."""
    return [
        {"attribute": attribute, "value": value, "stage": stage, "n": n}
        for value, at_stage in groups.items()
        for stage, n in at_stage.items()
    ]


def test_of_two_equally_large_groups_the_first_in_the_question_is_the_reference():
    rows = rows_of("sex", {"male": {0: 20, 1: 20}, "female": {0: 20, 1: 20}, "": {0: 500}})
    table = pipeline_representation(rows, {"sex": EQUALITY_ATTRIBUTES["sex"]})["attributes"][0]

    assert table["reference"]["value"] == "female"  # Female comes before Male; not answered never counts
    # Of 40 each, 20 moved on: 1.00, sqrt(1/20 - 1/40 + 1/20 - 1/40) = 0.2236, exp(-/+ 0.438) = 0.65 and 1.55.
    assert cells(table, "male")["interested"] == ("figure", 1.0, 0.65, 1.55)


def test_a_missing_standard_reference_group_leaves_every_group_without_a_figure():
    rows = rows_of("ethnic_group", {"asian": {0: 50, 1: 50}, "black": {0: 50, 1: 50}})
    table = pipeline_representation(rows, {"ethnic_group": EQUALITY_ATTRIBUTES["ethnic_group"]})["attributes"][0]

    assert table["reference"]["value"] == "white"
    assert {cell[0] for row in table["rows"] for cell in cells(table, row["value"]).values()} == {
        "too_few",
        "reference",
    }


def test_rows_written_before_stages_were_kept_are_left_out():
    rows = [{"attribute": "sex", "value": "female", "stage": None, "n": 40}]
    table = pipeline_representation(rows, {"sex": EQUALITY_ATTRIBUTES["sex"]})["attributes"][0]

    assert table["reference"] is None


# --- Through the refresh ---------------------------------------------------------------------------------------------
#
# Sixty-eight clinicians of `training_body`, all actively developing (level 3):
#   20 White women, 10 of them nominated;
#   45 Asian men, 10 of them nominated (less likely to be put forward);
#   3 Black clinicians, none nominated, who did not answer the question on sex.
# Counts that are multiples of 5, so the rounding the figures are worked from changes none of them.
# Nominated from Developing, Asian against White: (10/45) / (10/20) = 0.44; sqrt(1/10 - 1/45 + 1/10 - 1/20) = 0.3575;
# 0.444 x exp(-/+ 0.7006) = 0.22 and 0.90. Women against men (the largest group answering on sex): 2.25 (1.12 to 4.53).


@pytest.fixture
def represented(training_body):
    course = _opportunity("leadership-course")
    groups = [("white", "female", 20, 10), ("asian", "male", 45, 10), ("black", "", 3, 0)]
    for ethnic_group, sex, people, nominated in groups:
        for index in range(people):
            profile = ClinicianProfileFactory(training_body=training_body, current_interest_level=3)
            EqualityMonitoring.objects.create(profile=profile, ethnic_group=ethnic_group, sex=sex)
            if index < nominated:
                NominationFactory(
                    profile=profile, opportunity=course, state=NominationState.SUBMITTED, submitted_at=NOW
                )
    pipeline_rollups_refresh()


def attribute(summary, key):
    return next(table for table in summary["representation"]["attributes"] if table["key"] == key)


def cells(table, value):
    row = next(row for row in table["rows"] if row["value"] == value)
    return {cell["transition"]: (cell["status"], cell["ratio"], cell["low"], cell["high"]) for cell in row["cells"]}


def test_a_group_less_likely_to_be_nominated_gets_a_figure_below_one(represented, hee_staff):
    ethnic_group = attribute(pipeline_summary(hee_staff, PipelineFilters()), "ethnic_group")

    assert ethnic_group["reference"]["value"] == "white"
    assert "Race Equality Standard" in ethnic_group["reference"]["basis"]
    asian = cells(ethnic_group, "asian")
    assert asian["nominated"] == ("figure", 0.44, 0.22, 0.9)
    assert asian["interested"] == ("figure", 1.0, 1.0, 1.0)  # everyone is interested
    assert asian["approved"] == ("none_reached", None, None, None)
    assert set(cells(ethnic_group, "white").values()) == {("reference", None, None, None)}
    assert set(cells(ethnic_group, "black").values()) == {("too_few", None, None, None)}  # three people
    assert {row["value"] for row in ethnic_group["rows"]} == {"asian", "black", "mixed", "white", "other"}


def test_the_largest_answered_group_is_the_reference_where_no_standard_names_one(represented, hee_staff):
    sex = attribute(pipeline_summary(hee_staff, PipelineFilters()), "sex")

    assert sex["reference"] == {
        "value": "male",
        "label": "Male",
        "basis": "the largest group at the Registered stage in these figures",
    }
    assert cells(sex, "female")["nominated"] == ("figure", 2.25, 1.12, 4.53)
    assert {row["value"] for row in sex["rows"]} == {"female", "male"}  # never "not answered" nor "prefer not to say"


def test_without_answers_there_is_no_reference_and_no_figure(represented, hee_staff):
    summary = pipeline_summary(hee_staff, PipelineFilters())

    religion = attribute(summary, "religion")
    assert religion["reference"] is None
    assert {cell[0] for row in religion["rows"] for cell in cells(religion, row["value"]).values()} == {"too_few"}
    disability = attribute(summary, "disability")  # the standard's reference ("No") is there, with nobody in it
    assert disability["reference"]["value"] == "no"
    assert cells(disability, "yes")["nominated"][0] == "too_few"


def test_figures_grouped_from_the_profiles_for_a_date_range_are_those_of_the_roll_ups(represented, hee_staff):
    everyone = PipelineFilters(joined_from=date(2000, 1, 1), joined_to=date(2026, 11, 30))

    assert (
        pipeline_summary(hee_staff, everyone)["representation"]
        == pipeline_summary(hee_staff, PipelineFilters())["representation"]
    )


def test_a_stored_summary_without_representation_is_computed_again(represented, hee_staff):
    stored = PipelineScopeSummary.objects.get(scope="national")
    stored.summary.pop("representation")
    stored.save()

    assert attribute(pipeline_summary(hee_staff, PipelineFilters()), "ethnic_group")["rows"]


def test_one_more_person_nominated_changes_no_figure_unless_the_rounding_turns(represented, hee_staff, training_body):
    """The figures are worked from counts rounded to the nearest 5, as the backgrounds show them: comparing two
    views a person apart (before and after one more Asian man is nominated) tells nothing about that person."""
    profile = ClinicianProfileFactory(training_body=training_body, current_interest_level=3)
    EqualityMonitoring.objects.create(profile=profile, ethnic_group="asian", sex="male")
    pipeline_rollups_refresh()  # 46 at Developing: still 45 once rounded
    before = cells(attribute(pipeline_summary(hee_staff, PipelineFilters()), "ethnic_group"), "asian")

    NominationFactory(
        profile=profile,
        opportunity=Opportunity.objects.get(slug="leadership-course"),
        state=NominationState.SUBMITTED,
        submitted_at=NOW,
    )
    pipeline_rollups_refresh()  # 11 nominated: still 10 once rounded

    after = cells(attribute(pipeline_summary(hee_staff, PipelineFilters()), "ethnic_group"), "asian")
    assert after["nominated"] == before["nominated"] == ("figure", 0.44, 0.22, 0.9)


def test_a_view_a_few_people_short_of_a_wider_one_shows_no_figure(represented, hee_staff, training_body):
    """Three clinicians of England are outside `training_body`: the body's view is England's less those three, so
    any figure of it, set against England's, would describe them. The body's figures are hidden; England's shown."""
    for _ in range(3):
        profile = ClinicianProfileFactory(training_body=None, current_interest_level=3)
        EqualityMonitoring.objects.create(profile=profile, ethnic_group="asian", sex="male")
    pipeline_rollups_refresh()

    body = attribute(pipeline_summary(hee_staff, PipelineFilters(training_body_id=training_body.pk)), "ethnic_group")
    england = attribute(pipeline_summary(hee_staff, PipelineFilters()), "ethnic_group")

    assert {cell[0] for cell in cells(body, "asian").values()} == {"withheld"}
    assert body["reference"]["value"] == "white"  # still named, so the reader knows what would be compared
    assert cells(england, "asian")["nominated"][0] == "figure"


# --- Page, API and CSV, for every role -------------------------------------------------------------------------------

ASIAN_NOMINATED = "0.44 (0.22 to 0.90)"
ALLOWED = {"tb_admin": True, "other_tb_admin": False, "hee_staff": True, "regional_hee_staff": False}


@pytest.mark.parametrize(
    "role",
    ["anonymous", "clinician", "other_clinician", "tb_admin", "other_tb_admin", "hee_staff", "regional_hee_staff",
     "editor"],
)  # fmt: skip
def test_each_role_sees_the_figures_of_its_own_scope_on_the_page_the_api_and_the_csv(
    represented, client, user_for_role, role
):
    """The population is all in `training_body` (North West): its admins and national staff see the figure; the
    other body's admins and London's staff see only "too few to show"; others get no figures at all."""
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    page = client.get(reverse("pipeline:show_dashboard"))
    api = client.get(reverse("pipeline_api:show_summary"))
    export = client.get(reverse("pipeline:export_dashboard"))

    if role not in ALLOWED:
        assert page.status_code in (302, 403) and api.status_code in (401, 403) and export.status_code in (302, 403)
        assert ASIAN_NOMINATED.encode() not in page.content + export.content
        return
    assert page.status_code == api.status_code == export.status_code == 200
    html = page.content.decode()
    assert '<h2 id="representation">Representation along the pipeline</h2>' in html
    assert "Reference group: White (as in the NHS Workforce Race Equality Standard)." in html
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    heading = next(row for row in rows if row and row[0].startswith("Representation: Ethnic group"))
    asian = next(
        row for row in rows[rows.index(heading) :] if row and row[0] == "Asian or Asian British"
    )  # the first Asian row after the heading
    nominated = next(one for one in api.json()["representation"]["transitions"] if one["key"] == "nominated")
    column = 1 + api.json()["representation"]["transitions"].index(nominated)
    api_asian = cells(attribute(api.json(), "ethnic_group"), "asian")["nominated"]
    if ALLOWED[role]:
        assert ASIAN_NOMINATED in html
        assert asian[column] == ASIAN_NOMINATED
        assert api_asian == ("figure", 0.44, 0.22, 0.9)
    else:
        assert ASIAN_NOMINATED not in html and "too few to show" in html
        assert asian[column] == "too few to show"
        assert api_asian == ("too_few", None, None, None)


def test_the_page_draws_an_accessible_dot_plot_beside_each_table(represented, client, hee_staff):
    client.force_login(hee_staff)
    html = client.get(reverse("pipeline:show_dashboard")).content.decode()

    section = html[html.index('<h2 id="representation">') :]
    assert section.count('<table class="nhsuk-table" data-representation=') == 6
    chart = section[
        section.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="representation-ethnic-group"') :
    ]
    chart = chart[: chart.index("</svg>")]
    assert (
        'role="img"' in chart
        and 'aria-labelledby="representation-ethnic-group-title representation-ethnic-group-desc"' in chart
    )
    assert "compared with White" in chart and 'class="chart-parity"' in chart
    # A dot per figure: the Asian group's to Interested, Developing and Nominated (none of it was approved, so no
    # one moved on from there); the White row is the reference, the other groups too few.
    assert chart.count('class="chart-dot"') == 3
    assert "too few to show" in chart
    assert (
        '0.44 (0.22 to 0.90)<span class="nhsuk-u-visually-hidden">: 0.44 times as likely as White to reach this stage, '
        "95% confidence interval 0.22 to 0.90</span>"
    ) in section
    assert 'data-group="white"' in section and ">reference<" in section
    assert "How to read these figures" in section


@pytest.mark.parametrize(
    ("query", "most"),
    # The profiles are grouped once per equality question (as for the backgrounds), never per group or stage; a
    # filtered view also counts the wider views once (`_columns_near_a_wider_view`), reads the time to appointment
    # and the register comparison (two).
    [("?profession=doctor", 20), ("?specialty=Emergency+medicine", 28)],
)
def test_the_representation_section_costs_no_query_per_group_or_stage(represented, client, hee_staff, query, most):
    """From the roll-ups (a profession filter) or the profiles (a specialty filter): the same number of queries
    however many groups and stages have people in them."""
    client.force_login(hee_staff)
    url = reverse("pipeline:show_dashboard") + query
    with CaptureQueriesContext(connection) as before:
        assert ASIAN_NOMINATED in client.get(url).content.decode()
    for ethnic_group in ("mixed", "other", "black"):
        for _ in range(8):
            profile = ClinicianProfileFactory(current_interest_level=4)
            EqualityMonitoring.objects.create(profile=profile, ethnic_group=ethnic_group, religion="hindu")
    pipeline_rollups_refresh()
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before) <= most


def test_the_api_schema_documents_the_representation(client, hee_staff):
    client.force_login(hee_staff)
    schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]

    assert "representation" in schema["PipelineSummary"]["properties"]
    assert set(schema["Likelihood"]["properties"]) == {"transition", "status", "ratio", "low", "high"}
