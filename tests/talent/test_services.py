"""Services of the clinician's side: profile, consents, interest, self-assessment, signals, deletion."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import Region, User
from config.errors import DomainError
from pathways.models import LeadershipRole
from regulators.models import Profession
from talent import services
from talent.models import (
    CareerStage,
    ClinicianProfile,
    ConsentEvent,
    Dimension,
    EarlyInterestSignal,
    InterestLevel,
    SignalKind,
)
from tests.clock import runs_at
from tests.factories import ClinicianFactory, ClinicianProfileFactory

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))
# Every test here runs on NOW's day: years of registration ("last year", "next year") are counted from it.
_at_now = runs_at(NOW)


def details(**overrides) -> services.ProfileDetails:
    values = {
        "profession": Profession.NURSE,
        "registration_number": "12A3456E",
        "first_registration_year": timezone.localdate().year - 2,
        "career_stage": CareerStage.BAND_6,
        "region": Region.objects.get(slug="london"),
        "employer_name": "Guy's and St Thomas' NHS Foundation Trust",
        "shares_with_training_body": True,
        "shares_with_hee": False,
    }
    return services.ProfileDetails(**{**values, **overrides})


@pytest.mark.django_db
def test_creating_a_profile_defaults_the_regulator_and_records_both_consents(training_body):
    """A nurse's profile is registered with the NMC, and each consent answer is kept as a dated event."""
    user = ClinicianFactory()

    profile = services.profile_create(
        user=user, details=details(registration_number=" 12a3456e ", training_body=training_body)
    )

    assert profile.regulator.code == "NMC"
    assert profile.registration_number == "12A3456E"
    assert (profile.shares_with_training_body, profile.shares_with_hee) == (True, False)
    assert sorted(ConsentEvent.objects.filter(profile=profile).values_list("recipient", "granted")) == [
        ("hee", False),
        ("training_body", True),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"registration_number": "1234567"}, "registration_number", "2 digits, a letter, 4 digits and a letter"),
        ({"first_registration_year": 1949}, "first_registration_year", "between 1950"),
        ({"first_registration_year": NOW.year + 1}, "first_registration_year", "between 1950"),
        ({"profession": "astronaut"}, "profession", "Choose a profession"),
        ({"career_stage": CareerStage.FOUNDATION}, "career_stage", "Agenda for Change band"),
        # A nurse is in none of the dental or pharmacy training grades.
        ({"career_stage": CareerStage.DENTAL_FOUNDATION}, "career_stage", "Agenda for Change band"),
        ({"career_stage": CareerStage.FOUNDATION_PHARMACIST}, "career_stage", "Agenda for Change band"),
        (
            {
                "profession": Profession.DOCTOR,
                "registration_number": "1234567",
                "career_stage": CareerStage.NOT_AGENDA_FOR_CHANGE,
            },
            "career_stage",
            "doctor's grade",
        ),
        ({"profession": Profession.DOCTOR, "registration_number": "1234567"}, "career_stage", "doctor's grade"),
        (
            {
                "profession": Profession.DOCTOR,
                "registration_number": "1234567",
                "career_stage": CareerStage.SPECIALTY_TRAINING,
            },
            "specialty_training_year",
            "specialty training year",
        ),
    ],
)
def test_bad_profile_details_are_refused_with_the_field_named(overrides, field, message):
    """Each mistake names the field to fix and creates nothing."""
    with pytest.raises(DomainError) as error:
        services.profile_create(user=ClinicianFactory(), details=details(**overrides))

    assert error.value.field == field
    assert message in error.value.message
    assert ClinicianProfile.objects.count() == 0


@pytest.mark.django_db
def test_a_deactivated_clinician_can_neither_start_a_profile_nor_delete_their_account_again():
    """Deactivated people may do nothing in the service (accounts/permissions.py), whatever their role."""
    user = ClinicianFactory(is_active=False)

    with pytest.raises(DomainError):
        services.profile_create(user=user, details=details())
    with pytest.raises(DomainError):
        services.clinician_account_delete(user=user)

    user.refresh_from_db()
    assert ClinicianProfile.objects.count() == 0 and user.full_name != "Deleted clinician"


