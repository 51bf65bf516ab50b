"""A clinician's data rights: download everything we hold about them, and delete their account."""

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import AuditEvent, User
from accounts.services import clinician_sign_up
from pathways.models import LeadershipRole
from regulators.models import RevalidationRecord
from talent import services
from talent.models import (
    ClinicianProfile,
    ConsentEvent,
    Dimension,
    EarlyInterestSignal,
    EqualityMonitoring,
    InterestRecord,
    LeadershipExperience,
    Qualification,
    SelfAssessment,
)
from tests.factories import TEST_PASSWORD, NominationFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("talent:download_my_data")
DELETE = reverse("talent:delete_account")

SECTIONS = {
    "account",
    "profile",
    "consent_history",
    "interest_records",
    "self_assessments",
    "leadership_experience",
    "qualifications",
    "equality_monitoring",
    "early_interest_signals",
}


def fill_in(profile: ClinicianProfile, *, marker: str) -> None:
    """Give a profile one of everything, with `marker` in every free-text field."""
    role = LeadershipRole.objects.order_by("name").first()
    services.interest_record(
        profile=profile, level=3, readiness_horizon="1_3_years", target_roles=[role], note=f"{marker} note"
    )
    assessment = services.self_assessment_save(profile=profile, ratings=dict.fromkeys(Dimension.values, 3))
    services.self_assessment_complete(assessment=assessment)
    services.experience_save(
        profile=profile, role=f"{marker} lead", organisation=f"{marker} trust", level="service",
        start_date=date(2021, 4, 1), end_date=date(2023, 3, 31),
    )  # fmt: skip
    services.qualification_save(
        profile=profile, kind="fmlm_fellow", title=f"{marker} fellowship", awarding_body="FMLM", year_awarded=2022
    )
    services.equality_monitoring_save(
        profile=profile, answers={"sex": "prefer_not_to_say", "ethnic_group": "asian", "religion": "hindu"}
    )


def download(client, user) -> dict:
    client.force_login(user)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.json"')
    return json.loads(response.content)


def test_the_download_holds_every_part_of_the_clinicians_data(client, clinician, other_clinician):
    """The JSON file has the account, profile, consents, interest with target roles, self-assessments with
    ratings, experience, qualifications, equality answers and early-interest signals."""
    profile = clinician.clinician_profile
    fill_in(profile, marker="Mine")
    fill_in(other_clinician.clinician_profile, marker="Theirs")
    services.consent_set(profile=profile, recipient="hee", granted=True)
    services.consent_set(profile=profile, recipient="hee", granted=False)
    data = download(client, clinician)
    assert set(data) >= SECTIONS
    assert data["account"]["email"] == clinician.email
    assert data["account"]["full_name"] == clinician.full_name
    assert data["account"]["date_joined"]
    assert data["profile"]["registration_number"] == profile.registration_number
    assert data["profile"]["profession"] == {"code": "doctor", "label": "Doctor"}
    assert data["profile"]["training_body"] == profile.training_body.name
    assert [(event["recipient"]["code"], event["granted"]) for event in data["consent_history"]] == [
        ("hee", True),
        ("hee", False),
    ]
    assert data["profile"]["shares_with_hee"] is False
    [record] = data["interest_records"]
    assert record["note"] == "Mine note"
    assert record["level"]["label"] == "Actively developing"
    assert record["target_roles"] == [{"slug": LeadershipRole.objects.order_by("name").first().slug,
                                       "name": LeadershipRole.objects.order_by("name").first().name}]  # fmt: skip
    [assessment] = data["self_assessments"]
    assert assessment["status"]["code"] == "completed"
    assert len(assessment["ratings"]) == 9
    assert assessment["ratings"][0] == {
        "dimension": {"code": "inspiring_shared_purpose", "label": "Inspiring shared purpose"},
        "rating": {"code": 3, "label": "Strong"},
    }
    assert data["leadership_experience"][0]["role"] == "Mine lead"
    assert data["leadership_experience"][0]["end_date"] == "2023-03-31"
    assert data["qualifications"][0]["title"] == "Mine fellowship"
    assert data["equality_monitoring"]["religion"] == {"code": "hindu", "label": "Hindu"}
    assert data["equality_monitoring"]["age_band"] == {"code": "", "label": ""}
    assert {signal["kind"]["code"] for signal in data["early_interest_signals"]} == {
        "interest_raised",
        "self_assessment_completed",
    }


