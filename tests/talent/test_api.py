"""The talent API: a clinician's own profile, interest history and self-assessments, and the scoped clinician list
for training-body admins and HEE staff (DESIGN.md section 6)."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import AuditEvent, Region, Role, TrainingBodyMembership
from accounts.services import account_copy_to_profile
from config.errors import DomainError
from pathways.models import LeadershipRole
from pipeline.services import pipeline_rollups_refresh
from regulators.models import Regulator
from talent import services
from talent.api.clinicians import ClinicianSerializer
from talent.models import (
    AssessmentStatus,
    ClinicianProfile,
    ConsentEvent,
    Dimension,
    EarlyInterestSignal,
    EqualityMonitoring,
    InterestRecord,
    SelfAssessment,
    SignalKind,
)
from tests.factories import ClinicianProfileFactory, InterestRecordFactory, TrainingBodyFactory

PROFILE_FIELDS = {
    "id",
    "profession",
    "regulator",
    "registration_number",
    "first_registration_year",
    "career_stage",
    "specialty_training_year",
    "specialty",
    "employer_name",
    "employer_ods_code",
    "region",
    "training_body",
    "training_body_confirmed",
    "shares_with_training_body",
    "shares_with_hee",
    "current_interest_level",
    "current_readiness_horizon",
    "is_early_career",
}
EQUALITY_FIELDS = {"sex", "age_band", "ethnic_group", "disability", "sexual_orientation", "religion"}
ALL_RATINGS = dict.fromkeys(Dimension.values, 3)


def api_for(user) -> APIClient:
    """An API client signed in with a token, as an integration would be."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return client


def complete_assessment(profile: ClinicianProfile) -> SelfAssessment:
    return services.self_assessment_complete(
        assessment=services.self_assessment_save(profile=profile, ratings=ALL_RATINGS)
    )


def new_profile_body(**overrides) -> dict:
    body = {
        "profession": "nurse",
        "registration_number": "12a3456e",
        "first_registration_year": timezone.localdate().year - 2,
        "career_stage": "band_6",
        "region": "london",
        "employer_name": "Barts Health NHS Trust",
        "shares_with_training_body": False,
        "shares_with_hee": True,
    }
    return {**body, **overrides}


# --- me/profile/ -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_clinician_reads_their_own_profile(clinician, training_body):
    """A clinician's integration sees their profile with codes and slugs, and nothing about equality."""
    response = api_for(clinician).get(reverse("talent_api:edit_my_profile"))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == PROFILE_FIELDS
    profile = clinician.clinician_profile
    assert body["id"] == str(profile.pk)
    assert body["regulator"] == "GMC"
    assert body["region"] == "north-west"
    assert body["training_body"] == training_body.slug
    assert body["training_body_confirmed"] is True
    assert body["is_early_career"] is True
    assert body["current_readiness_horizon"] is None


@pytest.mark.django_db
def test_reading_your_profile_fetches_its_regulator_region_and_training_body_with_it(
    clinician, django_assert_max_num_queries
):
    """Your profile answers in two queries however it is linked: the token, then the profile with what it names."""
    client = api_for(clinician)

    # token, profile joined to its regulator, region and training body
    with django_assert_max_num_queries(2):
        body = client.get(reverse("talent_api:edit_my_profile")).json()

    assert (body["regulator"], body["region"]) == ("GMC", "north-west")