@pytest.mark.django_db
def test_a_registration_number_in_use_is_refused_without_saying_whose():
    """The error says the number is taken but never names the other clinician."""
    owner = ClinicianProfileFactory(
        profession=Profession.NURSE,
        registration_number="12A3456E",
        career_stage=CareerStage.BAND_6,
        specialty_training_year=None,
        regulator=services.regulator_for_profession(Profession.NURSE),
    )

    with pytest.raises(DomainError) as error:
        services.profile_create(user=ClinicianFactory(), details=details())

    assert error.value.field == "registration_number"
    assert owner.user.full_name not in error.value.message and owner.user.email not in error.value.message
    assert ClinicianProfile.objects.count() == 1


@pytest.mark.django_db
def test_consent_changes_are_dated_and_unchanged_answers_add_nothing(training_body):
    """Withdrawing consent adds one dated event; repeating the same answer adds none."""
    profile = services.profile_create(user=ClinicianFactory(), details=details(training_body=training_body))

    services.consent_set(profile=profile, recipient="training_body", granted=False)
    services.consent_set(profile=profile, recipient="training_body", granted=False)

    profile.refresh_from_db()
    assert profile.shares_with_training_body is False
    assert list(
        profile.consent_events.filter(recipient="training_body")
        .order_by("created_at")
        .values_list("granted", flat=True)
    ) == [True, False]


@pytest.mark.django_db
def test_interest_is_appended_and_the_profile_keeps_the_latest():
    """Each record is kept; the profile shows the newest level and horizon."""
    profile = ClinicianProfileFactory()
    role = LeadershipRole.objects.get(slug="clinical-director")

    services.interest_record(profile=profile, level=1, readiness_horizon="4_plus_years")
    services.interest_record(profile=profile, level=3, readiness_horizon="1_3_years", target_roles=[role], note="Yes")

    profile.refresh_from_db()
    assert (profile.current_interest_level, profile.current_readiness_horizon) == (3, "1_3_years")
    assert list(profile.interest_records.values_list("level", flat=True)) == [3, 1]
    assert list(profile.interest_records.first().target_roles.all()) == [role]


@pytest.mark.django_db
def test_rising_to_exploring_signals_early_interest_only_for_early_career_clinicians():
    """An early-career doctor raising interest to Exploring creates one signal; a senior nurse creates none."""
    trainee = ClinicianProfileFactory()
    senior = ClinicianProfileFactory(
        profession=Profession.NURSE,
        registration_number="99Z0000A",
        regulator=services.regulator_for_profession(Profession.NURSE),
        career_stage=CareerStage.BAND_8A,
        specialty_training_year=None,
        first_registration_year=timezone.localdate().year - 20,
    )

    services.interest_record(profile=trainee, level=InterestLevel.CURIOUS, readiness_horizon="4_plus_years")
    services.interest_record(profile=trainee, level=InterestLevel.EXPLORING, readiness_horizon="1_3_years")
    services.interest_record(profile=trainee, level=InterestLevel.EXPLORING, readiness_horizon="now")  # no rise
    services.interest_record(profile=senior, level=InterestLevel.READY_FOR_A_ROLE, readiness_horizon="now")

    assert list(EarlyInterestSignal.objects.values_list("profile", "kind")) == [
        (trainee.pk, SignalKind.INTEREST_RAISED)
    ]


@pytest.mark.django_db
def test_an_invalid_interest_level_is_refused_and_nothing_is_written():
    """A level outside 0-4 is a field error, and the profile is unchanged."""
    profile = ClinicianProfileFactory()

    with pytest.raises(DomainError) as error:
        services.interest_record(profile=profile, level=7, readiness_horizon="now")

    assert error.value.field == "level"
    assert profile.interest_records.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("horizon", "roles", "field"),
    [("now", [], "readiness_horizon"), ("1_3_years", [], "readiness_horizon"), ("4_plus_years", ["x"], "target_roles")],
)
def test_not_now_that_contradicts_itself_is_refused_by_the_service_too(horizon, roles, field):
    """The API and any other caller get the same rule as the page: "Not now" fits only "In 4 years or more" and no
    target roles."""
    profile = ClinicianProfileFactory()
    target_roles = list(LeadershipRole.objects.all()[:1]) if roles else []

    with pytest.raises(DomainError) as error:
        services.interest_record(profile=profile, level=0, readiness_horizon=horizon, target_roles=target_roles)

    assert error.value.field == field
    assert "You chose “Not now”" in error.value.message
    assert profile.interest_records.count() == 0


