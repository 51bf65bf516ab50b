"""The self-assessment pages: start, one page per dimension, check your answers, results with a chart and a table."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from talent.charts import Layout, Series, grouped_bar_chart
from talent.models import (
    AssessmentStatus,
    Dimension,
    EarlyInterestSignal,
    SelfAssessment,
    SelfAssessmentRating,
    SignalKind,
)
from tests.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

DIMENSIONS = list(Dimension.values)
START = reverse("talent:start_self_assessment")
CHECK = reverse("talent:check_self_assessment_answers")


def question_url(dimension: str) -> str:
    return reverse("talent:answer_self_assessment_question", kwargs={"dimension": dimension})


def results_url(assessment) -> str:
    return reverse("talent:show_self_assessment_results", kwargs={"assessment_id": assessment.pk})


def make_assessment(profile, ratings: dict[str, int], *, completed_at=None) -> SelfAssessment:
    """An assessment with these ratings: completed at `completed_at`, or a draft when it is None."""
    assessment = SelfAssessment.objects.create(
        profile=profile,
        status=AssessmentStatus.COMPLETED if completed_at else AssessmentStatus.DRAFT,
        completed_at=completed_at,
    )
    SelfAssessmentRating.objects.bulk_create(
        SelfAssessmentRating(assessment=assessment, dimension=dimension, rating=rating)
        for dimension, rating in ratings.items()
    )
    return assessment


def all_rated(rating: int) -> dict[str, int]:
    return dict.fromkeys(DIMENSIONS, rating)


def answer(client, dimension: str, rating: int | None, action: str = "continue", query: str = ""):
    data = {"action": action}
    if rating is not None:
        data["rating"] = str(rating)
    return client.post(question_url(dimension) + query, data)


@pytest.fixture
def signed_in(client, clinician):
    client.force_login(clinician)
    return client


@pytest.fixture
def profile(clinician):
    return clinician.clinician_profile


# --- the flow -------------------------------------------------------------------------------------------------------


def test_full_flow_save_a_draft_come_back_later_resume_and_complete(signed_in, profile):
    """A clinician starts, leaves after two answers, comes back to where they were, finishes and sees results."""
    page = signed_in.get(START)
    assert page.status_code == 200
    assert "Start a self-assessment" in page.content.decode()
    assert "You have not completed a self-assessment yet" in page.content.decode()

    response = answer(signed_in, DIMENSIONS[0], 2)
    assert response.status_code == 302
    assert response.url == question_url(DIMENSIONS[1])

    response = answer(signed_in, DIMENSIONS[1], 3, action="later")
    assert response.status_code == 302
    assert response.url == START

    page = signed_in.get(START).content.decode()
    assert "Continue your draft" in page
    assert "2 of 9 dimensions answered" in page
    assert f'href="{question_url(DIMENSIONS[2])}"' in page
    assert "Your answers have been saved" in page

    # Going back shows the saved answer already chosen.
    earlier = signed_in.get(question_url(DIMENSIONS[1])).content.decode()
    assert re.search(r'value="3"[^>]*checked', earlier)

    for dimension in DIMENSIONS[2:-1]:
        assert answer(signed_in, dimension, 3).url == question_url(DIMENSIONS[DIMENSIONS.index(dimension) + 1])
    assert answer(signed_in, DIMENSIONS[-1], 4).url == CHECK

    check = signed_in.get(CHECK)
    text = check.content.decode()
    assert text.count("nhsuk-summary-list__row") == 9
    assert "Not answered" not in text
    assert f'href="{question_url(DIMENSIONS[0])}?change=1"' in text

    draft = SelfAssessment.objects.get(profile=profile, status=AssessmentStatus.DRAFT)
    response = signed_in.post(CHECK, {"assessment_id": str(draft.pk)})
    assert response.status_code == 302
    assert response.url == results_url(draft)
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.COMPLETED
    assert dict(draft.ratings.values_list("dimension", "rating")) == {
        **all_rated(3),
        DIMENSIONS[0]: 2,
        DIMENSIONS[-1]: 4,
    }

    page = signed_in.get(START).content.decode()
    assert "Start a self-assessment" in page
    assert f'href="{results_url(draft)}"' in page


def test_change_link_returns_to_check_your_answers(signed_in, profile):
    """Changing one answer from the check page goes straight back there, not on to the next question."""
    make_assessment(profile, all_rated(2))
    page = signed_in.get(question_url(DIMENSIONS[3]) + "?change=1").content.decode()
    assert f'href="{CHECK}"' in page  # the back link
    response = answer(signed_in, DIMENSIONS[3], 4, query="?change=1")
    assert response.url == CHECK
    assert SelfAssessmentRating.objects.get(assessment__profile=profile, dimension=DIMENSIONS[3]).rating == 4


def test_indicator_questions_are_hints_on_the_radios(signed_in):
    """Each dimension's page asks one question with four levels and the reflection questions as its hint."""
    page = signed_in.get(question_url(Dimension.HOLDING_TO_ACCOUNT)).content.decode()
    assert "<legend" in page and "How do you rate yourself for Holding to account?" in page
    assert page.count('type="radio"') == 4
    for level in ("Essential", "Proficient", "Strong", "Exemplary"):
        assert f">{level}</label>" in page
    assert 'id="id_rating-hint"' in page and 'aria-describedby="id_rating-hint"' in page
    assert "How comfortable are you giving feedback" in page


