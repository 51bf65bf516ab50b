"""Appointments to leadership roles (the clinician's recorded leadership roles): dates that end before they start,
start more than a year ahead, or overlap another role at the same organisation are field errors on the page and a
400 naming the field in the API (`me/leadership-roles/`)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from talent.models import LeadershipExperience
from tests.clock import runs_at
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/London"))
_at_now = runs_at(NOW)

ROLE = {
    "role": "Clinical director",
    "organisation": "Example Teaching Hospitals",
    "level": "service",
    "start_date": "2024-04-01",
    "end_date": "2025-03-31",
}


def api_as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def existing(profile, **overrides) -> LeadershipExperience:
    values = {
        "role": "Clinical lead",
        "organisation": "Example Teaching Hospitals",
        "level": "service",
        "start_date": date(2024, 4, 1),
        "end_date": date(2025, 3, 31),
        **overrides,
    }
    return LeadershipExperience.objects.create(profile=profile, **values)


def page_data(**overrides) -> dict:
    values = {**ROLE, **overrides}
    data = {"role": values["role"], "organisation": values["organisation"], "level": values["level"]}
    for name in ("start_date", "end_date"):
        day = date.fromisoformat(values[name]) if values[name] else None
        data[f"{name}_day"] = str(day.day) if day else ""
        data[f"{name}_month"] = str(day.month) if day else ""
        data[f"{name}_year"] = str(day.year) if day else ""
    return data


OVERLAPS = [
    # Another role at the same organisation, whatever its case and spacing, sharing a day.
    ({"organisation": "  example   TEACHING hospitals "}, {}),
    ({"start_date": "2025-03-31", "end_date": "2026-01-31"}, {}),  # starts the day the other ends
    ({"start_date": "2023-01-01", "end_date": "2024-04-01"}, {}),  # ends the day the other starts
    ({"start_date": "2026-01-01", "end_date": None}, {"end_date": None}),  # both open-ended
    ({"start_date": "2020-01-01", "end_date": None}, {}),  # this one open-ended, from before the other
    ({"start_date": "2025-01-01", "end_date": "2025-02-01"}, {"start_date": date(2020, 1, 1), "end_date": None}),
]
NOT_OVERLAPS = [
    ({"organisation": "Another Trust"}, {}),
    ({"start_date": "2025-04-01", "end_date": None}, {}),  # starts the day after the other ends
    ({"start_date": "2023-01-01", "end_date": "2024-03-31"}, {}),
]


@pytest.mark.parametrize(("mine", "theirs"), OVERLAPS)
def test_a_role_overlapping_another_at_the_same_organisation_is_a_field_error_on_the_page(
    client, clinician, mine, theirs
):
    profile = clinician.clinician_profile
    existing(profile, **theirs)
    client.force_login(clinician)

    response = client.post(reverse("talent:add_experience"), page_data(**mine))

    assert response.status_code == 200
    [message] = response.context["form"].errors["start_date"]
    assert message.startswith("These dates overlap your role as Clinical lead at Example Teaching Hospitals")
    assert LeadershipExperience.objects.filter(profile=profile).count() == 1


@pytest.mark.parametrize(("mine", "theirs"), OVERLAPS)
def test_a_role_overlapping_another_at_the_same_organisation_is_a_400_in_the_api(clinician, mine, theirs):
    profile = clinician.clinician_profile
    existing(profile, **theirs)

    response = api_as(clinician).post(reverse("talent_api:list_my_leadership_roles"), {**ROLE, **mine}, format="json")

    assert response.status_code == 400
    assert "These dates overlap your role as Clinical lead" in str(response.json()["start_date"])
    assert LeadershipExperience.objects.filter(profile=profile).count() == 1


@pytest.mark.parametrize(("mine", "theirs"), NOT_OVERLAPS)
def test_roles_at_other_organisations_or_on_other_days_are_saved(client, clinician, mine, theirs):
    existing(clinician.clinician_profile, **theirs)
    client.force_login(clinician)

    response = client.post(reverse("talent:add_experience"), page_data(**mine))

    assert response.status_code == 302
    assert LeadershipExperience.objects.filter(profile=clinician.clinician_profile).count() == 2


def test_another_clinicians_role_at_the_same_organisation_is_no_overlap(clinician, other_clinician):
    existing(other_clinician.clinician_profile)
    response = api_as(clinician).post(reverse("talent_api:list_my_leadership_roles"), ROLE, format="json")
    assert response.status_code == 201


def test_changing_a_role_does_not_count_it_as_overlapping_itself(client, clinician):
    role = existing(clinician.clinician_profile)
    client.force_login(clinician)
    url = reverse("talent:edit_experience", kwargs={"experience_id": role.pk})

    response = client.post(url, page_data(role="Clinical lead for medicine", end_date="2025-06-30"))

    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.role, role.end_date) == ("Clinical lead for medicine", date(2025, 6, 30))

    api = reverse("talent_api:edit_my_leadership_role", kwargs={"experience_id": role.pk})
    assert api_as(clinician).put(api, {**ROLE, "end_date": None}, format="json").status_code == 200


def test_changing_a_role_onto_another_ones_dates_is_refused(clinician):
    profile = clinician.clinician_profile
    existing(profile)
    later = existing(profile, start_date=date(2025, 6, 1), end_date=None, role="Clinical director")
    url = reverse("talent_api:edit_my_leadership_role", kwargs={"experience_id": later.pk})

    response = api_as(clinician).put(url, {**ROLE, "start_date": "2025-01-01", "end_date": None}, format="json")

    assert response.status_code == 400 and "start_date" in response.json()
    later.refresh_from_db()
    assert later.start_date == date(2025, 6, 1)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"start_date": "2024-05-01", "end_date": "2024-04-30"}, "end_date", "End date must be the same as or after"),
        ({"start_date": "2027-11-26", "end_date": None}, "start_date", "no more than a year from today"),
        ({"level": "galactic"}, "level", None),
        ({"start_date": "not a date"}, "start_date", None),
        ({"role": ""}, "role", None),
    ],
)
def test_bad_dates_are_a_400_naming_the_field(clinician, change, field, message):
    response = api_as(clinician).post(reverse("talent_api:list_my_leadership_roles"), {**ROLE, **change}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert message in str(response.json()[field])
    assert not LeadershipExperience.objects.exists()


def test_a_role_starting_up_to_a_year_ahead_is_recorded(client, clinician):
    """An appointment made ahead of its start; a day further is refused, in words, on the page."""
    client.force_login(clinician)

    ahead = client.post(reverse("talent:add_experience"), page_data(start_date="2027-11-25", end_date=None))
    too_far = client.post(
        reverse("talent:add_experience"),
        page_data(organisation="Another Trust", start_date="2027-11-26", end_date=None),
    )

    assert ahead.status_code == 302
    assert too_far.context["form"].errors["start_date"] == ["Start date must be no more than a year from today"]
    assert LeadershipExperience.objects.get().start_date == date(2027, 11, 25)


def test_an_end_before_the_start_is_said_in_words_on_the_page(client, clinician):
    client.force_login(clinician)
    response = client.post(reverse("talent:add_experience"), page_data(start_date="2024-05-01", end_date="2024-04-30"))
    assert response.context["form"].errors["end_date"] == ["End date must be the same as or after the start date"]


def test_the_clinician_lists_changes_and_deletes_their_roles_through_the_api(clinician):
    client = api_as(clinician)
    created = client.post(reverse("talent_api:list_my_leadership_roles"), ROLE, format="json").json()
    assert created["level"] == "service" and created["end_date"] == "2025-03-31"

    listed = client.get(reverse("talent_api:list_my_leadership_roles")).json()
    assert [role["id"] for role in listed] == [created["id"]]

    url = reverse("talent_api:edit_my_leadership_role", kwargs={"experience_id": created["id"]})
    assert client.get(url).json()["role"] == "Clinical director"
    assert client.delete(url).status_code == 204
    assert not LeadershipExperience.objects.exists()


LIST_ANSWERS = {
    "anonymous": 401,
    "clinician": 200,
    "other_clinician": 200,
    "tb_admin": 403,
    "other_tb_admin": 403,
    "hee_staff": 403,
    "regional_hee_staff": 403,
    "editor": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_clinicians_use_their_own_leadership_roles_and_nobody_elses(clinician, user_for_role, role):
    """Everyone sees only their own list; another clinician's role does not exist for anyone else."""
    mine = existing(clinician.clinician_profile)
    client = api_as(user_for_role(role))

    listed = client.get(reverse("talent_api:list_my_leadership_roles"))
    assert listed.status_code == LIST_ANSWERS[role]
    if listed.status_code == 200:
        assert [row["id"] for row in listed.json()] == ([str(mine.pk)] if role == "clinician" else [])

    url = reverse("talent_api:edit_my_leadership_role", kwargs={"experience_id": mine.pk})
    changed = client.put(url, {**ROLE, "role": "Renamed"}, format="json")
    expected = {"clinician": 200, "other_clinician": 404}.get(role, LIST_ANSWERS[role])
    assert changed.status_code == expected
    mine.refresh_from_db()
    assert mine.role == ("Renamed" if role == "clinician" else "Clinical lead")