@pytest.mark.django_db
def test_a_correction_is_a_new_record_naming_the_one_it_corrects_and_only_once():
    """The corrected record stays as it was; correcting it again (it is no longer the latest) is a conflict."""
    profile = ClinicianProfileFactory()
    slip = services.interest_record(profile=profile, level=4, readiness_horizon="now")

    correction = services.interest_correct(profile=profile, record=slip, level=3, readiness_horizon="1_3_years")

    slip.refresh_from_db()
    assert (slip.level, correction.corrects, correction.level) == (4, slip, 3)
    assert list(profile.interest_records.not_corrected()) == [correction]
    with pytest.raises(DomainError) as error:
        services.interest_correct(profile=profile, record=slip, level=2, readiness_horizon="now")
    assert error.value.conflict
    assert profile.interest_records.count() == 2


@pytest.mark.django_db
def test_a_self_assessment_is_drafted_then_completed_once_every_dimension_is_rated():
    """Drafts keep partial answers; completing needs all nine; a completed assessment signals early interest."""
    profile = ClinicianProfileFactory()
    draft = services.self_assessment_save(profile=profile, ratings={Dimension.LEADING_WITH_CARE: 2})

    with pytest.raises(DomainError, match="Still to do: Inspiring shared purpose"):
        services.self_assessment_complete(assessment=draft)

    services.self_assessment_save(profile=profile, ratings=dict.fromkeys(Dimension.values, 3))
    completed = services.self_assessment_complete(assessment=draft)

    assert completed.status == "completed" and completed.completed_at is not None
    assert completed.ratings.count() == 9
    assert EarlyInterestSignal.objects.filter(kind=SignalKind.SELF_ASSESSMENT_COMPLETED).count() == 1
    with pytest.raises(DomainError) as again:
        services.self_assessment_complete(assessment=completed)
    assert again.value.conflict


@pytest.mark.django_db
def test_experience_ending_before_it_starts_is_refused():
    """An end date before the start date is an error on the end date."""
    profile = ClinicianProfileFactory()

    with pytest.raises(DomainError) as error:
        services.experience_save(
            profile=profile,
            role="Clinical lead",
            organisation="Trust",
            level="team",
            start_date=date(2024, 5, 1),
            end_date=date(2024, 4, 30),
        )

    assert error.value.field == "end_date"
    assert profile.experiences.count() == 0


@pytest.mark.django_db
def test_deleting_an_account_removes_personal_data_keeps_counts_and_frees_the_email():
    """After deletion nothing identifies the person, the profile still counts, and the email can sign up again."""
    profile = ClinicianProfileFactory()
    user = profile.user
    email = user.email
    services.interest_record(profile=profile, level=2, readiness_horizon="now", note="Private thoughts")
    services.experience_save(
        profile=profile, role="Lead", organisation="Trust", level="team", start_date=date(2023, 1, 1)
    )
    services.equality_monitoring_save(profile=profile, answers={"sex": "female"})

    services.clinician_account_delete(user=user)

    user.refresh_from_db()
    profile.refresh_from_db()
    assert user.email != email and user.full_name == "Deleted clinician" and not user.is_active
    assert not user.has_usable_password()
    assert profile.registration_number.startswith("deleted-")
    assert not profile.shares_with_hee and not profile.shares_with_training_body
    assert profile.experiences.count() == 0
    assert not hasattr(profile, "equality_monitoring") or profile.equality_monitoring is None
    assert profile.interest_records.get().note == ""
    assert ClinicianProfile.objects.count() == 1
    assert User.objects.filter(email=email).count() == 0


