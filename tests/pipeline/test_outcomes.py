"""Outcomes on the dashboard: the Appointed stage, appointments per month and the median time from first interest
to appointment by profession (hidden for fewer than 8 clinicians), on the page, in the API and in the CSV."""

import csv
import io
from datetime import date, timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from rest_framework.test import APIClient

from pipeline.models import PipelineCoarseRollup, PipelineRollup, PipelineRollupRun, PipelineScopeSummary
from pipeline.selectors import PipelineFilters, pipeline_summary
from pipeline.services import pipeline_rollups_refresh
from regulators.models import Regulator
from talent.models import ClinicianProfile, LeadershipExperience, PipelineStage
from tests.factories import ClinicianProfileFactory, InterestRecordFactory
from tests.pipeline.pipeline_fixtures import at

pytestmark = pytest.mark.django_db


def funnel(summary) -> dict[str, int]:
    return {stage["key"]: stage["count"] for stage in summary["funnel"]}


def role(profile, start: date, end: date | None = None, level: str = "service", organisation: str = "Example Trust"):
    return LeadershipExperience.objects.create(
        profile=profile, role="Clinical lead", organisation=organisation, level=level, start_date=start, end_date=end
    )


# --- The Appointed stage ---------------------------------------------------------------------------------------------


def test_a_past_appointment_counts_as_appointed_but_not_in_a_leadership_role(
    pipeline_population, training_body, client, hee_staff
):
    """Lou held a service-level role that ended: appointed, not in a role now. A role recorded ahead of its start
    (Max) and a team-level role (Jo James's, in the fixtures) are not appointments yet."""
    lou = ClinicianProfileFactory(user__full_name="Lou Lee", current_interest_level=2, training_body=training_body)
    role(lou, date(2022, 1, 1), date(2024, 12, 31))
    max_ = ClinicianProfileFactory(user__full_name="Max Moss", current_interest_level=2, training_body=training_body)
    role(max_, date(2027, 1, 4))
    pipeline_rollups_refresh()

    counts = funnel(pipeline_summary(hee_staff, PipelineFilters()))

    assert counts["appointed"] == 3 and counts["in_role"] == 2  # H and I are both; Lou only appointed
    assert [stage["key"] for stage in pipeline_summary(hee_staff, PipelineFilters())["funnel"]][5:] == [
        "appointed",
        "in_role",
    ]
    lou.refresh_from_db()
    max_.refresh_from_db()
    assert lou.pipeline_stage == PipelineStage.APPOINTED and max_.pipeline_stage == PipelineStage.INTERESTED
    client.force_login(hee_staff)
    drill = reverse("pipeline:list_drilldown")
    appointed = [row["full_name"] for row in client.get(f"{drill}?stage=appointed").context["rows"]]
    in_role = [row["full_name"] for row in client.get(f"{drill}?stage=in_role").context["rows"]]
    assert "Lou Lee" in appointed and "Lou Lee" not in in_role
    assert "Max Moss" not in appointed


def test_the_dashboard_explains_the_appointed_stage(pipeline_population, client, hee_staff):
    pipeline_rollups_refresh()
    client.force_login(hee_staff)
    html = client.get(reverse("pipeline:show_dashboard")).content.decode()
    assert "<li>Appointed: has a recorded appointment to a leadership role at service level or above" in html
    assert 'data-stage="appointed"' in html