@pytest.mark.django_db
def test_a_clinician_without_a_profile_gets_404_then_creates_one(new_clinician):
    """Before onboarding there is no profile; POST creates it with the regulator taken from the profession."""
    client = api_for(new_clinician)
    assert client.get(reverse("talent_api:edit_my_profile")).status_code == 404

    response = client.post(reverse("talent_api:edit_my_profile"), new_profile_body(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["regulator"] == "NMC"
    assert body["registration_number"] == "12A3456E"
    assert body["training_body"] is None
    profile = ClinicianProfile.objects.get(user=new_clinician)
    assert (profile.shares_with_training_body, profile.shares_with_hee) == (False, True)
    assert ConsentEvent.objects.filter(profile=profile).count() == 2
    assert client.get(reverse("talent_api:edit_my_profile")).json()["id"] == str(profile.pk)


@pytest.mark.django_db
def test_creating_a_second_profile_is_a_conflict(clinician):
    """A clinician who already has a profile is told to change it instead; nothing new is created."""
    response = api_for(clinician).post(reverse("talent_api:edit_my_profile"), new_profile_body(), format="json")

    assert response.status_code == 409
    assert "detail" in response.json()
    assert ClinicianProfile.objects.filter(user=clinician).count() == 1


@pytest.mark.django_db
def test_patch_changes_only_the_fields_sent(clinician):
    """Changing the employer leaves the registration, region and consents as they were."""
    profile = clinician.clinician_profile
    for recipient in ("training_body", "hee"):
        services.consent_set(profile=profile, recipient=recipient, granted=True)
    number, region = profile.registration_number, profile.region_id

    response = api_for(clinician).patch(
        reverse("talent_api:edit_my_profile"),
        {"employer_name": "Northern Care Alliance", "employer_ods_code": "rm3"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    profile.refresh_from_db()
    assert (profile.employer_name, profile.employer_ods_code) == ("Northern Care Alliance", "RM3")
    assert (profile.registration_number, profile.region_id) == (number, region)
    assert (profile.shares_with_training_body, profile.shares_with_hee) == (True, True)
    assert ConsentEvent.objects.filter(profile=profile).count() == 2


@pytest.mark.django_db
def test_put_replaces_the_profile_and_records_a_withdrawn_consent(clinician):
    """A full update can change profession (and so regulator) and withdraw consent, which is kept as an event."""
    response = api_for(clinician).put(
        reverse("talent_api:edit_my_profile"), new_profile_body(shares_with_hee=False, region="london"), format="json"
    )

    assert response.status_code == 200, response.json()
    profile = ClinicianProfile.objects.get(user=clinician)
    assert (profile.profession, profile.regulator.code, profile.region.slug) == ("nurse", "NMC", "london")
    assert profile.training_body is None
    assert profile.shares_with_hee is False
    assert ConsentEvent.objects.filter(profile=profile, recipient="hee", granted=False).exists()


@pytest.mark.django_db
def test_a_registration_number_in_use_is_refused_without_saying_whose(clinician, other_clinician):
    """Someone else's number answers 400 on the field, without naming the other clinician."""
    taken = other_clinician.clinician_profile.registration_number

    response = api_for(clinician).patch(
        reverse("talent_api:edit_my_profile"), {"registration_number": taken}, format="json"
    )

    assert response.status_code == 400
    message = response.json()["registration_number"][0]
    assert "already used" in message
    assert other_clinician.full_name not in message
    assert other_clinician.email not in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"registration_number": "12A"}, "registration_number"),
        ({"registration_number": "7" * 10_000}, "registration_number"),
        ({"registration_number": "12\x0034567"}, "registration_number"),
        ({"first_registration_year": "nineteen ninety"}, "first_registration_year"),
        ({"first_registration_year": 1949}, "first_registration_year"),
        ({"first_registration_year": 3000}, "first_registration_year"),
        ({"first_registration_year": 10**30}, "first_registration_year"),
        ({"profession": "wizard"}, "profession"),
        ({"profession": ["doctor"]}, "profession"),
        ({"career_stage": "registrar"}, "career_stage"),
        ({"career_stage": "specialty_training", "specialty_training_year": 9}, "specialty_training_year"),
        ({"career_stage": "specialty_training", "specialty_training_year": None}, "specialty_training_year"),
        ({"region": "atlantis"}, "region"),
        ({"region": {"slug": "london"}}, "region"),
        ({"training_body": "no-such-body"}, "training_body"),
        ({"specialty": "x" * 10_000}, "specialty"),
        ({"employer_ods_code": "TOO-LONG-A-CODE"}, "employer_ods_code"),
        ({"shares_with_hee": "perhaps"}, "shares_with_hee"),
    ],
)
def test_bad_profile_changes_answer_400_naming_the_field(clinician, body, field):
    """Each bad answer is named in a JSON error and nothing about the profile changes."""
    profile = clinician.clinician_profile
    before = ClinicianProfile.objects.filter(pk=profile.pk).values().get()

    response = api_for(clinician).patch(reverse("talent_api:edit_my_profile"), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    after = ClinicianProfile.objects.filter(pk=profile.pk).values().get()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }


@pytest.mark.django_db
def test_creating_a_profile_without_the_required_answers_names_each_missing_field(new_clinician):
    """An empty POST lists every question still to answer, including both consents."""
    response = api_for(new_clinician).post(reverse("talent_api:edit_my_profile"), {}, format="json")

    assert response.status_code == 400
    assert {
        "profession",
        "registration_number",
        "first_registration_year",
        "career_stage",
        "region",
        "shares_with_training_body",
        "shares_with_hee",
    } <= set(response.json())
    assert not ClinicianProfile.objects.filter(user=new_clinician).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "content_type"),
    [
        ("{not json", "application/json"),
        ('["a", "list"]', "application/json"),
        ('"just a string"', "application/json"),
        ("null", "application/json"),
        ("\xff\xfe", "application/json"),
    ],
)
def test_a_body_that_is_not_a_json_object_answers_400(new_clinician, payload, content_type):
    """Malformed bodies get a JSON 400, never a server error."""
    response = api_for(new_clinician).generic(
        "POST", reverse("talent_api:edit_my_profile"), payload.encode("utf-8", "surrogateescape"), content_type
    )

    assert response.status_code == 400
    assert isinstance(response.json(), dict)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["tb_admin", "hee_staff", "editor"])
@pytest.mark.parametrize(
    "url_name", ["talent_api:edit_my_profile", "talent_api:list_my_interests", "talent_api:list_my_self_assessments"]
)
def test_only_clinicians_have_a_profile_interests_or_assessments(request, role, url_name):
    """Other roles are refused (403) whether they read or write."""
    client = api_for(request.getfixturevalue(role))

    assert client.get(reverse(url_name)).status_code == 403
    assert client.post(reverse(url_name), {}, format="json").status_code == 403


