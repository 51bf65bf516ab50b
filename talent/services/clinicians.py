"""Writes for the clinician's side: profile, consents, interest, self-assessment, experience, qualifications,
equality monitoring, early-interest signals, and the clinician's data rights."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from knox.models import AuthToken

from accounts.audit import audit_record
from accounts.models import Region, TrainingBody, User
from accounts.permissions import Permission, user_can
from accounts.services import account_copy_to_profile, api_tokens_revoke
from config.errors import DomainError
from pathways.models import LeadershipRole
from regulators.models import Profession, Regulator
from regulators.services import revalidation_record_erase
from talent.models import (
    FIRST_REGISTRATION_EARLIEST_YEAR,
    AssessmentStatus,
    CareerStage,
    ClinicianProfile,
    ConsentEvent,
    ConsentRecipient,
    Dimension,
    EarlyInterestSignal,
    EqualityMonitoring,
    InterestLevel,
    InterestRecord,
    LeadershipExperience,
    NominationState,
    OnboardingDraft,
    Qualification,
    SelfAssessment,
    SelfAssessmentRating,
    SignalKind,
    appointment_latest_start,
    career_stages_for,
    interest_contradictions,
    organisation_key,
)
from talent.selectors.clinicians import interest_correction_refusal
from talent.services.feedback import feedback_rounds_erase
from talent.services.followups import follow_ups_close_on_consent
from talent.services.licence import licence_plans_erase
from talent.services.mentoring import mentoring_erase
from talent.services.nominations import nominations_withdraw_on_leaving
from talent.services.plans import plan_erase


def _domain_error_from(error: ValidationError) -> DomainError:
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        return DomainError(errors[0].messages[0], field=None if field == "__all__" else field)
    return DomainError(error.messages[0])


def regulator_for_profession(profession: str) -> Regulator:
    """Each profession has exactly one regulator (the reference data guarantees it)."""
    for regulator in Regulator.objects.all():
        if profession in regulator.professions:
            return regulator
    raise DomainError("Choose a profession from the list.", field="profession")


@dataclass(frozen=True)
class ProfileDetails:
    """What onboarding collects about a clinician."""

    profession: str
    registration_number: str
    first_registration_year: int
    career_stage: str
    region: Region
    specialty_training_year: int | None = None
    specialty: str = ""
    employer_name: str = ""
    employer_ods_code: str = ""
    training_body: TrainingBody | None = None
    shares_with_training_body: bool = False
    shares_with_hee: bool = False


def _check_details(details: ProfileDetails, *, today: date) -> tuple[Regulator, str]:
    regulator = regulator_for_profession(details.profession)
    try:
        number = regulator.validate_registration_number(details.registration_number, profession=details.profession)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="registration_number") from error
    if not FIRST_REGISTRATION_EARLIEST_YEAR <= details.first_registration_year <= today.year:
        raise DomainError(
            f"Year of first registration must be between {FIRST_REGISTRATION_EARLIEST_YEAR} and {today.year}.",
            field="first_registration_year",
        )
    if not details.employer_name.strip():
        raise DomainError("Enter the name of your employer", field="employer_name")
    if details.career_stage not in career_stages_for(details.profession):
        raise DomainError(
            "Choose a doctor's grade."
            if details.profession == Profession.DOCTOR
            else "Choose your training grade or Agenda for Change band, or “Not on Agenda for Change”.",
            field="career_stage",
        )
    if details.career_stage == CareerStage.SPECIALTY_TRAINING and not details.specialty_training_year:
        raise DomainError("Enter your specialty training year, from 1 to 8.", field="specialty_training_year")
    return regulator, number


def training_body_choose(*, profile: ClinicianProfile, training_body: TrainingBody | None, now: datetime) -> None:
    """Set (unsaved) the body the clinician says they belong to. The body they already belong to, or already asked
    to join, is kept as it is; any other body is a new request, and leaves the old body at once."""
    if training_body is not None and training_body.pk in (profile.training_body_id, profile.requested_training_body_id):
        return
    profile.training_body = None
    profile.training_body_confirmed_at = None
    profile.training_body_confirmed_by = None
    profile.requested_training_body = training_body
    profile.training_body_requested_at = now if training_body is not None else None


def _apply_details(profile: ClinicianProfile, details: ProfileDetails, regulator: Regulator, number: str) -> None:
    profile.profession = details.profession
    profile.regulator = regulator
    profile.registration_number = number
    profile.first_registration_year = details.first_registration_year
    profile.career_stage = details.career_stage
    profile.specialty_training_year = (
        details.specialty_training_year if details.career_stage == CareerStage.SPECIALTY_TRAINING else None
    )
    profile.specialty = details.specialty.strip()
    profile.employer_name = details.employer_name.strip()
    profile.employer_ods_code = details.employer_ods_code.strip().upper()
    profile.region = details.region
    training_body_choose(profile=profile, training_body=details.training_body, now=timezone.now())


def _save_profile(profile: ClinicianProfile) -> None:
    taken = (
        ClinicianProfile.objects.filter(regulator=profile.regulator, registration_number=profile.registration_number)
        .exclude(pk=profile.pk)
        .exists()
    )
    if taken:
        # Deliberately says nothing about whose number it is.
        raise DomainError(
            "This registration number is already used by another account. Check the number, or contact us if it "
            "is yours.",
            field="registration_number",
        )
    try:
        profile.full_clean(exclude=["user"])
    except ValidationError as error:
        raise _domain_error_from(error) from error
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as error:  # a concurrent save took the number between the check and the write
        raise DomainError(
            "This registration number is already used by another account.", field="registration_number"
        ) from error


@transaction.atomic
def profile_create(*, user: User, details: ProfileDetails, today: date | None = None) -> ClinicianProfile:
    """Create the clinician's profile from confirmed onboarding answers, with its first consent records."""
    if not user_can(user, Permission.EDIT_OWN_PROFILE):
        raise DomainError("Only clinicians have a clinician profile.")
    # Lock the account: a double-submitted "Confirm and save" waits here, then finds the profile made; and a change
    # of the account's name or active flag waits too, so the copy taken here stays right (account_copy_to_profile).
    account = User.objects.select_for_update().filter(pk=user.pk).values("full_name", "is_active").get()
    if ClinicianProfile.objects.filter(user=user).exists():
        raise DomainError("You already have a profile. Change it from your profile page.")
    regulator, number = _check_details(details, today=today or timezone.localdate())
    profile = ClinicianProfile(user=user, full_name=account["full_name"], account_active=account["is_active"])
    _apply_details(profile, details, regulator, number)
    _save_profile(profile)
    consent_set(profile=profile, recipient=ConsentRecipient.TRAINING_BODY, granted=details.shares_with_training_body)
    consent_set(profile=profile, recipient=ConsentRecipient.HEE, granted=details.shares_with_hee)
    # The answers are in the profile now; the draft they were kept in until confirmed goes with the same commit.
    OnboardingDraft.objects.filter(user=user).delete()
    audit_record(actor=user, action="profile.created", subject=profile)
    return profile