def test_start_page_with_a_complete_draft_goes_to_check_your_answers(signed_in, profile):
    """A draft with every answer continues at the check page."""
    make_assessment(profile, all_rated(1))
    page = signed_in.get(START).content.decode()
    assert "9 of 9 dimensions answered" in page
    assert f'href="{CHECK}"' in page


# --- errors ---------------------------------------------------------------------------------------------------------


def test_no_answer_shows_a_field_error_and_saves_nothing(signed_in, profile):
    """Pressing "Save and continue" without choosing a level explains what to do."""
    response = answer(signed_in, Dimension.LEADING_WITH_CARE, None)
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Select how you rate yourself for Leading with care" in text
    assert 'class="nhsuk-error-message"' in text
    assert text.startswith("<!DOCTYPE html>") and "<title>Error:" in text
    assert not SelfAssessment.objects.filter(profile=profile).exists()


def test_a_level_that_is_not_on_the_scale_is_a_field_error(signed_in, profile):
    """A tampered value gets the same helpful error, never a 500."""
    response = answer(signed_in, Dimension.LEADING_WITH_CARE, 9)
    assert response.status_code == 200
    assert "Select how you rate yourself for Leading with care" in response.content.decode()
    assert not SelfAssessment.objects.filter(profile=profile).exists()


def test_come_back_later_without_an_answer_just_returns_to_the_start(signed_in, profile):
    """Leaving a page unanswered is allowed; nothing is saved."""
    response = answer(signed_in, Dimension.LEADING_WITH_CARE, None, action="later")
    assert response.status_code == 302
    assert response.url == START
    assert not SelfAssessment.objects.filter(profile=profile).exists()


def test_unknown_dimension_is_not_found(signed_in):
    """A made-up dimension in the address is a 404 page."""
    assert signed_in.get(question_url("not-a-dimension")).status_code == 404
    assert answer(signed_in, "not-a-dimension", 2).status_code == 404