@pytest.mark.django_db
def test_anonymous_callers_are_asked_to_authenticate():
    """Without a token or session the API answers 401 and says how to authenticate."""
    response = APIClient().get(reverse("talent_api:edit_my_profile"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# --- me/interests/ ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_recording_interest_appends_to_the_history_and_updates_the_profile(clinician):
    """A new interest record is listed first, with its target roles, and becomes the current level."""
    profile = clinician.clinician_profile
    InterestRecordFactory(profile=profile, level=1, recorded_at=timezone.now() - timedelta(days=30))
    client = api_for(clinician)

    response = client.post(
        reverse("talent_api:list_my_interests"),
        {
            "level": 3,
            "readiness_horizon": "now",
            "target_roles": ["clinical-director", "clinical-lead"],
            "note": "  Ready to lead the ED.  ",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["level"] == 3
    assert created["level_label"] == "Actively developing"
    assert created["target_roles"] == ["clinical-director", "clinical-lead"]
    assert created["note"] == "Ready to lead the ED."
    assert (created["corrects"], created["is_corrected"]) == (None, False)
    profile.refresh_from_db()
    assert (profile.current_interest_level, profile.current_readiness_horizon) == (3, "now")
    listing = client.get(reverse("talent_api:list_my_interests")).json()
    assert listing["count"] == 2
    assert [record["level"] for record in listing["results"]] == [3, 1]
    assert set(listing) == {"count", "next", "previous", "results"}
    assert EarlyInterestSignal.objects.filter(profile=profile, kind=SignalKind.INTEREST_RAISED).exists()


@pytest.mark.django_db
def test_not_now_with_target_roles_answers_400_on_the_field(clinician):
    """The API keeps the page's rule: "Not now" with roles contradicts itself, and nothing is recorded."""
    response = api_for(clinician).post(
        reverse("talent_api:list_my_interests"),
        {"level": 0, "readiness_horizon": "4_plus_years", "target_roles": ["clinical-lead"]},
        format="json",
    )

    assert response.status_code == 400
    assert "You chose “Not now”" in str(response.json()["target_roles"])
    assert not InterestRecord.objects.filter(profile=clinician.clinician_profile).exists()


@pytest.mark.django_db
def test_the_history_says_which_entry_corrects_which(clinician):
    """A corrected entry is listed with is_corrected, its correction with the id of the entry it corrects."""
    profile = clinician.clinician_profile
    slip = services.interest_record(profile=profile, level=4, readiness_horizon="now")
    correction = services.interest_correct(profile=profile, record=slip, level=2, readiness_horizon="1_3_years")

    results = api_for(clinician).get(reverse("talent_api:list_my_interests")).json()["results"]

    assert [(r["id"], r["corrects"], r["is_corrected"]) for r in results] == [
        (str(correction.pk), str(slip.pk), False),
        (str(slip.pk), None, True),
    ]


@pytest.mark.django_db
def test_a_clinician_never_sees_another_clinicians_interest(clinician, other_clinician):
    """The history lists only the caller's own records."""
    InterestRecordFactory(profile=other_clinician.clinician_profile)
    mine = InterestRecordFactory(profile=clinician.clinician_profile)

    results = api_for(clinician).get(reverse("talent_api:list_my_interests")).json()["results"]

    assert [record["id"] for record in results] == [str(mine.pk)]


@pytest.mark.django_db
def test_an_unknown_target_role_answers_400_naming_it(clinician):
    """A role slug that does not exist is named in the target_roles error, and nothing is recorded."""
    response = api_for(clinician).post(
        reverse("talent_api:list_my_interests"),
        {"level": 2, "readiness_horizon": "now", "target_roles": ["clinical-lead", "chief-wizard"]},
        format="json",
    )

    assert response.status_code == 400
    assert "chief-wizard" in response.json()["target_roles"][0]
    assert not InterestRecord.objects.filter(profile=clinician.clinician_profile).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": 7, "readiness_horizon": "now"}, "level"),
        ({"level": "high", "readiness_horizon": "now"}, "level"),
        ({"level": None, "readiness_horizon": "now"}, "level"),
        ({"readiness_horizon": "now"}, "level"),
        ({"level": 2, "readiness_horizon": "soon"}, "readiness_horizon"),
        ({"level": 2, "readiness_horizon": "now", "target_roles": "clinical-lead"}, "target_roles"),
        ({"level": 2, "readiness_horizon": "now", "target_roles": [{"slug": "clinical-lead"}]}, "target_roles"),
        ({"level": 2, "readiness_horizon": "now", "target_roles": ["clinical lead!"]}, "target_roles"),
        ({"level": 2, "readiness_horizon": "now", "target_roles": ["clinical-lead"] * 500}, "target_roles"),
        ({"level": 2, "readiness_horizon": "now", "note": "x" * 2001}, "note"),
        ({"level": 2, "readiness_horizon": "now", "note": "nul\x00byte"}, "note"),
        ({"level": 2, "readiness_horizon": "now", "note": ["a", "list"]}, "note"),
    ],
)
def test_bad_interest_records_answer_400_naming_the_field(clinician, body, field):
    """Each bad answer is named in a JSON error and no record is written."""
    response = api_for(clinician).post(reverse("talent_api:list_my_interests"), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not InterestRecord.objects.filter(profile=clinician.clinician_profile).exists()


@pytest.mark.django_db
def test_interest_before_onboarding_answers_404(new_clinician):
    """Without a profile there is no history, and recording interest asks for the profile first."""
    client = api_for(new_clinician)

    assert client.get(reverse("talent_api:list_my_interests")).status_code == 404
    response = client.post(
        reverse("talent_api:list_my_interests"), {"level": 2, "readiness_horizon": "now"}, format="json"
    )
    assert response.status_code == 404
    assert "profile" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 100])
def test_the_interest_history_costs_the_same_queries_however_long(clinician, django_assert_max_num_queries, rows):
    """A long history loads as fast as a short one: no query per record or per target role."""
    profile = clinician.clinician_profile
    roles = list(LeadershipRole.objects.all()[:3])
    for record in InterestRecordFactory.create_batch(rows, profile=profile):
        record.target_roles.set(roles)
    client = api_for(clinician)

    # token, profile, count, page of records, their target roles
    with django_assert_max_num_queries(5):
        response = client.get(reverse("talent_api:list_my_interests"))

    assert response.json()["count"] == rows


# --- me/self-assessments/ --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_answers_starts_a_draft_then_adds_to_it(clinician):
    """The first POST starts a draft (201); the next adds to the same draft (200), keeping earlier answers."""
    client = api_for(clinician)

    first = client.post(
        reverse("talent_api:list_my_self_assessments"),
        {"ratings": {"leading_with_care": 2}, "complete": False},
        format="json",
    )
    second = client.post(
        reverse("talent_api:list_my_self_assessments"), {"ratings": {"engaging_the_team": 4}}, format="json"
    )

    assert first.status_code == 201, first.json()
    assert second.status_code == 200, second.json()
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["status"] == "draft"
    assert second.json()["ratings"] == {"leading_with_care": 2, "engaging_the_team": 4}


@pytest.mark.django_db
def test_completing_an_assessment_keeps_it_and_signals_early_interest(clinician):
    """Rating all nine dimensions and completing gives a completed assessment and an early-interest signal."""
    response = api_for(clinician).post(
        reverse("talent_api:list_my_self_assessments"), {"ratings": ALL_RATINGS, "complete": True}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "completed"
    assert body["completed_at"]
    assert body["ratings"] == ALL_RATINGS
    assert EarlyInterestSignal.objects.filter(
        profile=clinician.clinician_profile, kind=SignalKind.SELF_ASSESSMENT_COMPLETED
    ).exists()


@pytest.mark.django_db
def test_completing_too_early_answers_400_and_saves_nothing(clinician):
    """Finishing before every dimension is rated says what is missing, and leaves no half-saved draft."""
    response = api_for(clinician).post(
        reverse("talent_api:list_my_self_assessments"),
        {"ratings": {"leading_with_care": 2}, "complete": True},
        format="json",
    )

    assert response.status_code == 400
    assert "Still to do" in response.json()["ratings"][0]
    assert not SelfAssessment.objects.filter(profile=clinician.clinician_profile).exists()


@pytest.mark.django_db
def test_a_conflicting_completion_answers_409(clinician, monkeypatch):
    """When the service reports a conflict (the draft was completed meanwhile), the API answers 409 and rolls back."""

    def already_complete(*, assessment):
        raise DomainError("This self-assessment is already complete.", conflict=True)

    monkeypatch.setattr(services, "self_assessment_complete", already_complete)

    response = api_for(clinician).post(
        reverse("talent_api:list_my_self_assessments"), {"ratings": ALL_RATINGS, "complete": True}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "This self-assessment is already complete."}
    assert not SelfAssessment.objects.filter(profile=clinician.clinician_profile).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ratings": {"leading_with_care": 5}}, "ratings"),
        ({"ratings": {"leading_with_care": 0}}, "ratings"),
        ({"ratings": {"leading_with_care": "strong"}}, "ratings"),
        ({"ratings": {"leading_with_care": True}}, "ratings"),
        ({"ratings": {"charisma": 3}}, "ratings"),
        ({"ratings": {"x" * 10_000: 3}}, "ratings"),
        ({"ratings": [3, 3, 3]}, "ratings"),
        ({"ratings": "all strong"}, "ratings"),
        ({}, "ratings"),
        ({"ratings": {"leading_with_care": 3}, "complete": "banana"}, "complete"),
    ],
)
def test_bad_self_assessment_answers_give_400_naming_the_field(clinician, body, field):
    """Each bad answer is named in a JSON error and nothing is saved."""
    response = api_for(clinician).post(reverse("talent_api:list_my_self_assessments"), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not SelfAssessment.objects.filter(profile=clinician.clinician_profile).exists()


@pytest.mark.django_db
def test_the_assessment_list_shows_only_my_assessments_newest_first(clinician, other_clinician):
    """Completed assessments and the current draft are listed with their ratings; nobody else's appear."""
    services.self_assessment_save(profile=other_clinician.clinician_profile, ratings={"leading_with_care": 1})
    mine = clinician.clinician_profile
    completed = services.self_assessment_complete(
        assessment=services.self_assessment_save(profile=mine, ratings=ALL_RATINGS)
    )
    SelfAssessment.objects.filter(pk=completed.pk).update(created_at=timezone.now() - timedelta(days=60))
    draft = services.self_assessment_save(profile=mine, ratings={"holding_to_account": 2})

    body = api_for(clinician).get(reverse("talent_api:list_my_self_assessments")).json()

    assert body["count"] == 2
    assert [(item["id"], item["status"]) for item in body["results"]] == [
        (str(draft.pk), "draft"),
        (str(completed.pk), "completed"),
    ]
    assert body["results"][1]["ratings"] == ALL_RATINGS


@pytest.mark.django_db
def test_the_assessment_list_is_in_the_order_they_were_started_whatever_their_ids(clinician):
    """Assessments come newest first by when they were started, never in the random order of their ids."""
    profile = clinician.clinician_profile
    by_id = sorted((complete_assessment(profile) for _ in range(3)), key=lambda assessment: assessment.pk)
    started = timezone.now() - timedelta(days=1)
    for age, assessment in enumerate(by_id):  # the lowest id was started last
        SelfAssessment.objects.filter(pk=assessment.pk).update(created_at=started - timedelta(days=30 * age))

    body = api_for(clinician).get(reverse("talent_api:list_my_self_assessments")).json()

    assert [item["id"] for item in body["results"]] == [str(assessment.pk) for assessment in by_id]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 100])
