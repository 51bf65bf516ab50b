"""Licence plans: a clinician records what they plan to do about their licence to practise (history kept, audited),
sees what their regulator says about each choice and about returning to practice, and the owners of their pools see
the choice but never the note. Bad input is a field error (400), another role 403, no profile 404; never a 500, and
nothing is half-written."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from config.errors import DomainError
from talent.models import LICENCE_PLAN_NOTE_MAX_LENGTH, LicencePlan
from talent.services import clinician_account_delete
from talent.services.licence import licence_plan_record
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory
from tests.regulators.fixtures import make_guidance_version
from tests.talent.pool_fixtures import make_member, make_pool

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)

PLAN_URL = reverse("talent:edit_licence_plan")
API_URL = reverse("talent_api:edit_my_licence_plan")


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- The page ---------------------------------------------------------------------------------------------------------


def test_the_clinician_records_a_plan_changes_it_and_sees_the_earlier_one(client, clinician):
    client.force_login(clinician)

    first = client.post(PLAN_URL, {"choice": "undecided", "note": ""})
    second = client.post(PLAN_URL, {"choice": "keep_licence", "note": "Two clinical sessions a week."}, follow=True)

    assert first.status_code == 302 and second.status_code == 200
    content = second.content.decode()
    assert "Your licence plan is saved." in content
    assert "Keep my licence and keep practising" in content and "Two clinical sessions a week." in content
    assert "Your earlier plans" in content and "25 November 2026: I have not decided yet" in content
    assert list(LicencePlan.objects.values_list("choice", flat=True)) == ["keep_licence", "undecided"]
    events = AuditEvent.objects.filter(action="licence_plan.recorded").order_by("created_at")
    assert [(e.actor, e.detail["choice"]) for e in events] == [(clinician, "undecided"), (clinician, "keep_licence")]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"choice": "quit_medicine"}, "choice", "Choose one of the plans listed"),
        ({}, "choice", "Choose what you plan to do about your licence"),
        (
            {"choice": "keep_licence", "note": "x" * (LICENCE_PLAN_NOTE_MAX_LENGTH + 1)},
            "note",
            "Your note must be 1,000 characters or fewer",
        ),
    ],
    ids=["unknown-choice", "no-choice", "note-too-long"],
)
def test_bad_answers_are_field_errors_and_nothing_is_written(client, clinician, data, field, message):
    client.force_login(clinician)

    response = client.post(PLAN_URL, data)

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count(message) >= 1 and "<title>Error: " in content
    assert response.context["form"].errors[field]
    assert not LicencePlan.objects.exists() and not AuditEvent.objects.filter(action="licence_plan.recorded").exists()


def test_the_page_shows_what_the_regulator_says_and_names_missing_topics_plainly(client, clinician):
    make_guidance_version(slug="keeping", title="Keeping your licence in a senior role", topics=["keeping_licence"])
    make_guidance_version(slug="revalidating", title="Revalidating as a leader", topics=["revalidation"])
    make_guidance_version(slug="draft", title="Returning: a draft", topics=["returning"], status="draft")
    client.force_login(clinician)

    content = client.get(PLAN_URL).content.decode()

    assert "What the GMC says" in content
    assert "Keeping your licence in a senior role" in content and "/licence/gmc/keeping/" in content
    assert "Revalidating as a leader" in content
    assert "Returning: a draft" not in content
    assert "We have no GMC guidance here on returning to clinical practice yet." in content
    assert "https://www.gmc-uk.org" in content  # the regulator's own site, from the reference data


def test_the_home_and_the_pool_membership_page_link_to_the_licence_plan(client, clinician, pool_membership):
    client.force_login(clinician)

    home = client.get(reverse("talent:show_clinician_home")).content.decode()
    membership = client.get(
        reverse("talent:show_my_pool_membership", kwargs={"membership_id": pool_membership.pk})
    ).content.decode()

    assert PLAN_URL in home and PLAN_URL in membership


@pytest.mark.parametrize("who", ["tb_admin", "hee_staff", "editor"])
def test_other_roles_cannot_record_a_plan(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(PLAN_URL, {"choice": "keep_licence"}).status_code == 403
    assert not LicencePlan.objects.exists()


def test_a_clinician_before_onboarding_is_sent_to_their_home(client, new_clinician):
    client.force_login(new_clinician)
    assert client.get(PLAN_URL).status_code == 302


# --- Who sees it ------------------------------------------------------------------------------------------------------


def test_owners_of_a_pool_the_clinician_is_in_see_the_choice_but_never_the_note(client, clinician, tb_admin, pool):
    membership = make_member(pool, clinician.clinician_profile)
    licence_plan_record(
        profile=clinician.clinician_profile, choice="registration_only", note="Private thoughts.", actor=clinician
    )
    client.force_login(tb_admin)

    listing = client.get(reverse("talent:show_pool", kwargs={"pool_id": pool.pk})).content.decode()
    page = client.get(
        reverse("talent:assess_pool_member", kwargs={"pool_id": pool.pk, "membership_id": membership.pk})
    ).content.decode()
    (member,) = (
        api_as(tb_admin).get(reverse("talent_api:list_pool_members", kwargs={"pool_id": pool.pk})).json()["results"]
    )

    plan = "Keep my registration without a licence to practise"
    assert plan in listing and plan in page
    assert "Private thoughts." not in listing + page + str(member)
    assert member["licence"]["licence_plan"] == "registration_only"


def test_owners_of_a_pool_the_clinician_left_see_nothing(client, clinician, tb_admin, pool):
    membership = make_member(pool, clinician.clinician_profile)
    licence_plan_record(profile=clinician.clinician_profile, choice="keep_licence", actor=clinician)
    membership.state, membership.left_at = "left", NOW
    membership.save()
    client.force_login(tb_admin)

    listing = client.get(reverse("talent:show_pool", kwargs={"pool_id": pool.pk})).content.decode()
    page = client.get(reverse("talent:assess_pool_member", kwargs={"pool_id": pool.pk, "membership_id": membership.pk}))

    assert "Keep my licence" not in listing and page.status_code == 404


# --- The API ----------------------------------------------------------------------------------------------------------


def test_the_api_reads_and_records_the_plan_with_its_history(clinician):
    client = api_as(clinician)

    empty = client.get(API_URL)
    first = client.put(API_URL, {"choice": "undecided"}, format="json")
    second = client.put(API_URL, {"choice": "keep_licence", "note": "Sessions on Fridays."}, format="json")

    assert empty.json() == {"choice": None, "note": "", "recorded_at": None, "history": []}
    assert first.status_code == 200 and first.json()["choice"] == "undecided"
    body = second.json()
    assert body["choice"] == "keep_licence" and body["note"] == "Sessions on Fridays."
    assert [(h["choice"], h["note"]) for h in body["history"]] == [("undecided", "")]
    assert client.get(API_URL).json() == body


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"choice": "quit_medicine"}, "choice"),
        ({"note": "No choice."}, "choice"),
        ({"choice": "keep_licence", "note": "x" * (LICENCE_PLAN_NOTE_MAX_LENGTH + 1)}, "note"),
        ({"choice": ["keep_licence"]}, "choice"),
    ],
    ids=["unknown-choice", "no-choice", "note-too-long", "a-list"],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_written(clinician, data, field):
    response = api_as(clinician).put(API_URL, data, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not LicencePlan.objects.exists()


def test_a_body_that_is_not_json_is_a_400_not_a_500(clinician):
    response = api_as(clinician).put(API_URL, "{not json", content_type="application/json")
    assert response.status_code == 400 and not LicencePlan.objects.exists()


@pytest.mark.parametrize("who", ["tb_admin", "hee_staff", "editor"])
def test_other_roles_get_403(request, who):
    client = api_as(request.getfixturevalue(who))
    assert client.get(API_URL).status_code == 403
    assert client.put(API_URL, {"choice": "keep_licence"}, format="json").status_code == 403


def test_a_clinician_without_a_profile_gets_404(new_clinician):
    client = api_as(new_clinician)
    assert client.get(API_URL).status_code == 404
    assert client.put(API_URL, {"choice": "keep_licence"}, format="json").status_code == 404
    assert not LicencePlan.objects.exists()


def test_the_endpoint_is_in_the_schema(client):
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()
    operations = schema["paths"]["/api/v1/me/licence-plan/"]
    assert {"get", "put"} <= set(operations)
    assert schema["components"]["schemas"]["LicencePlanChoice"]["enum"] == [
        "keep_licence",
        "registration_only",
        "undecided",
    ]


# --- The rules underneath ---------------------------------------------------------------------------------------------


def test_only_the_clinician_records_their_own_plan(clinician, other_clinician, tb_admin):
    profile = clinician.clinician_profile
    for actor in (other_clinician, tb_admin):
        with pytest.raises(DomainError):
            licence_plan_record(profile=profile, choice="keep_licence", actor=actor)
    assert not LicencePlan.objects.exists()


def test_the_database_refuses_an_unknown_choice_and_a_long_note(clinician):
    profile = clinician.clinician_profile
    for fields in ({"choice": "quit"}, {"choice": "undecided", "note": "x" * (LICENCE_PLAN_NOTE_MAX_LENGTH + 1)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            LicencePlan.objects.create(profile=profile, **fields)


def test_a_recorded_plan_cannot_be_changed(clinician):
    plan = licence_plan_record(profile=clinician.clinician_profile, choice="undecided", actor=clinician)
    plan.choice = "keep_licence"
    with pytest.raises(ValidationError):
        plan.save()


def test_deleting_the_account_removes_the_notes_and_keeps_the_choices(clinician):
    licence_plan_record(profile=clinician.clinician_profile, choice="undecided", note="My own words.", actor=clinician)

    clinician_account_delete(user=clinician)

    assert list(LicencePlan.objects.values_list("choice", "note")) == [("undecided", "")]


def test_other_clinicians_plans_are_not_read(clinician, other_clinician):
    licence_plan_record(
        profile=other_clinician.clinician_profile, choice="keep_licence", note="Theirs.", actor=other_clinician
    )
    assert api_as(clinician).get(API_URL).json()["choice"] is None


def test_a_member_of_several_pools_is_seen_by_each_pools_owners(client, clinician, tb_admin, training_body):
    other_pool = make_pool(training_body=training_body, name="Board", role_level="organisation")
    make_member(other_pool, clinician.clinician_profile)
    make_member(other_pool, ClinicianProfileFactory(training_body=training_body))
    licence_plan_record(profile=clinician.clinician_profile, choice="keep_licence", actor=clinician)
    client.force_login(tb_admin)

    content = client.get(reverse("talent:show_pool", kwargs={"pool_id": other_pool.pk})).content.decode()

    assert content.count("Plan: Keep my licence and keep practising") == 1