def test_completing_with_missing_dimensions_lists_them(signed_in, profile):
    """Completing too early names the dimensions still to do and marks them on the page."""
    draft = make_assessment(profile, {d: 2 for d in DIMENSIONS if d not in ("leading_with_care", "holding_to_account")})
    response = signed_in.post(CHECK, {"assessment_id": str(draft.pk)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Still to do: Leading with care, Holding to account." in text
    assert text.count("Not answered") == 2
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT
    assert not EarlyInterestSignal.objects.filter(profile=profile).exists()


def test_completing_twice_goes_to_the_results_and_changes_nothing(signed_in, profile):
    """Pressing "Complete" again (a double click, or after going back) just shows the results once more."""
    draft = make_assessment(profile, all_rated(2))
    assert signed_in.post(CHECK, {"assessment_id": str(draft.pk)}).status_code == 302
    response = signed_in.post(CHECK, {"assessment_id": str(draft.pk)})
    assert response.status_code == 302
    assert response.url == results_url(draft)
    assert SelfAssessment.objects.filter(profile=profile, status=AssessmentStatus.COMPLETED).count() == 1
    assert EarlyInterestSignal.objects.filter(profile=profile).count() == 1


def test_check_page_without_a_draft_goes_to_the_start(signed_in):
    """There is nothing to check before anything is answered."""
    response = signed_in.get(CHECK)
    assert response.status_code == 302
    assert response.url == START


def test_tampered_completion_form_shows_the_check_page_again(signed_in, profile):
    """A broken hidden field does not complete anything and does not crash."""
    draft = make_assessment(profile, all_rated(2))
    response = signed_in.post(CHECK, {"assessment_id": "not-a-uuid"})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT


# --- who may see what -----------------------------------------------------------------------------------------------


def test_clinician_without_a_profile_is_sent_home_to_finish_onboarding(client, new_clinician):
    """Self-assessment needs a profile; a new clinician is sent to their home page first."""
    client.force_login(new_clinician)
    for url in (START, question_url(DIMENSIONS[0]), CHECK):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("talent:show_clinician_home")


def test_another_clinicians_assessment_is_not_found(signed_in, other_clinician):
    """Another clinician's results, or their draft, do not exist as far as this clinician can tell."""
    theirs = make_assessment(other_clinician.clinician_profile, all_rated(3), completed_at=timezone.now())
    assert signed_in.get(results_url(theirs)).status_code == 404
    their_draft = make_assessment(other_clinician.clinician_profile, all_rated(3))
    assert signed_in.post(CHECK, {"assessment_id": str(their_draft.pk)}).status_code == 404
    their_draft.refresh_from_db()
    assert their_draft.status == AssessmentStatus.DRAFT


def test_a_draft_has_no_results_page(signed_in, profile):
    """Results exist only once an assessment is complete."""
    draft = make_assessment(profile, all_rated(3))
    assert signed_in.get(results_url(draft)).status_code == 404


# --- results --------------------------------------------------------------------------------------------------------


def _cells(text: str, cell: str) -> list[str]:
    return re.findall(rf'data-cell="{cell}">([^<]*)<', text)


def test_results_compare_with_the_previous_completed_assessment(signed_in, profile):
    """The table shows each dimension's previous and new level and the change; the oldest one is ignored."""
    now = timezone.now()
    make_assessment(profile, all_rated(4), completed_at=now - timedelta(days=400))
    previous = make_assessment(profile, all_rated(2), completed_at=now - timedelta(days=200))
    this = make_assessment(
        profile,
        {
            **all_rated(2),
            Dimension.LEADING_WITH_CARE: 3,
            Dimension.HOLDING_TO_ACCOUNT: 1,
            Dimension.ENGAGING_THE_TEAM: 4,
        },
        completed_at=now,
    )
    response = signed_in.get(results_url(this))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"completed on {timezone.localtime(previous.completed_at):%-d %B %Y}" in text
    assert _cells(text, "previous") == ["Proficient (2)"] * 9
    this_cells = dict(zip([Dimension(d).label for d in DIMENSIONS], _cells(text, "this"), strict=True))
    assert this_cells["Leading with care"] == "Strong (3)"
    assert this_cells["Holding to account"] == "Essential (1)"
    assert this_cells["Engaging the team"] == "Exemplary (4)"
    assert this_cells["Evaluating information"] == "Proficient (2)"
    changes = dict(zip([Dimension(d).label for d in DIMENSIONS], _cells(text, "change"), strict=True))
    assert changes["Leading with care"] == "Up 1 level"
    assert changes["Holding to account"] == "Down 1 level"
    assert changes["Engaging the team"] == "Up 2 levels"
    assert changes["Evaluating information"] == "No change"
    assert "<caption" in text and 'scope="row"' in text

    # The older assessment compares with the oldest one.
    older = signed_in.get(results_url(previous)).content.decode()
    assert _cells(older, "previous") == ["Exemplary (4)"] * 9
    assert _cells(older, "change") == ["Down 2 levels"] * 9


def test_results_chart_has_a_text_alternative_and_a_bar_per_dimension_and_assessment(signed_in, profile):
    """The chart is an image with a title and description; two bars for each of the nine dimensions."""
    now = timezone.now()
    make_assessment(profile, all_rated(2), completed_at=now - timedelta(days=30))
    this = make_assessment(profile, all_rated(3), completed_at=now)
    text = signed_in.get(results_url(this)).content.decode()
    svg = re.search(r"<svg [^>]*id=\"self-assessment-chart\".*?</svg>", text, re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="self-assessment-chart-title self-assessment-chart-desc"' in svg
    assert '<title id="self-assessment-chart-title">Your self-assessment ratings compared' in svg
    assert '<desc id="self-assessment-chart-desc">' in svg and "grey striped bar" in svg
    assert svg.count('class="chart-bar"') == 18
    assert svg.count('data-series="0"') == 9 and svg.count('data-series="1"') == 9
    assert "<pattern" in svg


def test_first_results_have_one_bar_per_dimension_and_no_change_column(signed_in, profile):
    """With nothing to compare against, the page says so and shows this assessment alone."""
    this = make_assessment(profile, all_rated(3), completed_at=timezone.now())
    text = signed_in.get(results_url(this)).content.decode()
    assert "This is your first completed self-assessment" in text
    assert text.count('class="chart-bar"') == 9
    assert _cells(text, "this") == ["Strong (3)"] * 9
    assert _cells(text, "change") == []


# --- early-interest signal ------------------------------------------------------------------------------------------


def test_completing_creates_an_early_interest_signal_for_an_early_career_clinician(signed_in, profile):
    """A trainee completing a self-assessment shows up in their training body's next nudge."""
    assert profile.is_early_career
    for dimension in DIMENSIONS:
        answer(signed_in, dimension, 2)
    draft = SelfAssessment.objects.get(profile=profile)
    signed_in.post(CHECK, {"assessment_id": str(draft.pk)})
    signal = EarlyInterestSignal.objects.get(profile=profile)
    assert signal.kind == SignalKind.SELF_ASSESSMENT_COMPLETED
    assert signal.detail == {"assessment": str(draft.pk)}


def test_completing_creates_no_signal_for_an_established_clinician(client):
    """Signals are only about early-career clinicians."""
    profile = ClinicianProfileFactory(
        career_stage="consultant_gp", specialty_training_year=None, first_registration_year=timezone.now().year - 20
    )
    client.force_login(profile.user)
    draft = make_assessment(profile, all_rated(3))
    assert client.post(CHECK, {"assessment_id": str(draft.pk)}).status_code == 302
    assert not EarlyInterestSignal.objects.filter(profile=profile).exists()


# --- query counts ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 100])
def test_start_page_queries_do_not_grow_with_completed_assessments(
    signed_in, profile, count, django_assert_max_num_queries
):
    """The list of past assessments stays fast however many there are."""
    now = timezone.now()
    for index in range(count):
        make_assessment(profile, all_rated(2), completed_at=now - timedelta(days=index + 1))
    make_assessment(profile, {DIMENSIONS[0]: 3})
    with django_assert_max_num_queries(8):
        response = signed_in.get(START)
    assert response.content.decode().count("View results") == count


# --- the chart, as drawn ---------------------------------------------------------------------------------------------


def _chart(**overrides):
    arguments = {
        "chart_id": "test-chart",
        "title": "Ratings",
        "description": "Two series of three values.",
        "categories": ["A", "B", "C"],
        "series": [Series("Now", [1, 2, 4]), Series("Before", [2, None, 4], style="hatched")],
        "max_value": 4,
    }
    chart = grouped_bar_chart(**{**arguments, **overrides})
    return render_to_string("includes/charts/bar_chart.svg.html", {"chart": chart}).strip()


def test_chart_draws_a_bar_per_present_value_with_a_label():
    """Missing values draw no bar but say so in text."""
    svg = _chart()
    assert svg.count('class="chart-bar"') == 5
    assert "Before: no value" in svg
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert '<title id="test-chart-title">Ratings</title>' in svg
    assert '<desc id="test-chart-desc">Two series of three values.</desc>' in svg


def test_chart_bar_widths_are_proportional_to_values():
    """A value of 4 on a scale of 4 is twice as long as a value of 2."""
    svg = _chart()
    widths = [float(width) for width in re.findall(r'class="chart-bar" data-series="0" [^>]* width="([\d.]+)"', svg)]
    assert widths[1] == pytest.approx(widths[0] * 2)
    assert widths[2] == pytest.approx(widths[0] * 4)


def test_chart_series_have_distinct_patterns_and_a_legend():
    """Colour is not the only cue: each series has its own fill pattern, shown in the legend."""
    svg = _chart()
    assert 'id="test-chart-pattern-solid"' in svg and 'id="test-chart-pattern-hatched"' in svg
    assert svg.count('fill="url(#test-chart-pattern-hatched)"') == 1 + 2  # legend swatch + two bars
    assert ">Now</text>" in svg and ">Before</text>" in svg


def test_chart_escapes_text_and_uses_value_labels_and_ticks():
    """Labels from data cannot inject markup."""
    svg = _chart(
        title="<script>",
        categories=["<b>", "B", "C"],
        value_label=lambda value: f"level {value:g}",
        ticks=[(2, "Two")],
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;b&gt;" in svg
    assert ">level 4</text>" in svg
    assert ">Two</text>" in svg


def test_chart_scales_to_the_largest_value_when_no_maximum_is_given():
    """Without max_value the longest bar fills the plot area."""
    svg = _chart(max_value=None, series=[Series("Counts", [5, 10, 20])])
    widths = [float(width) for width in re.findall(r'class="chart-bar"[^>]* width="([\d.]+)"', svg)]
    assert widths == pytest.approx([widths[2] / 4, widths[2] / 2, widths[2]])


@pytest.mark.parametrize(
    "overrides",
    [
        {"series": []},
        {"series": [Series("Short", [1, 2])]},
        {"series": [Series("Odd", [1, 2, 3], style="neon")]},
        {"series": [Series("Negative", [1, -2, 3])]},
    ],
)
def test_chart_rejects_inconsistent_input(overrides):
    """Programming mistakes fail loudly rather than drawing a misleading chart."""
    with pytest.raises(ValueError):
        _chart(**overrides)


def test_chart_can_put_category_names_above_their_bars():
    """For narrow columns, long category names get their own line instead of squeezing the bars."""

    svg = _chart(layout=Layout(width=400, labels_above=True))
    assert 'viewBox="0 0 400 ' in svg
    assert 'font-weight="bold">A</text>' in svg
    assert 'x="1" ' in svg  # bars start at the left edge


def test_chart_legend_wraps_when_it_does_not_fit():
    """Long series names go on a second legend row rather than off the edge of the chart."""
    svg = _chart(
        layout=Layout(width=300),
        series=[Series("A long name for the first series", [1, 2, 3]), Series("Another long name", [1, 2, 3])],
    )
    legend = re.search(r'<g class="chart-legend">(.*?)</g>', svg, re.S).group(1)
    assert re.findall(r'<text x="([\d.]+)" y="([\d.]+)"', legend) == [("24", "20"), ("24", "46")]


def test_results_cost_the_same_queries_however_many_assessments_came_before(
    signed_in, profile, django_assert_max_num_queries
):
    """The results page does not slow down as a clinician's history of assessments grows."""
    start = timezone.now() - timedelta(days=1000)
    for total in (10, 100):
        while profile.self_assessments.count() < total:
            count = profile.self_assessments.count()
            latest = make_assessment(profile, all_rated(1 + count % 4), completed_at=start + timedelta(days=count))
        with django_assert_max_num_queries(10):
            response = signed_in.get(results_url(latest))
        assert response.status_code == 200
