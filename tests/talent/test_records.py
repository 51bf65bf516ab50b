"""The clinician's own records: leadership interest and its timeline, experience, qualifications and equality
monitoring."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.models import LeadershipRole
from talent.models import (
    EarlyInterestSignal,
    EqualityMonitoring,
    InterestRecord,
    LeadershipExperience,
    Qualification,
)
from tests.factories import ClinicianProfileFactory, InterestRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(clinician):
    return clinician.clinician_profile


@pytest.fixture
def signed_in(client, clinician):
    client.force_login(clinician)
    return client


def make_experience(profile, **overrides) -> LeadershipExperience:
    values = {
        "role": "Clinical lead for acute medicine",
        "organisation": "Example Teaching Hospitals",
        "level": "team",
        "start_date": date(2021, 9, 1),
        "end_date": None,
        **overrides,
    }
    return LeadershipExperience.objects.create(profile=profile, **values)


def make_qualification(profile, **overrides) -> Qualification:
    values = {
        "kind": "leadership_management",
        "title": "PG Cert in Healthcare Leadership",
        "awarding_body": "University of Example",
        "year_awarded": 2022,
        **overrides,
    }
    return Qualification.objects.create(profile=profile, **values)


def date_parts(name: str, value: date | None) -> dict[str, str]:
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


def experience_data(**overrides) -> dict[str, str]:
    data = {
        "role": "Chief registrar",
        "organisation": "Northern Care Alliance",
        "level": "organisation",
        **date_parts("start_date", date(2022, 8, 3)),
        **date_parts("end_date", date(2023, 8, 2)),
    }
    data.update(overrides)
    return data


QUALIFICATION_DATA = {
    "kind": "fmlm_associate_fellow",
    "title": "Associate Fellow",
    "awarding_body": "Faculty of Medical Leadership and Management",
    "year_awarded": "2023",
}


def row_names(response) -> list[str]:
    """The first cell of each row of the page's table, top to bottom, as the clinician reads them."""
    return re.findall(r'<th class="nhsuk-table__header" scope="row">([^<]*)</th>', response.content.decode())


def errors_of(response) -> dict:
    return response.context["form"].errors


# Who may use the pages


URL_NAMES_WITHOUT_IDS = [
    "talent:show_interest_history",
    "talent:record_interest",
    "talent:list_experience",
    "talent:add_experience",
    "talent:list_qualifications",
    "talent:add_qualification",
    "talent:edit_equality_monitoring",
]


@pytest.mark.parametrize("url_name", URL_NAMES_WITHOUT_IDS)
def test_a_clinician_without_a_profile_is_sent_home_first(client, new_clinician, url_name):
    """Before onboarding, these pages send you to your home page, which says what to do first."""
    client.force_login(new_clinician)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"] == reverse("talent:show_clinician_home")


@pytest.mark.parametrize("url_name", URL_NAMES_WITHOUT_IDS)
def test_anonymous_people_are_asked_to_sign_in(client, url_name):
    """Signed-out visitors go to the sign-in page."""
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


# Leadership interest