def test_the_assessment_list_costs_the_same_queries_however_long(clinician, django_assert_max_num_queries, rows):
    """Many past assessments load as fast as a few: ratings come in one query."""
    profile = clinician.clinician_profile
    for _ in range(rows):
        services.self_assessment_complete(
            assessment=services.self_assessment_save(profile=profile, ratings=ALL_RATINGS)
        )
    client = api_for(clinician)

    # token, profile, count, page of assessments, their ratings
    with django_assert_max_num_queries(5):
        response = client.get(reverse("talent_api:list_my_self_assessments"))

    assert response.json()["count"] == rows


# --- clinicians/ -----------------------------------------------------------------------------------------------------


def listed_ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.django_db
def test_a_training_body_admin_lists_only_consenting_clinicians_of_their_body(
    tb_admin, clinician, other_clinician, training_body
):
    """Clinicians of other bodies, and those of this body who did not consent, are not listed."""
    withheld = ClinicianProfileFactory(training_body=training_body, shares_with_training_body=False)

    ids = listed_ids(api_for(tb_admin).get(reverse("talent_api:list_clinicians")))

    assert ids == {str(clinician.clinician_profile.pk)}
    assert str(withheld.pk) not in ids


@pytest.mark.django_db
def test_hee_staff_list_clinicians_who_consented_to_hee_within_their_region(
    hee_staff, regional_hee_staff, clinician, other_clinician
):
    """National HEE staff see every clinician sharing with HEE; regional staff only those in their region."""
    ClinicianProfileFactory(shares_with_hee=False)

    national = listed_ids(api_for(hee_staff).get(reverse("talent_api:list_clinicians")))
    london = listed_ids(api_for(regional_hee_staff).get(reverse("talent_api:list_clinicians")))

    assert national == {str(clinician.clinician_profile.pk), str(other_clinician.clinician_profile.pk)}
    assert london == {str(other_clinician.clinician_profile.pk)}