@transaction.atomic
def profile_update(
    *, profile: ClinicianProfile, details: ProfileDetails, today: date | None = None
) -> ClinicianProfile:
    regulator, number = _check_details(details, today=today or timezone.localdate())
    profile = ClinicianProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.regulator_id != regulator.pk:
        # The revalidation record belongs to the old register (its cycle, its responsible officer or confirmer).
        revalidation_record_erase(profile=profile)
    member_of = profile.training_body_id
    _apply_details(profile, details, regulator, number)
    _save_profile(profile)
    if member_of is not None and profile.training_body_id != member_of:
        nominations_withdraw_on_leaving(profile=profile, training_body_id=member_of, actor=profile.user)
    consent_set(profile=profile, recipient=ConsentRecipient.TRAINING_BODY, granted=details.shares_with_training_body)
    consent_set(profile=profile, recipient=ConsentRecipient.HEE, granted=details.shares_with_hee)
    audit_record(actor=profile.user, action="profile.updated", subject=profile)
    return profile


CONSENT_FIELDS = {
    ConsentRecipient.TRAINING_BODY: "shares_with_training_body",
    ConsentRecipient.HEE: "shares_with_hee",
}


@transaction.atomic
def consent_set(*, profile: ClinicianProfile, recipient: str, granted: bool) -> ClinicianProfile:
    """Grant or withdraw one consent, keeping a dated event whenever the answer, or the training body it is for,
    changes. Consent to share with a training body needs a training body."""
    recipient = ConsentRecipient(recipient)
    field = CONSENT_FIELDS[recipient]
    # Consent is to the body the clinician chose, confirmed or not: it is what lets that body list them once it has.
    body = profile.chosen_training_body if recipient == ConsentRecipient.TRAINING_BODY else None
    if recipient == ConsentRecipient.TRAINING_BODY and body is None:
        granted = False
    last = profile.consent_events.filter(recipient=recipient).order_by("-created_at", "-pk").first()
    if last is None or last.granted != granted or last.training_body_id != getattr(body, "pk", None):
        ConsentEvent.objects.create(profile=profile, recipient=recipient, granted=granted, training_body=body)
    if getattr(profile, field) != granted:
        setattr(profile, field, granted)
        ClinicianProfile.objects.filter(pk=profile.pk).update(**{field: granted, "updated_at": timezone.now()})
    if recipient == ConsentRecipient.TRAINING_BODY:
        follow_ups_close_on_consent(profile=profile, shared_body_id=body.pk if granted else None)
    return profile