def test_recording_interest_adds_a_dated_record_and_shows_it_on_the_timeline(signed_in, profile):
    """After saving, you land on your timeline with a success message and see what you recorded."""
    roles = list(LeadershipRole.objects.filter(slug__in=["clinical-director", "medical-director"]))
    response = signed_in.post(
        reverse("talent:record_interest"),
        {
            "level": "3",
            "readiness_horizon": "1_3_years",
            "target_roles": [role.pk for role in roles],
            "note": "Starting the Chief Registrar scheme.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("talent:show_interest_history")
    record = InterestRecord.objects.get(profile=profile)
    assert record.level == 3
    assert record.readiness_horizon == "1_3_years"
    assert set(record.target_roles.all()) == set(roles)
    assert record.note == "Starting the Chief Registrar scheme."
    profile.refresh_from_db()
    assert profile.current_interest_level == 3
    assert profile.current_readiness_horizon == "1_3_years"

    page = signed_in.get(response["Location"]).content.decode()
    assert "Your leadership interest has been recorded." in page
    assert "Actively developing" in page
    assert "Clinical director" in page
    assert "Medical director" in page
    assert "Starting the Chief Registrar scheme." in page


def test_the_interest_form_shows_every_level_with_a_hint_and_roles_from_team_to_national(signed_in):
    """You choose from the five levels, each explained in a line, and roles listed from team level upwards."""
    page = signed_in.get(reverse("talent:record_interest")).content.decode()
    for label in ("Not now", "Curious", "Exploring", "Actively developing", "Ready for a role"):
        assert label in page
    assert page.count("nhsuk-radios__hint") == 5
    assert "<legend" in page
    assert page.index("Clinical lead (team level)") < page.index("Clinical director (service level)")
    assert page.index("Clinical director (service level)") < page.index("Medical director (organisation")


def test_recording_a_change_starts_empty_not_from_your_latest_answers(signed_in, profile):
    """A change of interest is a fresh answer: nothing is chosen for you, so you cannot save the old one unread."""
    latest = InterestRecordFactory(profile=profile, level=1, readiness_horizon="4_plus_years")
    latest.target_roles.set(LeadershipRole.objects.filter(slug="clinical-lead"))
    response = signed_in.get(reverse("talent:record_interest"))
    assert response.context["form"].initial == {}
    assert " checked" not in response.content.decode()


def test_not_now_with_a_near_horizon_and_roles_is_refused_with_both_problems_named(signed_in, profile):
    """ "Not now" and "ready in 1 to 3 years for clinical director" contradict each other: both questions say why
    at once, and nothing is recorded."""
    role = LeadershipRole.objects.get(slug="clinical-director")
    response = signed_in.post(
        reverse("talent:record_interest"),
        {"level": "0", "readiness_horizon": "1_3_years", "target_roles": [role.pk]},
    )
    assert response.status_code == 200
    errors = errors_of(response)
    assert "choose “In 4 years or more”" in errors["readiness_horizon"][0]
    assert "do not select any leadership roles" in errors["target_roles"][0]
    page = response.content.decode()
    assert page.count("You chose “Not now”") >= 4  # each in the summary and by its question
    assert not InterestRecord.objects.filter(profile=profile).exists()


def test_not_now_with_the_far_horizon_and_no_roles_is_recorded(signed_in, profile):
    """The one consistent "Not now": in 4 years or more, aiming for no role yet. The form says so beforehand."""
    assert (
        "If you chose “Not now”, choose “In 4 years or more”."
        in signed_in.get(reverse("talent:record_interest")).content.decode()
    )
    response = signed_in.post(reverse("talent:record_interest"), {"level": "0", "readiness_horizon": "4_plus_years"})
    assert response.status_code == 302
    assert InterestRecord.objects.get(profile=profile).level == 0


def test_the_timeline_shows_interest_levels_as_words(signed_in, profile):
    """ "Exploring", never "2: Exploring"."""
    InterestRecordFactory(profile=profile, level=2)
    page = signed_in.get(reverse("talent:show_interest_history")).content.decode()
    assert "Exploring" in page
    assert "2: Exploring" not in page


# Correcting the latest entry


def correct_url(record) -> str:
    return reverse("talent:correct_interest", kwargs={"record_id": record.pk})


def recorded(profile, *, ago: timedelta, level: int = 2, horizon: str = "1_3_years") -> InterestRecord:
    """An entry recorded `ago`, made the profile's current interest as the service would."""
    record = InterestRecordFactory(
        profile=profile, level=level, readiness_horizon=horizon, recorded_at=timezone.now() - ago
    )
    profile.current_interest_level, profile.current_readiness_horizon = level, horizon
    profile.save(update_fields=["current_interest_level", "current_readiness_horizon"])
    return record


def test_the_latest_entry_can_be_corrected_within_24_hours_and_the_history_keeps_both(signed_in, profile):
    """A slip (Exploring for Curious) is put right the same day: the timeline shows the correction as the latest
    entry and keeps the slip, marked as corrected; the profile's interest is the corrected one."""
    slip = recorded(profile, ago=timedelta(hours=23, minutes=59))
    timeline = signed_in.get(reverse("talent:show_interest_history")).content.decode()
    assert correct_url(slip) in timeline
    form = signed_in.get(correct_url(slip))
    assert form.context["form"].initial["level"] == 2  # putting right this entry starts from it
    response = signed_in.post(correct_url(slip), {"level": "1", "readiness_horizon": "4_plus_years"})
    assert response.status_code == 302
    assert response["Location"] == reverse("talent:show_interest_history")
    correction = InterestRecord.objects.get(profile=profile, corrects=slip)
    assert correction.level == 1
    profile.refresh_from_db()
    assert (profile.current_interest_level, profile.current_readiness_horizon) == (1, "4_plus_years")

    response = signed_in.get(reverse("talent:show_interest_history"))
    assert [(r.level, r.is_corrected) for r in response.context["records"]] == [(1, False), (2, True)]
    page = response.content.decode()
    assert "Your correction has been saved." in page
    assert page.index("Curious") < page.index("Corrected") < page.index("Exploring")


def test_a_correction_is_refused_after_24_hours_or_for_an_entry_that_is_not_the_latest(signed_in, profile):
    """Past the day, or once a newer entry exists, the page says why and offers to record a change; nothing is
    added."""
    first = recorded(profile, ago=timedelta(hours=24, minutes=1))
    assert correct_url(first) not in signed_in.get(reverse("talent:show_interest_history")).content.decode()
    late = signed_in.post(correct_url(first), {"level": "1", "readiness_horizon": "4_plus_years"})
    assert late.status_code == 409
    assert "in the 24 hours after you recorded it" in late.content.decode()
    signed_in.post(reverse("talent:record_interest"), {"level": "3", "readiness_horizon": "now"})
    older = signed_in.get(correct_url(first))
    assert older.status_code == 409
    assert "You can only correct your latest entry" in older.content.decode()
    assert not InterestRecord.objects.filter(corrects__isnull=False).exists()


def test_a_correction_cannot_contradict_itself_either(signed_in, profile):
    """The same rule as a new entry: "Not now" with roles is refused on the correction page too."""
    signed_in.post(reverse("talent:record_interest"), {"level": "2", "readiness_horizon": "1_3_years"})
    record = InterestRecord.objects.get(profile=profile)
    role = LeadershipRole.objects.get(slug="clinical-director")
    response = signed_in.post(
        correct_url(record), {"level": "0", "readiness_horizon": "4_plus_years", "target_roles": [role.pk]}
    )
    assert "do not select any leadership roles" in errors_of(response)["target_roles"][0]
    assert InterestRecord.objects.filter(profile=profile).count() == 1


def test_correcting_a_slip_up_to_exploring_signals_as_the_right_entry_would_have(signed_in, profile):
    """An early-career clinician who meant Exploring but chose Curious gets the early-interest signal when they
    correct it (measured against their entry before the slip)."""
    assert profile.is_early_career
    signed_in.post(reverse("talent:record_interest"), {"level": "1", "readiness_horizon": "4_plus_years"})
    slip = InterestRecord.objects.get(profile=profile)
    signed_in.post(correct_url(slip), {"level": "2", "readiness_horizon": "1_3_years"})
    assert EarlyInterestSignal.objects.filter(profile=profile).count() == 1


def test_correcting_an_entry_that_already_signalled_does_not_signal_again(signed_in, profile):
    """Exploring (a signal) corrected to Actively developing is still the one rise: one signal, not two."""
    signed_in.post(reverse("talent:record_interest"), {"level": "2", "readiness_horizon": "1_3_years"})
    assert EarlyInterestSignal.objects.filter(profile=profile).count() == 1
    slip = InterestRecord.objects.get(profile=profile)
    signed_in.post(correct_url(slip), {"level": "3", "readiness_horizon": "1_3_years"})
    assert InterestRecord.objects.filter(profile=profile).count() == 2
    assert EarlyInterestSignal.objects.filter(profile=profile).count() == 1


def test_another_clinicians_entry_cannot_be_corrected(signed_in, other_clinician):
    """Someone else's entry does not exist for you (404), whatever you post."""
    theirs = InterestRecordFactory(profile=other_clinician.clinician_profile)
    assert signed_in.get(correct_url(theirs)).status_code == 404
    assert signed_in.post(correct_url(theirs), {"level": "1", "readiness_horizon": "now"}).status_code == 404
    assert not InterestRecord.objects.filter(corrects=theirs).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"readiness_horizon": "now"}, "level"),
        ({"level": "7", "readiness_horizon": "now"}, "level"),
        ({"level": "two", "readiness_horizon": "now"}, "level"),
        ({"level": "2"}, "readiness_horizon"),
        ({"level": "2", "readiness_horizon": "someday"}, "readiness_horizon"),
        ({"level": "2", "readiness_horizon": "now", "target_roles": ["999999"]}, "target_roles"),
        ({"level": "2", "readiness_horizon": "now", "target_roles": ["not-a-role"]}, "target_roles"),
        ({"level": "2", "readiness_horizon": "now", "target_roles": ["9" * 20]}, "target_roles"),
        ({"level": "2", "readiness_horizon": "now", "note": "x" * 2001}, "note"),
    ],
)
def test_bad_interest_input_gives_a_field_error_and_records_nothing(signed_in, profile, data, field):
    """A missing or unknown answer, an unknown role or an over-long note is named next to the question."""
    response = signed_in.post(reverse("talent:record_interest"), data)
    assert response.status_code == 200
    assert field in errors_of(response)
    assert "There is a problem" in response.content.decode()
    assert not InterestRecord.objects.filter(profile=profile).exists()
    assert not EarlyInterestSignal.objects.filter(profile=profile).exists()