@pytest.mark.django_db
def test_regional_staff_moved_to_another_region_list_that_region_at_once(
    regional_hee_staff, clinician, other_clinician
):
    """A new region is a new scope, listed at once."""
    client = api_for(regional_hee_staff)
    assert listed_ids(client.get(reverse("talent_api:list_clinicians"))) == {str(other_clinician.clinician_profile.pk)}

    regional_hee_staff.hee_region = clinician.clinician_profile.region
    regional_hee_staff.save()

    assert listed_ids(client.get(reverse("talent_api:list_clinicians"))) == {str(clinician.clinician_profile.pk)}


@pytest.mark.django_db
def test_staff_whose_role_changes_list_what_the_new_role_may_see_at_once(hee_staff, other_training_body, clinician):
    """HEE staff see everyone sharing with HEE; as the admin of another body, only that body's clinicians."""
    in_body = ClinicianProfileFactory(training_body=other_training_body)
    client = api_for(hee_staff)
    everyone = {str(clinician.clinician_profile.pk), str(in_body.pk)}
    assert listed_ids(client.get(reverse("talent_api:list_clinicians"))) == everyone

    hee_staff.role = Role.TRAINING_BODY_ADMIN
    hee_staff.save()
    TrainingBodyMembership.objects.create(user=hee_staff, training_body=other_training_body)

    assert listed_ids(client.get(reverse("talent_api:list_clinicians"))) == {str(in_body.pk)}


@pytest.mark.django_db
def test_the_second_page_of_clinicians_follows_the_first(hee_staff):
    ClinicianProfileFactory.create_batch(55)
    pipeline_rollups_refresh()  # the total is the figures' (the beat refreshes them every 2 minutes)
    client = api_for(hee_staff)

    first = client.get(reverse("talent_api:list_clinicians")).json()
    second = client.get(reverse("talent_api:list_clinicians"), {"page": "2"}).json()

    names = [item["full_name"] for item in first["results"] + second["results"]]
    assert (len(first["results"]), len(second["results"]), first["count"]) == (50, 5, 55)
    assert names == sorted(names)
    assert len({item["id"] for item in first["results"] + second["results"]}) == 55


@pytest.mark.django_db
def test_a_training_body_admin_moved_to_another_body_lists_its_clinicians_at_once(
    tb_admin, training_body, other_training_body
):
    mine = ClinicianProfileFactory(training_body=training_body)
    theirs = ClinicianProfileFactory(training_body=other_training_body)
    client = api_for(tb_admin)
    assert listed_ids(client.get(reverse("talent_api:list_clinicians"))) == {str(mine.pk)}

    tb_admin.training_body_memberships.update(training_body=other_training_body)

    assert listed_ids(client.get(reverse("talent_api:list_clinicians"))) == {str(theirs.pk)}