def early_interest_signal_record(
    *, profile: ClinicianProfile, kind: str, detail: dict | None = None
) -> EarlyInterestSignal | None:
    """Record an early-interest signal; DESIGN.md: signals come only from early-career clinicians (None otherwise)."""
    if not profile.is_early_career:
        return None
    return EarlyInterestSignal.objects.create(profile=profile, kind=kind, detail=detail or {})


def _interest_append(
    *,
    profile: ClinicianProfile,
    level: int,
    readiness_horizon: str,
    target_roles: Iterable[LeadershipRole],
    note: str,
    previous_level: int | None,
    corrects: InterestRecord | None = None,
) -> InterestRecord:
    """Append a record (the profile locked by the caller) and make it the profile's current interest."""
    target_roles = list(target_roles)
    problems = interest_contradictions(
        level=level, readiness_horizon=readiness_horizon, has_target_roles=bool(target_roles)
    )
    if problems:
        field, message = next(iter(problems.items()))
        raise DomainError(message, field=field)
    record = InterestRecord(
        profile=profile, level=level, readiness_horizon=readiness_horizon, note=note.strip(), corrects=corrects
    )
    try:
        record.full_clean(exclude=["profile", "corrects"])
    except ValidationError as error:
        raise _domain_error_from(error) from error
    record.save()
    record.target_roles.set(target_roles)
    profile.current_interest_level = level
    profile.current_readiness_horizon = readiness_horizon
    profile.save(update_fields=["current_interest_level", "current_readiness_horizon", "updated_at"])
    rose_to_exploring = level >= InterestLevel.EXPLORING and (
        previous_level is None or previous_level < InterestLevel.EXPLORING
    )
    if rose_to_exploring:
        early_interest_signal_record(
            profile=profile, kind=SignalKind.INTEREST_RAISED, detail={"level": level, "previous_level": previous_level}
        )
    return record


@transaction.atomic
def interest_record(
    *,
    profile: ClinicianProfile,
    level: int,
    readiness_horizon: str,
    target_roles: Iterable[LeadershipRole] = (),
    note: str = "",
) -> InterestRecord:
    """Append a dated interest record and make it the profile's current interest. "Not now" with a horizon within
    3 years or with target roles contradicts itself and is refused (`interest_contradictions`)."""
    profile = ClinicianProfile.objects.select_for_update().get(pk=profile.pk)
    previous_level = profile.current_interest_level if profile.interest_records.exists() else None
    return _interest_append(
        profile=profile,
        level=level,
        readiness_horizon=readiness_horizon,
        target_roles=target_roles,
        note=note,
        previous_level=previous_level,
    )


@transaction.atomic
def interest_correct(
    *,
    profile: ClinicianProfile,
    record: InterestRecord,
    level: int,
    readiness_horizon: str,
    target_roles: Iterable[LeadershipRole] = (),
    note: str = "",
) -> InterestRecord:
    """Correct the clinician's latest interest record within 24 hours: a new record that names the one it corrects,
    so the history keeps both (the earlier one marked as corrected) and the correction becomes the current interest.
    A signal is owed as if the corrected record had never been made (a rise against the level before it), unless the
    corrected record already made it; one it made stays (its nudge may have gone)."""
    profile = ClinicianProfile.objects.select_for_update().get(pk=profile.pk)
    record = InterestRecord.objects.select_related("profile").get(pk=record.pk, profile=profile)
    refusal = interest_correction_refusal(record=record, now=timezone.now())
    if refusal is not None:
        raise DomainError(refusal, conflict=True)
    before = (
        profile.interest_records.filter(recorded_at__lt=record.recorded_at)
        .order_by("-recorded_at", "-pk")
        .values_list("level", flat=True)
        .first()
    )
    corrected = _interest_append(
        profile=profile,
        level=level,
        readiness_horizon=readiness_horizon,
        target_roles=target_roles,
        note=note,
        previous_level=before if record.level < InterestLevel.EXPLORING else record.level,
        corrects=record,
    )
    audit_record(actor=profile.user, action="interest.corrected", subject=corrected)
    return corrected