def test_the_migration_moves_placements_in_a_role_up_a_stage(pipeline_population):
    """Before the next refresh, what was stage 5 (in a role) reads as stage 6 on profiles and in the roll-ups."""
    pipeline_rollups_refresh()
    in_role = set(ClinicianProfile.objects.filter(pipeline_stage=PipelineStage.IN_ROLE).values_list("pk", flat=True))
    in_role_clinicians = sum(
        PipelineRollup.objects.filter(stage=PipelineStage.IN_ROLE).values_list("clinicians", flat=True)
    )
    assert in_role and in_role_clinicians == 2
    # As the database was before: in a role was 5, and nobody was placed as appointed.
    ClinicianProfile.objects.filter(pipeline_stage=PipelineStage.APPOINTED).update(
        pipeline_stage=PipelineStage.APPROVED
    )
    ClinicianProfile.objects.filter(pk__in=in_role).update(pipeline_stage=5)
    for model in (PipelineRollup, PipelineCoarseRollup):
        model.objects.filter(stage=PipelineStage.APPOINTED).delete()
        model.objects.filter(stage=PipelineStage.IN_ROLE).update(stage=5)

    import_module("talent.migrations.0014_nomination_outcome_and_appointed_stage").in_role_moves_up(apps, None)
    import_module("pipeline.migrations.0003_appointed_stage_and_time_to_appointment").in_role_moves_up(apps, None)

    assert set(ClinicianProfile.objects.filter(pipeline_stage=6).values_list("pk", flat=True)) == in_role
    assert not ClinicianProfile.objects.filter(pipeline_stage=5).exists()
    for model in (PipelineRollup, PipelineCoarseRollup):
        assert sum(model.objects.filter(stage=6).values_list("clinicians", flat=True)) == 2
        assert not model.objects.filter(stage=5).exists()


# --- Appointments per month ------------------------------------------------------------------------------------------


def test_appointments_per_month_are_a_trend_with_its_drill_down(pipeline_population, training_body, client, hee_staff):
    """By the month the appointment starts: Ida's (April 2025, shares with nobody: counted, never listed) and Nia's
    (June 2026); Nia's team-level role in July is not an appointment that counts."""
    nia = ClinicianProfileFactory(user__full_name="Nia Nash", current_interest_level=3, training_body=training_body)
    role(nia, date(2026, 6, 15), organisation="Another Trust")
    role(nia, date(2026, 7, 1), level="team")
    pipeline_rollups_refresh()

    trends = pipeline_summary(hee_staff, PipelineFilters())["trends"]
    [series] = [one for one in trends["series"] if one["key"] == "appointments"]
    assert series["label"] == "Appointments to leadership roles"
    assert {m: v for m, v in zip(trends["months"], series["values"], strict=True) if v} == {
        "2025-04": 1,
        "2026-06": 1,
    }

    client.force_login(hee_staff)
    drill = reverse("pipeline:list_drilldown")
    assert [r["full_name"] for r in client.get(f"{drill}?event=appointments&month=2026-06").context["rows"]] == [
        "Nia Nash"
    ]
    assert client.get(f"{drill}?event=appointments&month=2025-04").context["rows"] == []  # Ida shares with nobody
    html = client.get(reverse("pipeline:show_dashboard")).content.decode()
    assert f'href="{drill}?event=appointments&amp;month=2026-06"' in html


# --- Time from first interest to appointment -------------------------------------------------------------------------

INTERESTED_ON = date(2024, 1, 10)


def appointed_after(months: int, *, profession: str = "doctor", training_body=None, **extra) -> ClinicianProfile:
    """A clinician first Curious on INTERESTED_ON and appointed `months` whole months later (31 days a month here
    is exactly that many in the dashboard's months of 30.4375 days, up to 54)."""
    if profession == "nurse":
        extra.update(
            regulator=Regulator.objects.get(code="NMC"),
            registration_number=f"{10 + months:02d}A{1000 + months:04d}B",
            career_stage="band_6",
            specialty_training_year=None,
        )
    profile = ClinicianProfileFactory(
        profession=profession, current_interest_level=2, training_body=training_body, **extra
    )
    InterestRecordFactory(profile=profile, level=1, recorded_at=at(2024, 1, 10))
    InterestRecordFactory(profile=profile, level=2, recorded_at=at(2024, 3, 1))  # a later interest changes nothing
    role(profile, INTERESTED_ON + timedelta(days=31 * months))
    return profile


@pytest.fixture
def appointed(pipeline_now, training_body):
    """Eight doctors appointed after 1, 2, 3, 4, 5, 6, 7 and 20 months (median 4.5); three nurses after 2, 3 and 10
    (too few to show); and three who do not count: a doctor appointed before their first interest, one whose only
    interest is Not now, and one whose appointment is at team level."""
    for months in (1, 2, 3, 4, 5, 6, 7, 20):
        appointed_after(months, training_body=training_body)
    for months in (2, 3, 10):
        appointed_after(months, profession="nurse", training_body=training_body)
    early = ClinicianProfileFactory(current_interest_level=2, training_body=training_body)
    InterestRecordFactory(profile=early, level=1, recorded_at=at(2024, 1, 10))
    role(early, date(2023, 6, 1))
    not_now = ClinicianProfileFactory(current_interest_level=0, training_body=training_body)
    InterestRecordFactory(profile=not_now, level=0, recorded_at=at(2024, 1, 10))
    role(not_now, date(2024, 6, 1))
    team = ClinicianProfileFactory(current_interest_level=2, training_body=training_body)
    InterestRecordFactory(profile=team, level=1, recorded_at=at(2024, 1, 10))
    role(team, date(2024, 6, 1), level="team")
    pipeline_rollups_refresh()