@pytest.mark.django_db
def test_listed_clinicians_carry_no_equality_data(hee_staff, clinician):
    """Even when a clinician answered the equality questions, the list shows none of it."""
    EqualityMonitoring.objects.create(profile=clinician.clinician_profile, sex="female", ethnic_group="asian")

    item = api_for(hee_staff).get(reverse("talent_api:list_clinicians")).json()["results"][0]

    assert item["full_name"] == clinician.full_name
    assert not EQUALITY_FIELDS & set(item)
    assert "female" not in json.dumps(item)


@pytest.mark.django_db
def test_every_kind_of_clinician_is_listed_as_the_schema_documents_them(hee_staff, varied_clinicians, training_body):
    """Every kind of clinician (with and without a training body, specialty year or readiness horizon, early career
    or not) is listed exactly as the schema's ClinicianSerializer says."""
    ClinicianProfileFactory(training_body=None, current_interest_level=0, current_readiness_horizon="")
    services.interest_record(profile=varied_clinicians["consultant"], level=4, readiness_horizon="4_plus_years")

    items = api_for(hee_staff).get(reverse("talent_api:list_clinicians")).json()["results"]

    profiles = ClinicianProfile.objects.select_related("user", "regulator", "region", "training_body")
    expected = ClinicianSerializer(profiles.filter(pk__in=[item["id"] for item in items]), many=True).data
    assert len(items) == 5
    assert sorted(items, key=lambda item: item["id"]) == sorted(expected, key=lambda item: item["id"])
    assert {item["current_readiness_horizon"] for item in items} >= {None, "4_plus_years"}
    assert {item["is_early_career"] for item in items} == {True, False}
    assert None in {item["training_body"] for item in items}


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{}, {"early_career": "true"}, {"search": "Ann"}])
def test_every_list_of_clinicians_answers_exactly_the_list_serializers_fields(hee_staff, query, client):
    """A field added to ClinicianSerializer appears, in its place, in every list of clinicians (unfiltered or
    filtered), in the clinician's record and in the schema: the serializer is the one declaration of them."""
    ClinicianProfileFactory(user__full_name="Ann Early", first_registration_year=timezone.localdate().year)
    fields = list(ClinicianSerializer().fields)
    staff = api_for(hee_staff)

    [item] = staff.get(reverse("talent_api:list_clinicians"), query).json()["results"]
    record = staff.get(reverse("talent_api:show_clinician", args=[item["id"]])).json()
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    documented = schema["components"]["schemas"]["Clinician"]["properties"]

    assert list(item) == fields
    assert list(record)[: len(fields)] == fields
    assert list(documented) == fields


@pytest.fixture
def varied_clinicians(training_body):
    """Four consenting clinicians of `training_body` who differ in one way each."""
    london = Region.objects.get(slug="london")
    nmc = Regulator.objects.get(code="NMC")
    this_year = timezone.localdate().year
    profiles = {
        "st_doctor": ClinicianProfileFactory(training_body=training_body, current_interest_level=1),
        "consultant": ClinicianProfileFactory(
            training_body=training_body,
            career_stage="consultant_gp",
            specialty_training_year=None,
            first_registration_year=this_year - 20,
            current_interest_level=4,
        ),
        "nurse": ClinicianProfileFactory(
            training_body=training_body,
            profession="nurse",
            regulator=nmc,
            registration_number="12A3456E",
            career_stage="band_6",
            specialty_training_year=None,
            first_registration_year=this_year - 12,
            region=london,
            current_interest_level=2,
        ),
        "signalled": ClinicianProfileFactory(training_body=training_body, current_interest_level=3),
    }
    profiles["nurse"].user.full_name = "Ada Lovelace-Nightingale"
    profiles["nurse"].user.save()
    account_copy_to_profile(user=profiles["nurse"].user)
    EarlyInterestSignal.objects.create(profile=profiles["signalled"], kind=SignalKind.INTEREST_RAISED)
    EarlyInterestSignal.objects.create(
        profile=profiles["st_doctor"], kind=SignalKind.INTEREST_RAISED, created_at=timezone.now() - timedelta(days=90)
    )
    return profiles


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"st_doctor", "consultant", "nurse", "signalled"}),
        ({"region": "london"}, {"nurse"}),
        ({"profession": "nurse"}, {"nurse"}),
        ({"career_stage": "consultant_gp"}, {"consultant"}),
        ({"min_interest_level": "3"}, {"consultant", "signalled"}),
        ({"early_career": "true"}, {"st_doctor", "signalled"}),
        ({"early_career": "false"}, {"consultant", "nurse"}),
        ({"early_interest_since": (timezone.localdate() - timedelta(days=7)).isoformat()}, {"signalled"}),
        ({"search": "lovelace"}, {"nurse"}),
        ({"search": "12a 3456e"}, {"nurse"}),
        ({"profession": "doctor", "min_interest_level": "2"}, {"consultant", "signalled"}),
    ],
)
def test_the_clinician_list_filters(tb_admin, varied_clinicians, training_body, query, expected):
    """Each filter narrows the list as its name says, and filters combine."""
    ids = listed_ids(api_for(tb_admin).get(reverse("talent_api:list_clinicians"), query))

    assert ids == {str(varied_clinicians[name].pk) for name in expected}