def test_an_early_career_clinician_rising_to_exploring_creates_one_early_interest_signal(signed_in, profile):
    """Your training body hears (through its nudge) that an early-career clinician is becoming interested."""
    assert profile.is_early_career
    signed_in.post(reverse("talent:record_interest"), {"level": "1", "readiness_horizon": "4_plus_years"})
    assert EarlyInterestSignal.objects.filter(profile=profile).count() == 0
    signed_in.post(reverse("talent:record_interest"), {"level": "2", "readiness_horizon": "1_3_years"})
    assert EarlyInterestSignal.objects.filter(profile=profile).count() == 1
    # Staying at the same level is not a rise.
    signed_in.post(reverse("talent:record_interest"), {"level": "2", "readiness_horizon": "1_3_years"})
    assert EarlyInterestSignal.objects.filter(profile=profile).count() == 1


def test_a_clinician_who_is_not_early_career_creates_no_signal(client):
    """Signals are only about early-career clinicians; a consultant raising their interest creates none."""
    senior = ClinicianProfileFactory(
        career_stage="consultant_gp",
        specialty_training_year=None,
        first_registration_year=timezone.localdate().year - 20,
    )
    assert not senior.is_early_career
    client.force_login(senior.user)
    response = client.post(reverse("talent:record_interest"), {"level": "4", "readiness_horizon": "now"})
    assert response.status_code == 302
    assert InterestRecord.objects.filter(profile=senior).count() == 1
    assert not EarlyInterestSignal.objects.filter(profile=senior).exists()