def test_the_download_contains_nothing_about_anyone_else(client, clinician, other_clinician):
    """Another clinician's name, email, number and free text never appear in my file."""
    fill_in(clinician.clinician_profile, marker="Mine")
    fill_in(other_clinician.clinician_profile, marker="Theirs")
    text = json.dumps(download(client, clinician))
    for secret in (
        other_clinician.email,
        other_clinician.full_name,
        other_clinician.clinician_profile.registration_number,
        "Theirs",
        str(other_clinician.clinician_profile.pk),
    ):
        assert secret not in text


def test_a_clinician_without_a_profile_can_still_download_their_account(client, new_clinician):
    """Before onboarding, the file holds the account and says there is no profile yet."""
    data = download(client, new_clinician)
    assert set(data) >= SECTIONS
    assert data["account"]["email"] == new_clinician.email
    assert data["profile"] is None
    assert data["interest_records"] == [] and data["equality_monitoring"] is None


def test_the_download_needs_the_same_queries_however_much_data_there_is(
    client, clinician, django_assert_max_num_queries
):
    """A long history downloads as quickly as a short one: no query per record."""
    profile = clinician.clinician_profile
    roles = list(LeadershipRole.objects.all()[:3])
    client.force_login(clinician)
    for count in (10, 100):
        while profile.interest_records.count() < count:
            services.interest_record(profile=profile, level=2, readiness_horizon="now", target_roles=roles)
        # 23 with career conversations (and their actions), requests for them and signposts, and the plan,
        # mentoring offer, mentoring requests, 360 feedback rounds, talent pools and licence plans
        with django_assert_max_num_queries(23):
            data = json.loads(client.get(EXPORT).content)
        assert len(data["interest_records"]) == count


def test_staff_cannot_download_a_clinicians_data_here(client, tb_admin, hee_staff, editor):
    """The download is only ever of one's own clinician data; other roles are refused."""
    for user in (tb_admin, hee_staff, editor):
        client.force_login(user)
        assert client.get(EXPORT).status_code == 403


def test_the_delete_page_explains_what_goes_and_what_stays(client, clinician):
    """Before deleting, the clinician reads what is removed and what stays anonymously in counts."""
    client.force_login(clinician)
    html = client.get(DELETE).content.decode()
    assert "Delete your account" in html
    assert "What we delete" in html
    assert "equality monitoring answers" in html
    assert "What stays, without your name" in html
    assert reverse("talent:download_my_data") in html
    assert 'type="checkbox"' in html and 'name="confirm"' in html