@pytest.mark.django_db
def test_filtering_by_training_body_stays_within_scope(hee_staff, clinician, other_clinician, other_training_body):
    """HEE staff can narrow to one training body."""
    ids = listed_ids(
        api_for(hee_staff).get(reverse("talent_api:list_clinicians"), {"training_body": other_training_body.slug})
    )

    assert ids == {str(other_clinician.clinician_profile.pk)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"region": "atlantis"}, "region"),
        ({"profession": "wizard"}, "profession"),
        ({"career_stage": "registrar"}, "career_stage"),
        ({"min_interest_level": "lots"}, "min_interest_level"),
        ({"min_interest_level": "9"}, "min_interest_level"),
        ({"early_interest_since": "last tuesday"}, "early_interest_since"),
        ({"early_interest_since": "2025-02-30"}, "early_interest_since"),
        ({"search": "x" * 10_000}, "search"),
        ({"search": "nul\x00byte"}, "search"),
    ],
)
def test_bad_filters_answer_400_naming_the_filter(hee_staff, clinician, query, field):
    """A filter value the API cannot use is named in a JSON 400, never a server error."""
    response = api_for(hee_staff).get(reverse("talent_api:list_clinicians"), query)

    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.django_db
def test_a_training_body_admin_cannot_filter_by_another_body(tb_admin, other_training_body):
    """Another body's slug is not a choice for them (400), so it cannot be used to probe that body's clinicians."""
    response = api_for(tb_admin).get(reverse("talent_api:list_clinicians"), {"training_body": other_training_body.slug})

    assert response.status_code == 400
    assert "training_body" in response.json()


@pytest.mark.django_db
def test_a_page_number_past_the_end_answers_404_not_500(hee_staff, clinician):
    """Asking for a page that does not exist is a clean JSON 404."""
    response = api_for(hee_staff).get(reverse("talent_api:list_clinicians"), {"page": "999"})

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 100])
def test_the_clinician_list_costs_the_same_queries_however_long(
    tb_admin, training_body, django_assert_max_num_queries, rows
):
    """A body with a hundred clinicians lists as fast as one with ten, filters included."""
    ClinicianProfileFactory.create_batch(rows, training_body=training_body)
    pipeline_rollups_refresh()
    client = api_for(tb_admin)

    # token, page of clinicians (users, regulators, regions and bodies joined); past one page, the latest run of
    # figures and the total stored with it
    with django_assert_max_num_queries(4):
        response = client.get(reverse("talent_api:list_clinicians"))
    assert response.json()["count"] == rows

    query = {
        "region": "north-west",
        "training_body": training_body.slug,
        "early_career": "true",
        "min_interest_level": "1",
        "early_interest_since": "2020-01-01",
        "search": "a",
    }
    # plus one lookup each for the region and training-body slugs
    with django_assert_max_num_queries(5):
        assert client.get(reverse("talent_api:list_clinicians"), query).status_code == 200


@pytest.mark.django_db
def test_a_clinician_record_shows_history_and_latest_assessment_and_is_audited(tb_admin, clinician):
    """Opening a clinician shows their interest timeline and latest completed assessment, never equality data,
    and the view is recorded as who looked at whom."""
    profile = clinician.clinician_profile
    InterestRecordFactory(profile=profile, level=1, recorded_at=timezone.now() - timedelta(days=10))
    InterestRecordFactory(profile=profile, level=3)
    complete_assessment(profile)
    services.self_assessment_save(profile=profile, ratings={"leading_with_care": 1})
    EqualityMonitoring.objects.create(profile=profile, sex="male", religion="jewish")

    response = api_for(tb_admin).get(reverse("talent_api:show_clinician", kwargs={"profile_id": profile.pk}))

    assert response.status_code == 200
    body = response.json()
    assert [record["level"] for record in body["interests"]] == [3, 1]
    assert body["latest_assessment"]["status"] == AssessmentStatus.COMPLETED
    assert body["latest_assessment"]["ratings"] == ALL_RATINGS
    assert body["experiences"] == [] and body["qualifications"] == []
    assert not EQUALITY_FIELDS & set(body)
    assert "jewish" not in json.dumps(body)
    event = AuditEvent.objects.get(action="clinician.viewed")
    assert (event.actor, event.subject_id) == (tb_admin, str(profile.pk))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("viewer", "status"),
    [("tb_admin", 404), ("other_tb_admin", 200), ("regional_hee_staff", 200), ("hee_staff", 200)],
)
def test_a_clinician_outside_your_scope_does_not_exist(request, other_clinician, viewer, status):
    """Out-of-scope clinicians answer 404 (never 403, so existence does not leak), and no view is audited."""
    user = request.getfixturevalue(viewer)

    response = api_for(user).get(
        reverse("talent_api:show_clinician", kwargs={"profile_id": other_clinician.clinician_profile.pk})
    )

    assert response.status_code == status
    assert AuditEvent.objects.filter(action="clinician.viewed", actor=user).count() == (status == 200)