def test_the_timeline_lists_every_record_newest_first(signed_in, profile):
    """Your history reads from the most recent change back to the first."""
    now = timezone.now()
    InterestRecordFactory(profile=profile, level=1, note="First", recorded_at=now - timedelta(days=60))
    InterestRecordFactory(profile=profile, level=3, note="Third", recorded_at=now)
    InterestRecordFactory(profile=profile, level=2, note="Second", recorded_at=now - timedelta(days=30))
    response = signed_in.get(reverse("talent:show_interest_history"))
    assert [record.note for record in response.context["records"]] == ["Third", "Second", "First"]
    page = response.content.decode()
    assert page.index("Third") < page.index("Second") < page.index("First")


def test_the_timeline_never_shows_another_clinicians_records(signed_in, other_clinician):
    """You see only your own history."""
    InterestRecordFactory(profile=other_clinician.clinician_profile, note="Someone else's plans")
    page = signed_in.get(reverse("talent:show_interest_history")).content.decode()
    assert "Someone else&#x27;s plans" not in page
    assert "not recorded your leadership interest yet" in page


@pytest.mark.parametrize("rows", [10, 100])
def test_the_timeline_costs_the_same_queries_at_10_and_100_records(
    signed_in, profile, rows, django_assert_max_num_queries
):
    """A long history loads as fast as a short one."""
    roles = list(LeadershipRole.objects.all()[:3])
    for record in InterestRecordFactory.create_batch(rows, profile=profile):
        record.target_roles.set(roles)
    with django_assert_max_num_queries(5):
        response = signed_in.get(reverse("talent:show_interest_history"))
    assert len(response.context["records"]) == rows


# Leadership experience