def _ratings_check(ratings: dict[str, int]) -> None:
    unknown = set(ratings) - set(Dimension.values)
    if unknown:
        raise DomainError(f"Unknown dimensions: {', '.join(sorted(unknown))}.")
    if any(value not in (1, 2, 3, 4) for value in ratings.values()):
        raise DomainError("Each rating must be Essential, Proficient, Strong or Exemplary.")


@transaction.atomic
def self_assessment_save(*, profile: ClinicianProfile, ratings: dict[str, int]) -> SelfAssessment:
    """Save answers to the clinician's draft (starting one if needed). Unanswered dimensions stay unanswered."""
    _ratings_check(ratings)
    assessment, _ = SelfAssessment.objects.select_for_update().get_or_create(
        profile=profile, status=AssessmentStatus.DRAFT
    )
    for dimension, rating in ratings.items():
        SelfAssessmentRating.objects.update_or_create(
            assessment=assessment, dimension=dimension, defaults={"rating": rating}
        )
    assessment.save(update_fields=["updated_at"])
    return assessment


@transaction.atomic
def self_assessment_complete(*, assessment: SelfAssessment) -> SelfAssessment:
    """Complete a draft once every dimension is rated. Completed assessments are kept unchanged."""
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.DRAFT:
        raise DomainError("This self-assessment is already complete.", conflict=True)
    rated = set(assessment.ratings.values_list("dimension", flat=True))
    missing = [Dimension(d).label for d in Dimension.values if d not in rated]
    if missing:
        raise DomainError(f"Rate every dimension before you finish. Still to do: {', '.join(missing)}.")
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = timezone.now()
    assessment.save(update_fields=["status", "completed_at", "updated_at"])
    early_interest_signal_record(
        profile=assessment.profile, kind=SignalKind.SELF_ASSESSMENT_COMPLETED, detail={"assessment": str(assessment.pk)}
    )
    return assessment