def test_deleting_needs_the_box_ticked(client, clinician):
    """Pressing delete without ticking the box shows an error and changes nothing."""
    client.force_login(clinician)
    response = client.post(DELETE, {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "Confirm that you want to delete your account" in html
    clinician.refresh_from_db()
    assert clinician.is_active and clinician.full_name != "Deleted clinician"
    assert client.get(reverse("talent:download_my_data")).status_code == 200  # still signed in


def test_deleting_removes_everything_personal_and_keeps_the_counts(client, clinician, other_clinician):
    """After deleting, nothing identifies the clinician, they are signed out and cannot sign in, the national
    number of profiles is unchanged, API tokens stop working, and other clinicians are untouched."""
    profile = clinician.clinician_profile
    fill_in(profile, marker="Secret")
    fill_in(other_clinician.clinician_profile, marker="Kept")
    AuthToken.objects.create(user=clinician)
    email, name, number = clinician.email, clinician.full_name, profile.registration_number
    counts_before = {
        "profiles": ClinicianProfile.objects.count(),
        "interest": InterestRecord.objects.count(),
        "assessments": SelfAssessment.objects.count(),
        "doctors": ClinicianProfile.objects.filter(profession="doctor").count(),
    }

    client.force_login(clinician)
    response = client.post(DELETE, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("talent:show_account_deleted")
    page = client.get(response["Location"])
    assert "Your account has been deleted" in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated
    assert client.get(reverse("talent:show_clinician_home")).status_code == 302  # signed out

    assert not User.objects.filter(email__iexact=email).exists()
    assert not User.objects.filter(full_name=name).exists()
    assert not ClinicianProfile.objects.filter(registration_number=number).exists()
    user = User.objects.get(pk=clinician.pk)
    assert not user.is_active and not user.has_usable_password()
    signing_in = client.post(reverse("accounts:sign_in"), {"username": email, "password": TEST_PASSWORD})
    assert signing_in.status_code == 200 and not signing_in.wsgi_request.user.is_authenticated
    profile.refresh_from_db()
    assert (profile.employer_name, profile.employer_ods_code, profile.specialty) == ("", "", "")
    assert not profile.shares_with_training_body and not profile.shares_with_hee and profile.training_body is None
    assert not LeadershipExperience.objects.filter(profile=profile).exists()
    assert not Qualification.objects.filter(profile=profile).exists()
    assert not EqualityMonitoring.objects.filter(profile=profile).exists()
    assert not InterestRecord.objects.filter(profile=profile).exclude(note="").exists()
    assert not AuthToken.objects.filter(user=user).exists()
    for model, field in ((LeadershipExperience, "role"), (Qualification, "title"), (InterestRecord, "note")):
        assert not model.objects.filter(**{f"{field}__contains": "Secret"}).exists()
        assert model.objects.filter(**{f"{field}__contains": "Kept"}).exists()
    assert ConsentEvent.objects.filter(profile=profile, granted=False).exists()
    assert EarlyInterestSignal.objects.filter(profile=other_clinician.clinician_profile).exists()

    assert {
        "profiles": ClinicianProfile.objects.count(),
        "interest": InterestRecord.objects.count(),
        "assessments": SelfAssessment.objects.count(),
        "doctors": ClinicianProfile.objects.filter(profession="doctor").count(),
    } == counts_before
    assert AuditEvent.objects.filter(action="account.deleted_by_clinician", subject_id=str(user.pk)).exists()


def test_a_deleted_clinician_is_invisible_to_staff(client, clinician, tb_admin, hee_staff):
    """Once deleted, the clinician drops out of every staff list and their record is not found."""
    profile = clinician.clinician_profile
    client.force_login(clinician)
    client.post(DELETE, {"confirm": "on"})
    for user in (tb_admin, hee_staff):
        client.force_login(user)
        assert client.get(reverse("talent:list_clinicians")).context["page"].paginator.count == 0
        assert client.get(reverse("talent:show_clinician", kwargs={"profile_id": profile.pk})).status_code == 404


def test_a_deleted_clinician_can_sign_up_again_with_the_same_email(
    client, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    """The email address is freed: signing up again with it works and starts a fresh, empty account."""
    email, old_pk = clinician.email, clinician.pk
    profiles_before = ClinicianProfile.objects.count()
    client.force_login(clinician)
    client.post(DELETE, {"confirm": "on"})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:sign_up"),
            {"full_name": "Returning Person", "email": email, "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    again = User.objects.get(email=email)
    assert again.pk != old_pk
    assert not ClinicianProfile.objects.filter(user=again).exists()
    assert ClinicianProfile.objects.count() == profiles_before
    assert [message.to for message in mailoutbox] == [[email]]
    # The service still makes no second live account with the address (its owner is emailed instead).
    clinician_sign_up(email=email, full_name="Twice", password=TEST_PASSWORD)
    assert User.objects.filter(email=email).count() == 1


def test_a_clinician_without_a_profile_can_delete_their_account(client, new_clinician):
    """Someone who never finished onboarding can still delete their account."""
    email = new_clinician.email
    client.force_login(new_clinician)
    response = client.post(DELETE, {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(email=email).exists()


def test_staff_cannot_delete_accounts_here(client, tb_admin, hee_staff, editor):
    """Only clinicians delete their own accounts on this page; staff are refused and nothing changes."""
    for user in (tb_admin, hee_staff, editor):
        client.force_login(user)
        assert client.post(DELETE, {"confirm": "on"}).status_code == 403
        user.refresh_from_db()
        assert user.is_active


def test_the_download_includes_nominations_and_the_revalidation_record(
    client, clinician, open_opportunity, clinician_revalidation
):
    NominationFactory(profile=clinician.clinician_profile, opportunity=open_opportunity)
    client.force_login(clinician)
    response = client.get(reverse("talent:download_my_data"))
    data = json.loads(response.content)
    assert [n["opportunity"] for n in data["nominations"]] == [open_opportunity.title]
    assert data["nominations"][0]["state"]["code"] == "submitted"
    assert data["revalidation"]["responsible_officer"] == "Dr A Officer"


def test_deleting_withdraws_undecided_nominations_and_removes_the_revalidation_record(
    client, clinician, open_opportunity, closed_opportunity, clinician_revalidation
):
    """No admin is left deciding about a deleted account, the person's own words go, and the record naming their
    responsible officer goes; the nominations themselves stay for the counts."""
    profile = clinician.clinician_profile
    waiting = NominationFactory(profile=profile, opportunity=open_opportunity)
    approved = NominationFactory(
        profile=profile, opportunity=closed_opportunity, state="approved", decided_at=timezone.now()
    )
    client.force_login(clinician)
    client.post(DELETE, {"confirm": "on"})

    waiting.refresh_from_db()
    approved.refresh_from_db()
    assert waiting.state == "withdrawn" and waiting.withdrawn_at is not None
    assert approved.state == "approved"
    assert "rota" not in waiting.supporting_statement + approved.supporting_statement
    assert not RevalidationRecord.objects.filter(profile=profile).exists()