@settings(max_examples=200, deadline=None)
@given(
    profession=st.sampled_from(Profession.values),
    stage=st.sampled_from(CareerStage.values),
    years_ago=st.integers(min_value=0, max_value=60),
)
def test_early_career_follows_the_design_rule(profession, stage, years_ago):
    """Property: early career iff in a training grade of one's own profession (a doctor in foundation, core or
    specialty training, a dentist in dental foundation, core or specialty training, a foundation trainee pharmacist),
    or registered within 5 years."""
    today = NOW.date()
    profile = ClinicianProfile(
        profession=profession, career_stage=stage, first_registration_year=today.year - years_ago
    )

    in_training = (profession, stage) in {
        (Profession.DOCTOR, "foundation"),
        (Profession.DOCTOR, "core_training"),
        (Profession.DOCTOR, "specialty_training"),
        (Profession.DENTIST, "dental_foundation"),
        (Profession.DENTIST, "dental_core_training"),
        (Profession.DENTIST, "dental_specialty_training"),
        (Profession.PHARMACIST, "foundation_pharmacist"),
    }
    assert profile.is_early_career_on(today) == (in_training or years_ago <= 5)


@pytest.mark.django_db
def test_early_career_years_come_from_settings(settings):
    """EARLY_CAREER_YEARS moves the boundary."""
    settings.EARLY_CAREER_YEARS = 2
    profile = ClinicianProfile(
        profession=Profession.NURSE, career_stage=CareerStage.BAND_5, first_registration_year=NOW.year - 3
    )

    assert not profile.is_early_career_on(NOW.date())
    settings.EARLY_CAREER_YEARS = 3
    assert profile.is_early_career_on(NOW.date())


@pytest.mark.django_db
def test_only_crossing_into_exploring_is_an_early_interest_signal():
    """Going from Exploring to Actively developing to Ready adds nothing; dropping back and rising again does."""
    profile = ClinicianProfileFactory()
    for level in (2, 3, 4, 1, 2):
        services.interest_record(profile=profile, level=level, readiness_horizon="now")

    assert EarlyInterestSignal.objects.filter(profile=profile).count() == 2


@pytest.mark.django_db
def test_consent_for_a_training_body_needs_one_and_is_recorded_per_body(training_body, other_training_body):
    """Consent with no training body is not stored as given; each body's consent is its own dated event."""
    profile = services.profile_create(
        user=ClinicianFactory(), details=details(training_body=None, shares_with_training_body=True)
    )
    assert profile.shares_with_training_body is False

    services.profile_update(profile=profile, details=details(training_body=training_body))
    services.profile_update(profile=profile, details=details(training_body=other_training_body))

    events = profile.consent_events.filter(recipient="training_body").order_by("created_at", "pk")
    assert [(event.training_body, event.granted) for event in events] == [
        (None, False),
        (training_body, True),
        (other_training_body, True),
    ]


@pytest.mark.django_db
def test_interest_and_consent_history_cannot_be_rewritten():
    """History rows are append-only."""
    profile = ClinicianProfileFactory()
    record = services.interest_record(profile=profile, level=1, readiness_horizon="now")

    record.level = 4
    with pytest.raises(Exception, match="cannot be changed"):
        record.save()
    with pytest.raises(Exception, match="cannot be deleted"):
        record.delete()


@pytest.mark.django_db
def test_changing_register_removes_the_revalidation_record_of_the_old_one(training_body):
    """A nurse who becomes a midwife stays on the NMC and keeps the record; a record of the NMC cycle and confirmer
    means nothing for a doctor's GMC revalidation, so changing register removes it."""
    from regulators.models import RevalidationRecord

    profile = services.profile_create(user=ClinicianFactory(), details=details(training_body=training_body))
    RevalidationRecord.objects.create(
        profile=profile, regulator=profile.regulator, next_due_on=date(2027, 3, 1), confirmer="A Confirmer"
    )
    services.profile_update(profile=profile, details=details(profession=Profession.MIDWIFE))
    assert RevalidationRecord.objects.filter(profile=profile).exists()

    services.profile_update(
        profile=profile,
        details=details(profession=Profession.DOCTOR, registration_number="7654321", career_stage="consultant_gp"),
    )
    assert not RevalidationRecord.objects.filter(profile=profile).exists()