def test_the_median_time_to_appointment_by_profession_hides_small_numbers(appointed, hee_staff):
    time = pipeline_summary(hee_staff, PipelineFilters())["outcomes"]["time_to_appointment"]

    assert time["minimum"] == 8
    by_profession = {row["key"]: row for row in time["by_profession"]}
    assert by_profession["doctor"] == {
        "key": "doctor",
        "label": "Doctor",
        "shown": True,
        "clinicians": 8,
        "median_months": 4.5,
    }
    assert by_profession["nurse"] == {
        "key": "nurse",
        "label": "Nurse",
        "shown": False,
        "clinicians": None,
        "median_months": None,
    }
    # All eleven: 1, 2, 2, 3, 3, 4, 5, 6, 7, 10, 20.
    assert time["all"] == {"key": None, "label": "All professions", "shown": True, "clinicians": 11, "median_months": 4}


def test_filters_apply_to_the_time_to_appointment(appointed, hee_staff):
    time = pipeline_summary(hee_staff, PipelineFilters(profession="nurse"))["outcomes"]["time_to_appointment"]
    assert [row["key"] for row in time["by_profession"]] == ["nurse"]
    assert time["all"]["shown"] is False and time["all"]["median_months"] is None


def test_the_dashboard_api_and_csv_show_the_time_to_appointment(appointed, client, hee_staff):
    client.force_login(hee_staff)
    html = client.get(reverse("pipeline:show_dashboard")).content.decode()
    section = html[html.index('<h2 id="outcomes">') :]
    assert html.index('<h2 id="backgrounds">') < html.index('<h2 id="outcomes">')
    assert "A median is not shown where fewer than 8 clinicians are behind it" in section
    assert '<tr class="nhsuk-table__row" data-profession="doctor">' in section
    doctor = section[section.index('data-profession="doctor"') : section.index('data-profession="nurse"')]
    assert ">8</td>" in doctor and ">4.5</td>" in doctor
    nurse = section[section.index('data-profession="nurse"') : section.index('data-profession="all"')]
    assert "Fewer than 8" in nurse and "Not shown" in nurse

    api = APIClient()
    api.force_authenticate(hee_staff)
    body = api.get(reverse("pipeline_api:show_summary")).json()
    assert body["outcomes"]["time_to_appointment"]["all"]["median_months"] == 4
    assert set(body["breakdowns"]["profession"][0]["counts"]) >= {"approved", "appointed", "in_role"}

    response = client.get(reverse("pipeline:export_dashboard"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert ["Doctor", "8", "4.5"] in rows and ["Nurse", "fewer than 8", "not shown"] in rows
    assert ["All professions", "11", "4.0"] in rows
    assert any(row and row[0].startswith("Time from first interest to appointment") for row in rows)


def test_the_schema_documents_the_outcomes(client):
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "TimeToAppointment" in schema and "median_months" in schema and '"appointed"' in schema


def test_a_stored_summary_without_the_outcomes_is_not_served(appointed, hee_staff):
    """Figures stored before this section existed would show no outcomes and no Appointed stage."""
    run = PipelineRollupRun.objects.get()
    stored = PipelineScopeSummary.objects.get(run=run, scope="national")
    old = {key: value for key, value in stored.summary.items() if key != "outcomes"}
    old["funnel"] = [stage for stage in old["funnel"] if stage["key"] != "appointed"]
    stored.summary = old
    stored.save()

    summary = pipeline_summary(hee_staff, PipelineFilters(), run)

    assert summary["outcomes"]["time_to_appointment"]["all"]["clinicians"] == 11
    assert "appointed" in funnel(summary)