def test_adding_a_leadership_role_lists_it(signed_in, profile):
    """A role you add appears in your list, with its level and dates."""
    response = signed_in.post(reverse("talent:add_experience"), experience_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("talent:list_experience")
    experience = LeadershipExperience.objects.get(profile=profile)
    assert (experience.role, experience.level) == ("Chief registrar", "organisation")
    assert (experience.start_date, experience.end_date) == (date(2022, 8, 3), date(2023, 8, 2))
    page = signed_in.get(response["Location"]).content.decode()
    assert "Leadership role added." in page
    assert "Chief registrar" in page
    assert "August 2022 to August 2023" in page


def test_a_current_role_needs_no_end_date(signed_in, profile):
    """Leave the end date empty for a role you still hold."""
    response = signed_in.post(reverse("talent:add_experience"), experience_data(**date_parts("end_date", None)))
    assert response.status_code == 302
    assert LeadershipExperience.objects.get(profile=profile).end_date is None
    assert "to now" in signed_in.get(reverse("talent:list_experience")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({**date_parts("start_date", date(2023, 5, 1)), **date_parts("end_date", date(2023, 4, 30))}, "end_date"),
        (date_parts("start_date", timezone.localdate() + timedelta(days=367)), "start_date"),
        ({"start_date_day": "31", "start_date_month": "2", "start_date_year": "2022"}, "start_date"),
        ({"start_date_day": "", "start_date_month": "", "start_date_year": ""}, "start_date"),
        ({"end_date_day": "1", "end_date_month": "", "end_date_year": "2023"}, "end_date"),
        ({"level": "galactic"}, "level"),
        ({"role": ""}, "role"),
        ({"organisation": "x" * 201}, "organisation"),
    ],
)
def test_bad_experience_input_gives_a_field_error_and_saves_nothing(signed_in, profile, overrides, field):
    """An end before the start, a start more than a year ahead, an impossible date or a missing answer is named."""
    response = signed_in.post(reverse("talent:add_experience"), experience_data(**overrides))
    assert response.status_code == 200
    assert field in errors_of(response)
    assert not LeadershipExperience.objects.filter(profile=profile).exists()


def test_an_end_date_before_the_start_is_an_error_on_the_end_date(signed_in):
    """The message sits beside the end date, where the fix is."""
    response = signed_in.post(
        reverse("talent:add_experience"),
        experience_data(**date_parts("start_date", date(2023, 5, 1)), **date_parts("end_date", date(2022, 1, 1))),
    )
    assert errors_of(response)["end_date"] == ["End date must be the same as or after the start date"]
    assert "start_date" not in errors_of(response)


def test_changing_a_leadership_role_updates_it(signed_in, profile):
    """The change page starts from the saved answers and saves your changes."""
    experience = make_experience(profile)
    url = reverse("talent:edit_experience", kwargs={"experience_id": experience.pk})
    form = signed_in.get(url).context["form"]
    assert form.initial["role"] == "Clinical lead for acute medicine"
    response = signed_in.post(url, experience_data(role="Clinical director"))
    assert response.status_code == 302
    experience.refresh_from_db()
    assert experience.role == "Clinical director"
    assert LeadershipExperience.objects.filter(profile=profile).count() == 1


def test_deleting_a_leadership_role_asks_first_then_removes_it(signed_in, profile):
    """You confirm before a role is removed."""
    experience = make_experience(profile)
    url = reverse("talent:delete_experience", kwargs={"experience_id": experience.pk})
    page = signed_in.get(url).content.decode()
    assert "Are you sure you want to delete this leadership role?" in page
    assert LeadershipExperience.objects.filter(pk=experience.pk).exists()
    response = signed_in.post(url)
    assert response["Location"] == reverse("talent:list_experience")
    assert not LeadershipExperience.objects.filter(pk=experience.pk).exists()


