"""The dashboard's career-stage breakdown and filter follow the career stages every profession can now give (bands
2 to 4, "Not on Agenda for Change", the dental and pharmacy training grades), and its trends count a corrected
interest entry once, as corrected."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from pipeline.selectors import PipelineFilters, pipeline_summary
from pipeline.services import pipeline_rollups_refresh
from regulators.models import Regulator
from talent import services
from talent.models import ClinicianProfile
from tests.factories import ClinicianProfileFactory
from tests.pipeline.pipeline_fixtures import FROZEN

pytestmark = pytest.mark.django_db


def regulator(code: str) -> Regulator:
    return Regulator.objects.get(code=code)


@pytest.fixture
def new_stages(pipeline_now):
    """A dentist in dental foundation training, a foundation trainee pharmacist, a nursing associate at band 4 and
    a dentist in general dental practice (not on Agenda for Change)."""
    return {
        "dentist": ClinicianProfileFactory(
            profession="dentist", regulator=regulator("GDC"), career_stage="dental_foundation", **NOT_ST
        ),
        "pharmacist": ClinicianProfileFactory(
            profession="pharmacist", regulator=regulator("GPhC"), career_stage="foundation_pharmacist", **NOT_ST
        ),
        "associate": ClinicianProfileFactory(
            profession="nursing_associate", regulator=regulator("NMC"), career_stage="band_4", **NOT_ST
        ),
        "practice": ClinicianProfileFactory(
            profession="dentist",
            regulator=regulator("GDC"),
            career_stage="not_agenda_for_change",
            first_registration_year=FROZEN.year - 20,
            **NOT_ST,
        ),
    }


NOT_ST = {"specialty_training_year": None}


def career_route(user) -> dict[str, str]:
    """The career-route table's rows: label → registered count as shown."""
    backgrounds = pipeline_summary(user, PipelineFilters())["backgrounds"]
    table = next(table for table in backgrounds if table["key"] == "career_stage")
    return {row["label"]: row["pipeline"] for row in table["rows"]}


def test_the_career_route_breakdown_names_the_new_stages(new_stages, hee_staff):
    pipeline_rollups_refresh()

    assert set(career_route(hee_staff)) == {
        "Dental foundation training",
        "Foundation trainee pharmacist",
        "Agenda for Change band 4",
        "Not on Agenda for Change",
    }


def test_the_breakdown_follows_a_changed_answer_at_the_next_refresh(new_stages, hee_staff):
    """A nurse who could only say band 5 before changes to band 4: the next refresh (incremental on PostgreSQL)
    moves them."""
    pipeline_rollups_refresh()
    nurse = ClinicianProfileFactory(profession="nurse", regulator=regulator("NMC"), career_stage="band_5", **NOT_ST)
    pipeline_rollups_refresh()
    assert "Agenda for Change band 5" in career_route(hee_staff)

    ClinicianProfile.objects.filter(pk=nurse.pk).update(career_stage="band_4")
    pipeline_rollups_refresh()

    assert "Agenda for Change band 5" not in career_route(hee_staff)
    summary = pipeline_summary(hee_staff, PipelineFilters(career_stage="band_4"))
    assert summary["funnel"][0]["count"] == 2  # the nursing associate and the nurse


def test_the_dashboard_filter_groups_the_stages(new_stages, client, hee_staff):
    pipeline_rollups_refresh()
    client.force_login(hee_staff)
    html = client.get(reverse("pipeline:show_dashboard")).content.decode()
    select = html[html.index('name="career_stage"') : html.index("</select>", html.index('name="career_stage"'))]
    for group in ("Doctors", "Dental and pharmacy training", "Agenda for Change", "Outside Agenda for Change"):
        assert f'<optgroup label="{group}">' in select
    assert select.index("Dental core training") < select.index("Agenda for Change band 2")
    assert '<option value="not_agenda_for_change">Not on Agenda for Change</option>' in select


def test_the_early_career_dentist_in_training_counts_as_early_career(new_stages, hee_staff):
    """A dentist in dental foundation training and a foundation trainee pharmacist are early career; the dentist
    twenty years in general practice is not."""
    pipeline_rollups_refresh()
    early = pipeline_summary(hee_staff, PipelineFilters(early_career=True))["funnel"][0]["count"]
    everyone = pipeline_summary(hee_staff, PipelineFilters())["funnel"][0]["count"]
    assert (early, everyone) == (3, 4)


def test_a_corrected_interest_entry_counts_once_in_the_trends(new_stages, hee_staff):
    """ "Ready for a role" by mistake, corrected to "Curious" the same hour: the trends show one Curious entry."""
    profile = new_stages["associate"]
    with time_machine.travel(FROZEN - timedelta(hours=1), tick=False):
        slip = services.interest_record(profile=profile, level=4, readiness_horizon="now")
    services.interest_correct(profile=profile, record=slip, level=1, readiness_horizon="4_plus_years")
    pipeline_rollups_refresh()

    trends = pipeline_summary(hee_staff, PipelineFilters())["trends"]
    last_month = {series["key"]: series["values"][-1] for series in trends["series"]}
    assert (last_month["interest_1"], last_month["interest_4"]) == (1, 0)
