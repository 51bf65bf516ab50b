"""Early career (DESIGN.md section 4): a clinician in a training grade of their profession (a doctor in foundation,
core or specialty training, a dentist in dental foundation, core or specialty training, a foundation trainee
pharmacist), or anyone within
EARLY_CAREER_YEARS (5) of first registration. The rule is written once in Python (`is_early_career`, also behind the
CSV drill-down) and once as a query (`early_career_q`, behind `ClinicianProfile.objects.early_career()`, the
clinicians filter, the roll-ups and the drill-down); both must give the hand-written answer for clinicians who are
early career by one half of the rule only."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from pipeline.selectors import DRILLDOWN_EXPORT_HEADER, PipelineFilters, pipeline_summary
from regulators.models import Profession, Regulator
from talent.models import CareerStage, ClinicianProfile, InterestRecord, early_career_q
from tests.clock import runs_at
from tests.exports.files import export_file, listed
from tests.factories import ClinicianProfileFactory, InterestRecordFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/London"))
_at_now = runs_at(NOW)

DOCTOR, NURSE = Profession.DOCTOR, Profession.NURSE
DENTIST, PHARMACIST, NURSING_ASSOCIATE = Profession.DENTIST, Profession.PHARMACIST, Profession.NURSING_ASSOCIATE

# Who, profession, career stage, years since first registration (NOW.year - first_registration_year), early career?
GRID = [
    # Early by the years alone.
    ("Nurse registered this year", NURSE, CareerStage.BAND_5, 0, True),
    ("Nurse registered 2 years ago", NURSE, CareerStage.BAND_5, 2, True),
    ("Consultant registered 4 years ago", DOCTOR, CareerStage.CONSULTANT_GP, 4, True),
    ("Consultant registered 5 years ago", DOCTOR, CareerStage.CONSULTANT_GP, 5, True),  # the boundary counts
    # Early by the training stage alone.
    ("Foundation doctor registered 6 years ago", DOCTOR, CareerStage.FOUNDATION, 6, True),
    ("Core trainee registered 6 years ago", DOCTOR, CareerStage.CORE_TRAINING, 6, True),
    ("Specialty trainee registered 6 years ago", DOCTOR, CareerStage.SPECIALTY_TRAINING, 6, True),
    ("Specialty trainee registered 15 years ago", DOCTOR, CareerStage.SPECIALTY_TRAINING, 15, True),
    ("Dental foundation dentist registered 6 years ago", DENTIST, CareerStage.DENTAL_FOUNDATION, 6, True),
    ("Dental core trainee registered 6 years ago", DENTIST, CareerStage.DENTAL_CORE_TRAINING, 6, True),
    ("Dental specialty trainee registered 15 years ago", DENTIST, CareerStage.DENTAL_SPECIALTY_TRAINING, 15, True),
    ("Foundation trainee pharmacist registered 6 years ago", PHARMACIST, CareerStage.FOUNDATION_PHARMACIST, 6, True),
    # Neither.
    ("Consultant registered 6 years ago", DOCTOR, CareerStage.CONSULTANT_GP, 6, False),  # one past the boundary
    ("SAS doctor registered 6 years ago", DOCTOR, CareerStage.SAS, 6, False),
    ("Nurse band 7 registered 6 years ago", NURSE, CareerStage.BAND_7, 6, False),
    ("Nursing associate band 4 registered 6 years ago", NURSING_ASSOCIATE, CareerStage.BAND_4, 6, False),
    ("Dentist in general practice registered 6 years ago", DENTIST, CareerStage.NOT_AGENDA_FOR_CHANGE, 6, False),
    # A doctors' training stage does not make a nurse early career.
    ("Nurse in foundation stage registered 15 years ago", NURSE, CareerStage.FOUNDATION, 15, False),
    ("Nurse in core training registered 15 years ago", NURSE, CareerStage.CORE_TRAINING, 15, False),
    ("Nurse in specialty training registered 15 years ago", NURSE, CareerStage.SPECIALTY_TRAINING, 15, False),
    # Nor does one profession's training grade make another profession early career.
    ("Dentist in doctors' specialty training, 15 years", DENTIST, CareerStage.SPECIALTY_TRAINING, 15, False),
    ("Pharmacist in dental specialty training, 15 years", PHARMACIST, CareerStage.DENTAL_SPECIALTY_TRAINING, 15, False),
    ("Nurse as a foundation trainee pharmacist, 15 years", NURSE, CareerStage.FOUNDATION_PHARMACIST, 15, False),
]
EXPECTED = {who: early for who, *_, early in GRID}
EARLY = {who for who, early in EXPECTED.items() if early}


@pytest.fixture
def grid(settings) -> None:
    """One clinician per row of GRID, named after it, each sharing with HEE and with one interest record."""
    settings.EARLY_CAREER_YEARS = 5
    for who, profession, stage, years, _ in GRID:
        profile = ClinicianProfileFactory(
            user__full_name=who,
            profession=profession,
            regulator=next(r for r in Regulator.objects.all() if profession in r.professions),
            career_stage=stage,
            specialty_training_year=4 if stage == CareerStage.SPECIALTY_TRAINING else None,
            first_registration_year=NOW.year - years,
        )
        InterestRecordFactory(profile=profile)


def names_matching(condition) -> dict[str, bool]:
    matching = set(ClinicianProfile.objects.filter(condition).values_list("full_name", flat=True))
    return {who: who in matching for who in EXPECTED}


def test_every_form_of_the_early_career_rule_gives_the_hand_written_answer(grid, client, hee_staff):
    """Each clinician is called early career, or not, the same way on their record, in the clinicians list filter,
    the dashboard's filter and the drill-down export, including those early by only one half of the rule."""
    # Read back, as a record page does: the stored values, not what the factory was given.
    python = {profile.full_name: profile.is_early_career_on() for profile in ClinicianProfile.objects.all()}
    query = names_matching(early_career_q())
    early_clinicians = set(ClinicianProfile.objects.early_career().values_list("full_name", flat=True))
    queryset_method = {who: who in early_clinicians for who in EXPECTED}
    matching_records = InterestRecord.objects.filter(early_career_q("profile__"))
    through_a_relation = {who: matching_records.filter(profile__full_name=who).exists() for who in EXPECTED}
    client.force_login(hee_staff)
    rows = listed(export_file(client))  # the drill-down's export, made into a file by its task
    name, early = DRILLDOWN_EXPORT_HEADER.index("Name"), DRILLDOWN_EXPORT_HEADER.index("Early career")
    csv_column = {row[name]: row[early] == "Yes" for row in rows}

    assert python == EXPECTED
    assert query == EXPECTED
    assert queryset_method == EXPECTED
    assert through_a_relation == EXPECTED
    assert csv_column == EXPECTED