@pytest.mark.django_db
def test_a_clinician_who_withdraws_consent_disappears(tb_admin, clinician):
    """Once a clinician stops sharing with their training body, the body's admins can no longer open them."""
    profile = clinician.clinician_profile
    services.consent_set(profile=profile, recipient="training_body", granted=False)

    response = api_for(tb_admin).get(reverse("talent_api:show_clinician", kwargs={"profile_id": profile.pk}))

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "profile_id",
    ["not-a-uuid", "3f2b8c1e-6d4a-4e7b-9a15-2c8d0f6e4b71", "1", "x" * 500],
    ids=["not-a-uuid", "unknown-uuid", "1", "long"],
)
def test_unknown_or_malformed_clinician_ids_answer_json_404(hee_staff, profile_id):
    """Guessing ids gets a JSON 404 whatever the guess looks like."""
    response = api_for(hee_staff).get(reverse("talent_api:show_clinician", kwargs={"profile_id": profile_id}))

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 100])
def test_a_clinician_record_costs_the_same_queries_however_long_their_history(
    hee_staff, clinician, django_assert_max_num_queries, rows
):
    """A long interest history opens as fast as a short one."""
    profile = clinician.clinician_profile
    InterestRecordFactory.create_batch(rows, profile=profile)
    client = api_for(hee_staff)

    # token, profile, interests, target roles, latest assessment, ratings, experience, qualifications; audit row
    with django_assert_max_num_queries(9):
        response = client.get(reverse("talent_api:show_clinician", kwargs={"profile_id": profile.pk}))

    assert len(response.json()["interests"]) == rows


# --- Authentication and schema ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_sign_in_also_works(client, clinician):
    """A signed-in browser session can call the API too."""
    client.force_login(clinician)

    response = client.get(reverse("talent_api:edit_my_profile"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_the_openapi_schema_documents_every_talent_endpoint(client):
    """The published schema lists every endpoint with its request and response bodies and the list filters."""
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    paths = schema["paths"]
    assert {"get", "post", "put", "patch"} <= set(paths["/api/v1/me/profile/"])
    assert {"get", "post"} <= set(paths["/api/v1/me/interests/"])
    assert {"get", "post"} <= set(paths["/api/v1/me/self-assessments/"])
    assert "get" in paths["/api/v1/clinicians/"]
    assert "get" in paths["/api/v1/clinicians/{profile_id}/"]
    components = schema["components"]["schemas"]
    for name in (
        "Profile",
        "PatchedProfile",
        "InterestRecord",
        "PaginatedInterestRecordList",
        "SelfAssessment",
        "SelfAssessmentInput",
        "PaginatedSelfAssessmentList",
        "Clinician",
        "PaginatedClinicianList",
        "ClinicianDetail",
        "InterestLevel",
        "ReadinessHorizon",
    ):
        assert name in components, name
    assert set(components["SelfAssessmentInput"]["properties"]["ratings"]["properties"]) == set(Dimension.values)
    assert not EQUALITY_FIELDS & set(components["ClinicianDetail"]["properties"])
    post_interest = paths["/api/v1/me/interests/"]["post"]
    assert post_interest["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/InterestRecord")
    assert {"201", "400", "401", "403", "404"} <= set(post_interest["responses"])
    assert "409" in paths["/api/v1/me/self-assessments/"]["post"]["responses"]
    filters = {parameter["name"] for parameter in paths["/api/v1/clinicians/"]["get"]["parameters"]}
    assert {
        "region",
        "profession",
        "career_stage",
        "training_body",
        "min_interest_level",
        "early_career",
        "early_interest_since",
        "search",
        "page",
    } <= filters


def test_the_schema_generates_without_warnings():
    """Every talent endpoint is described precisely enough that generation raises no warnings."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)

    ours = [message for message in GENERATOR_STATS._warn_cache if "talent" in message or "enum" in message.lower()]
    assert ours == []
    assert not GENERATOR_STATS._error_cache


@pytest.mark.django_db
def test_unused_training_bodies_do_not_break_the_filters(hee_staff, clinician):
    """A body nobody belongs to is still a valid filter and simply lists nobody."""
    empty = TrainingBodyFactory()

    response = api_for(hee_staff).get(reverse("talent_api:list_clinicians"), {"training_body": empty.slug})

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"early_career": "maybe"},
        {"early_interest_since_day": "9" * 30, "early_interest_since_month": "1", "early_interest_since_year": "2025"},
    ],
)
def test_nonsense_clinician_filters_answer_400_not_500(client, hee_staff, query):
    """An unknown yes/no value or an impossible date is a 400 naming the filter, never ignored or a crash."""
    client.force_login(hee_staff)

    response = client.get("/api/v1/clinicians/", query)

    assert response.status_code == 400
    assert next(iter(query)).split("_day")[0] in response.json()


@pytest.mark.django_db
def test_moving_to_another_training_body_by_api_does_not_carry_consent(client, clinician, other_training_body):
    """Consent was given to one body: after a PATCH to another body, the new body's admin cannot see the clinician."""
    from talent.selectors import clinicians_visible_to
    from tests.factories import TrainingBodyAdminFactory

    client.force_login(clinician)
    response = client.patch(
        "/api/v1/me/profile/", {"training_body": other_training_body.slug}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["shares_with_training_body"] is False
    new_admin = TrainingBodyAdminFactory(training_body=other_training_body)
    assert not clinicians_visible_to(new_admin).filter(pk=clinician.clinician_profile.pk).exists()
    last = clinician.clinician_profile.consent_events.filter(recipient="training_body").order_by("-created_at").first()
    assert (last.training_body, last.granted) == (other_training_body, False)