@pytest.mark.parametrize("url_name", ["talent:edit_experience", "talent:delete_experience"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_clinicians_role_does_not_exist_for_you(signed_in, other_clinician, url_name, method):
    """Opening, changing or deleting someone else's role finds nothing and changes nothing."""
    theirs = make_experience(other_clinician.clinician_profile)
    url = reverse(url_name, kwargs={"experience_id": theirs.pk})
    response = getattr(signed_in, method)(url, experience_data(role="Hijacked") if method == "post" else None)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == "Clinical lead for acute medicine"


@pytest.mark.parametrize("rows", [10, 100])
def test_the_experience_list_costs_the_same_queries_at_10_and_100_roles(
    signed_in, profile, rows, django_assert_max_num_queries
):
    """A long career loads as fast as a short one."""
    LeadershipExperience.objects.bulk_create(
        [
            LeadershipExperience(
                profile=profile, role=f"Role {n}", organisation="Trust", level="team", start_date=date(2000, 1, 1)
            )
            for n in range(rows)
        ]
    )
    with django_assert_max_num_queries(4):
        response = signed_in.get(reverse("talent:list_experience"))
    assert len(response.context["experiences"]) == rows


def test_leadership_roles_are_listed_newest_first_and_roles_started_the_same_day_by_name(signed_in, profile):
    """Your most recent role is at the top; two roles that started the same day are in alphabetical order."""
    make_experience(profile, role="Audit lead", start_date=date(2016, 2, 1))
    make_experience(profile, role="Rota coordinator", start_date=date(2023, 8, 2))
    make_experience(profile, role="Clinical lead", start_date=date(2023, 8, 2))
    make_experience(profile, role="Chief registrar", start_date=date(2019, 9, 1))

    response = signed_in.get(reverse("talent:list_experience"))

    assert row_names(response) == ["Clinical lead", "Rota coordinator", "Chief registrar", "Audit lead"]


# Qualifications


def test_adding_a_qualification_lists_it(signed_in, profile):
    """A qualification you add appears in your list."""
    response = signed_in.post(reverse("talent:add_qualification"), QUALIFICATION_DATA)
    assert response["Location"] == reverse("talent:list_qualifications")
    qualification = Qualification.objects.get(profile=profile)
    assert (qualification.kind, qualification.year_awarded) == ("fmlm_associate_fellow", 2023)
    page = signed_in.get(response["Location"]).content.decode()
    assert "Qualification added." in page
    assert "FMLM Associate Fellow" in page


def test_the_year_awarded_is_optional(signed_in, profile):
    """You can add a qualification without remembering the year."""
    response = signed_in.post(reverse("talent:add_qualification"), {**QUALIFICATION_DATA, "year_awarded": ""})
    assert response.status_code == 302
    assert Qualification.objects.get(profile=profile).year_awarded is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"year_awarded": str(timezone.localdate().year + 1)}, "year_awarded"),
        ({"year_awarded": "1900"}, "year_awarded"),
        ({"year_awarded": "last year"}, "year_awarded"),
        ({"kind": "knighthood"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_qualification_input_gives_a_field_error_and_saves_nothing(signed_in, profile, overrides, field):
    """A future year, an unknown kind or a missing title is named next to the question."""
    response = signed_in.post(reverse("talent:add_qualification"), {**QUALIFICATION_DATA, **overrides})
    assert response.status_code == 200
    assert field in errors_of(response)
    assert not Qualification.objects.filter(profile=profile).exists()


def test_changing_a_qualification_updates_it(signed_in, profile):
    """The change page starts from the saved answers and saves your changes."""
    qualification = make_qualification(profile)
    url = reverse("talent:edit_qualification", kwargs={"qualification_id": qualification.pk})
    assert signed_in.get(url).context["form"].initial["title"] == "PG Cert in Healthcare Leadership"
    response = signed_in.post(url, {**QUALIFICATION_DATA, "title": "MSc Healthcare Leadership"})
    assert response.status_code == 302
    qualification.refresh_from_db()
    assert qualification.title == "MSc Healthcare Leadership"


def test_deleting_a_qualification_asks_first_then_removes_it(signed_in, profile):
    """You confirm before a qualification is removed."""
    qualification = make_qualification(profile)
    url = reverse("talent:delete_qualification", kwargs={"qualification_id": qualification.pk})
    assert "Are you sure you want to delete this qualification?" in signed_in.get(url).content.decode()
    response = signed_in.post(url)
    assert response["Location"] == reverse("talent:list_qualifications")
    assert not Qualification.objects.filter(pk=qualification.pk).exists()


@pytest.mark.parametrize("url_name", ["talent:edit_qualification", "talent:delete_qualification"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_clinicians_qualification_does_not_exist_for_you(signed_in, other_clinician, url_name, method):
    """Opening, changing or deleting someone else's qualification finds nothing and changes nothing."""
    theirs = make_qualification(other_clinician.clinician_profile)
    url = reverse(url_name, kwargs={"qualification_id": theirs.pk})
    response = getattr(signed_in, method)(
        url, {**QUALIFICATION_DATA, "title": "Hijacked"} if method == "post" else None
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "PG Cert in Healthcare Leadership"


@pytest.mark.parametrize("rows", [10, 100])
def test_the_qualification_list_costs_the_same_queries_at_10_and_100_qualifications(
    signed_in, profile, rows, django_assert_max_num_queries
):
    """A long list of qualifications loads as fast as a short one."""
    Qualification.objects.bulk_create(
        [Qualification(profile=profile, kind="other", title=f"Course {n}", year_awarded=2010) for n in range(rows)]
    )
    with django_assert_max_num_queries(4):
        response = signed_in.get(reverse("talent:list_qualifications"))
    assert len(response.context["qualifications"]) == rows


def test_qualifications_are_listed_newest_year_first_then_by_title_with_undated_ones_last(signed_in, profile):
    """The latest qualification is at the top, same-year ones by title, ones without a year at the bottom."""
    make_qualification(profile, title="Mentoring course", year_awarded=None)
    make_qualification(profile, title="Associate Fellow", year_awarded=None)
    make_qualification(profile, title="PG Cert in Healthcare Leadership", year_awarded=2018)
    make_qualification(profile, title="MSc Healthcare Leadership", year_awarded=2023)
    make_qualification(profile, title="Fellow", year_awarded=2023)
    make_qualification(profile, title="Coaching diploma", year_awarded=2020)

    response = signed_in.get(reverse("talent:list_qualifications"))

    assert row_names(response) == [
        "Fellow",
        "MSc Healthcare Leadership",
        "Coaching diploma",
        "PG Cert in Healthcare Leadership",
        "Associate Fellow",
        "Mentoring course",
    ]


# Equality monitoring


def test_the_equality_page_explains_that_answers_are_optional_and_private(signed_in):
    """Before answering you are told every question is optional, kept apart, private and only counted anonymously."""
    page = signed_in.get(reverse("talent:edit_equality_monitoring")).content.decode()
    assert "Every question is optional" in page
    assert "kept apart from your profile" in page
    assert "Nobody but you ever sees your answers" in page
    assert "anonymous totals" in page
    assert "Small numbers are hidden" in page
    assert page.count("Prefer not to say</label>") == 6


def test_saving_equality_answers_keeps_them_apart_and_shows_them_back(signed_in, profile):
    """Your answers are saved, and the page shows you what you said."""
    response = signed_in.post(
        reverse("talent:edit_equality_monitoring"),
        {"sex": "female", "ethnic_group": "prefer_not_to_say", "religion": "sikh"},
    )
    assert response["Location"] == reverse("talent:edit_equality_monitoring")
    monitoring = EqualityMonitoring.objects.get(profile=profile)
    assert (monitoring.sex, monitoring.ethnic_group, monitoring.religion) == ("female", "prefer_not_to_say", "sikh")
    assert monitoring.age_band == ""
    page = signed_in.get(response["Location"]).content.decode()
    assert "Your equality monitoring answers have been saved." in page
    assert "Your answers now" in page
    assert "Sikh" in page
    assert "Not answered" in page


def test_leaving_every_equality_question_unanswered_is_fine(signed_in, profile):
    """You can submit without answering anything."""
    response = signed_in.post(reverse("talent:edit_equality_monitoring"), {})
    assert response.status_code == 302
    assert EqualityMonitoring.objects.get(profile=profile).sex == ""


def test_an_unknown_equality_answer_is_a_field_error(signed_in, profile):
    """A tampered answer is rejected beside its question and nothing is saved."""
    response = signed_in.post(reverse("talent:edit_equality_monitoring"), {"sex": "female", "age_band": "ancient"})
    assert response.status_code == 200
    assert "age_band" in errors_of(response)
    assert not EqualityMonitoring.objects.filter(profile=profile).exists()


def test_you_can_remove_all_your_equality_answers(signed_in, profile):
    """Removing your answers clears every one of them."""
    EqualityMonitoring.objects.create(profile=profile, sex="male", religion="jewish")
    response = signed_in.post(reverse("talent:edit_equality_monitoring"), {"clear": "1"})
    assert response.status_code == 302
    monitoring = EqualityMonitoring.objects.get(profile=profile)
    assert (monitoring.sex, monitoring.religion) == ("", "")


def test_another_clinicians_equality_answers_are_never_shown_to_you(signed_in, other_clinician):
    """Your page shows only your own answers."""
    EqualityMonitoring.objects.create(profile=other_clinician.clinician_profile, religion="buddhist")
    page = signed_in.get(reverse("talent:edit_equality_monitoring")).content.decode()
    assert "Your answers now" not in page
    assert "checked" not in page