def test_the_early_career_filters_list_exactly_the_early_career_clinicians(grid, client, hee_staff):
    """ "Early career: yes" on the clinicians page, "Early-career clinicians only" on the dashboard's drill-down and
    its count list the same people, and "Early career: no" the rest."""
    client.force_login(hee_staff)

    def clinicians_page(value: str) -> set[str]:
        response = client.get(reverse("talent:list_clinicians"), {"early_career": value})
        assert response.status_code == 200
        return {row["profile"].full_name for row in response.context["rows"]}

    drilldown = client.get(reverse("pipeline:list_drilldown"), {"early_career": "on"})
    assert drilldown.status_code == 200
    # The page refreshed the roll-ups the dashboard counts from.
    registered = pipeline_summary(hee_staff, PipelineFilters(early_career=True))["funnel"][0]["count"]

    assert clinicians_page("true") == EARLY
    assert clinicians_page("false") == set(EXPECTED) - EARLY
    assert {row["full_name"] for row in drilldown.context["rows"]} == EARLY
    assert registered == len(EARLY)


def test_the_rule_on_another_day_counts_the_years_from_that_day(grid):
    """Asked about a day two years on, the consultant registered 4 years ago is past the boundary and the nurse
    registered 2 years ago is not: the day given is the day the years are counted to, not today."""
    later = NOW.date().replace(year=NOW.year + 2)
    early_then = set(ClinicianProfile.objects.early_career(today=later).values_list("full_name", flat=True))
    not_early_then = set(ClinicianProfile.objects.not_early_career(today=later).values_list("full_name", flat=True))

    assert "Consultant registered 4 years ago" in not_early_then - early_then
    assert "Nurse registered 2 years ago" in early_then - not_early_then
    assert "Consultant registered 5 years ago" in not_early_then