def _save_owned(instance, *, exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise _domain_error_from(error) from error
    instance.save()


def _overlapping_role(
    profile: ClinicianProfile, experience: LeadershipExperience, organisation: str, start: date, end: date | None
) -> LeadershipExperience | None:
    """Another of the clinician's roles at the same organisation (case and spacing aside) whose dates share a day
    with these, an open end running on for ever. The role being changed is not compared with itself."""
    key = organisation_key(organisation)
    others = LeadershipExperience.objects.filter(profile=profile).exclude(pk=experience.pk).order_by("start_date")
    for other in others:
        if organisation_key(other.organisation) != key:
            continue
        if (other.end_date is None or start <= other.end_date) and (end is None or other.start_date <= end):
            return other
    return None


def _dates(experience: LeadershipExperience) -> str:
    start = date_format(experience.start_date, "j F Y")
    if experience.end_date is None:
        return f"from {start}, with no end date"
    return f"from {start} to {date_format(experience.end_date, 'j F Y')}"


@transaction.atomic
def experience_save(
    *,
    profile: ClinicianProfile,
    experience: LeadershipExperience | None = None,
    role: str,
    organisation: str,
    level: str,
    start_date: date,
    end_date: date | None = None,
) -> LeadershipExperience:
    """Add or change one of the clinician's leadership roles (their recorded appointments). A role ends on or after
    its start, starts at most a year from today, and does not overlap another of theirs at the same organisation."""
    if end_date and end_date < start_date:
        raise DomainError("End date must be the same as or after the start date", field="end_date")
    if start_date > appointment_latest_start(timezone.localdate()):
        raise DomainError("Start date must be no more than a year from today", field="start_date")
    experience = experience or LeadershipExperience(profile=profile)
    if experience.profile_id != profile.pk:
        raise DomainError("Not found.")
    # One change to a clinician's roles at a time, so two overlapping roles saved together cannot both pass.
    ClinicianProfile.objects.select_for_update().filter(pk=profile.pk).values_list("pk", flat=True).first()
    other = _overlapping_role(profile, experience, organisation, start_date, end_date)
    if other is not None:
        raise DomainError(
            f"These dates overlap your role as {other.role} at {other.organisation} ({_dates(other)}). "
            "Change the dates, or change that role instead",
            field="start_date",
        )
    experience.role, experience.organisation, experience.level = role.strip(), organisation.strip(), level
    experience.start_date, experience.end_date = start_date, end_date
    _save_owned(experience, exclude=["profile"])
    return experience


@transaction.atomic
def qualification_save(
    *,
    profile: ClinicianProfile,
    qualification: Qualification | None = None,
    kind: str,
    title: str,
    awarding_body: str = "",
    year_awarded: int | None = None,
) -> Qualification:
    if year_awarded and year_awarded > timezone.localdate().year:
        raise DomainError("The year awarded must not be in the future.", field="year_awarded")
    qualification = qualification or Qualification(profile=profile)
    if qualification.profile_id != profile.pk:
        raise DomainError("Not found.")
    qualification.kind, qualification.title = kind, title.strip()
    qualification.awarding_body, qualification.year_awarded = awarding_body.strip(), year_awarded
    _save_owned(qualification, exclude=["profile"])
    return qualification


@transaction.atomic
def experience_delete(*, profile: ClinicianProfile, experience: LeadershipExperience) -> None:
    """Delete one of the clinician's own leadership roles."""
    if experience.profile_id != profile.pk:
        raise DomainError("Not found.")
    LeadershipExperience.objects.filter(pk=experience.pk, profile=profile).delete()


@transaction.atomic
def qualification_delete(*, profile: ClinicianProfile, qualification: Qualification) -> None:
    """Delete one of the clinician's own qualifications."""
    if qualification.profile_id != profile.pk:
        raise DomainError("Not found.")
    Qualification.objects.filter(pk=qualification.pk, profile=profile).delete()


@transaction.atomic
def equality_monitoring_save(*, profile: ClinicianProfile, answers: dict[str, str]) -> EqualityMonitoring:
    monitoring, _ = EqualityMonitoring.objects.get_or_create(profile=profile)
    for field in ("sex", "age_band", "ethnic_group", "disability", "sexual_orientation", "religion"):
        setattr(monitoring, field, answers.get(field, ""))
    _save_owned(monitoring, exclude=["profile"])
    return monitoring


DELETED_STATEMENT = "Removed when the clinician deleted their account."


@transaction.atomic
def clinician_account_delete(*, user: User) -> None:
    """Remove the clinician's personal data in one transaction.

    Identifying details, free text, experience, qualifications and equality answers go; the anonymous facts that
    feed national counts (profession, stage, region, interest levels, ratings) stay on an anonymised profile, so
    totals stay consistent. The email address is freed, so the person can sign up again.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user_can(user, Permission.DELETE_OWN_ACCOUNT):
        raise DomainError("Only clinician accounts can be deleted here.")
    tombstone = uuid.uuid4().hex
    OnboardingDraft.objects.filter(user=user).delete()
    profile = ClinicianProfile.objects.filter(user=user).first()
    if profile is not None:
        EqualityMonitoring.objects.filter(profile=profile).delete()
        profile.experiences.all().delete()
        profile.qualifications.all().delete()
        feedback_rounds_erase(profile=profile)
        profile.interest_records.update(note="")
        revalidation_record_erase(profile=profile)
        plan_erase(profile=profile)
        licence_plans_erase(profile=profile)
        mentoring_erase(profile=profile)
        # Nominations stay for the counts, without the person's own words; undecided ones are withdrawn so no admin
        # is left deciding about a deleted account.
        now = timezone.now()
        profile.nominations.filter(state__in=[NominationState.PENDING_NOMINEE, NominationState.SUBMITTED]).update(
            state=NominationState.WITHDRAWN, withdrawn_at=now, withdrawn_by=None, updated_at=now
        )
        profile.nominations.update(supporting_statement=DELETED_STATEMENT)
        ClinicianProfile.objects.filter(pk=profile.pk).update(
            registration_number=f"deleted-{tombstone}"[:32],
            employer_name="",
            employer_ods_code="",
            specialty="",
            shares_with_training_body=False,
            shares_with_hee=False,
            training_body=None,
            training_body_confirmed_at=None,
            training_body_confirmed_by=None,
            requested_training_body=None,
            training_body_requested_at=None,
        )
        ConsentEvent.objects.bulk_create(
            [ConsentEvent(profile=profile, recipient=recipient, granted=False) for recipient in ConsentRecipient.values]
        )
    user.email = f"deleted-{tombstone}@deleted.invalid"
    user.full_name = "Deleted clinician"
    user.is_active = False
    user.password = make_password(None)
    user.save(update_fields=["email", "full_name", "is_active", "password"])
    account_copy_to_profile(user=user)
    api_tokens_revoke(
        tokens=AuthToken.objects.filter(user=user).select_related("user"), actor=None, reason="account_deleted"
    )
    audit_record(actor=None, action="account.deleted_by_clinician", subject=user)
