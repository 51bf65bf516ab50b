"""Self-assessment results in words: the table's columns are named "This assessment" and "Previous", and "What
next" links each of the three dimensions rated lowest to the pathway steps and opportunities that build it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.models import PathwayStep
from tests.pathways.test_services import make_opportunity, make_pathway
from tests.talent.test_assessment import all_rated, make_assessment, results_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, clinician):
    client.force_login(clinician)
    return client


def column_headers(page: str) -> list[str]:
    return re.findall(r'<th class="nhsuk-table__header" scope="col">([^<]+)</th>', page)


def test_the_results_table_names_its_columns_in_words(signed_in, clinician):
    profile = clinician.clinician_profile
    now = timezone.now()
    make_assessment(profile, all_rated(2), completed_at=now - timedelta(days=200))
    latest = make_assessment(profile, all_rated(3), completed_at=now)

    page = signed_in.get(results_url(latest)).content.decode()

    assert column_headers(page) == ["Dimension", "Previous", "This assessment", "Change"]


def test_the_first_results_have_a_this_assessment_column(signed_in, clinician):
    first = make_assessment(clinician.clinician_profile, all_rated(3), completed_at=timezone.now())
    assert column_headers(signed_in.get(results_url(first)).content.decode()) == ["Dimension", "This assessment"]


def test_what_next_links_the_three_lowest_dimensions_to_steps_and_opportunities_that_build_them(signed_in, clinician):
    """Rated lowest: holding to account (1), then engaging the team and developing capability (2, tied, in the
    model's order); each is linked to a step that builds it and the open opportunities that step suggests."""
    course = make_opportunity("accountability-course", title="Accountability course")
    closed = make_opportunity("old-course", title="Closed course", opens_in=-60, closes_in=-1)
    pathway = make_pathway("for-doctors", title="Doctors pathway", professions=["doctor"])
    step = PathwayStep.objects.create(
        pathway=pathway,
        order=2,
        title="Chair a governance group",
        description="Chair it.",
        dimensions=["holding_to_account"],
    )
    step.suggested_opportunities.set([course, closed])
    PathwayStep.objects.create(
        pathway=pathway, order=3, title="Lead a team", description="Lead it.", dimensions=["engaging_the_team"]
    )
    ratings = {**all_rated(3), "holding_to_account": 1, "engaging_the_team": 2, "developing_capability": 2}
    assessment = make_assessment(clinician.clinician_profile, ratings, completed_at=timezone.now())

    page = signed_in.get(results_url(assessment)).content.decode()
    what_next = page[page.index("<h2>What next</h2>") :]

    headings = re.findall(r"<h3>([^<]+)</h3>", what_next)
    assert headings == ["Holding to account", "Engaging the team", "Developing capability"]
    step_link = reverse("pathways:show_pathway", kwargs={"slug": pathway.slug}) + "#step-2"
    holding = what_next[: what_next.index("<h3>Engaging the team</h3>")]
    assert f'href="{step_link}">Chair a governance group</a>' in holding
    assert "You rated yourself Essential." in holding
    assert (
        f'href="{reverse("pathways:show_opportunity", kwargs={"slug": course.slug})}">Accountability course' in holding
    )
    assert "Closed course" not in what_next
    assert "#step-3" in what_next[what_next.index("<h3>Engaging the team</h3>") :]
    capability = what_next[what_next.index("<h3>Developing capability</h3>") :]
    assert "No pathway steps or opportunities name this dimension yet." in capability


def test_what_next_shows_the_clinicians_own_professions_steps_first(signed_in, clinician):
    nurses = make_pathway("for-nurses", title="A nurses pathway", professions=["nurse"])
    doctors = make_pathway("for-doctors", title="Z doctors pathway", professions=["doctor"])
    for pathway, title in ((nurses, "Nurses step"), (doctors, "Doctors step")):
        PathwayStep.objects.create(
            pathway=pathway, order=1, title=title, description="-", dimensions=["leading_with_care"]
        )
    ratings = {**all_rated(3), "leading_with_care": 1}
    assessment = make_assessment(clinician.clinician_profile, ratings, completed_at=timezone.now())

    page = signed_in.get(results_url(assessment)).content.decode()

    assert page.index("Doctors step") < page.index("Nurses step")


def test_what_next_takes_the_same_queries_however_much_content(signed_in, clinician, django_assert_max_num_queries):
    ratings = {**all_rated(3), "leading_with_care": 1}
    assessment = make_assessment(clinician.clinician_profile, ratings, completed_at=timezone.now())
    pathway = make_pathway("first", title="First")
    PathwayStep.objects.create(pathway=pathway, order=1, title="S", description="-", dimensions=["leading_with_care"])
    with django_assert_max_num_queries(60) as few:
        signed_in.get(results_url(assessment))
    for index in range(10):
        more = make_pathway(f"more-{index}", title=f"More {index}")
        step = PathwayStep.objects.create(
            pathway=more, order=1, title="S", description="-", dimensions=["leading_with_care"]
        )
        step.suggested_opportunities.add(make_opportunity(f"opportunity-{index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get(results_url(assessment))
