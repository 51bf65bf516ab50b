"""Reads of clinicians' data, always scoped to the user asking (DESIGN.md section 3)."""

from datetime import datetime

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.http import Http404

from accounts.models import Role, User
from talent.models import (
    INTEREST_CORRECTION_WINDOW,
    AssessmentStatus,
    ClinicianProfile,
    EqualityMonitoring,
    InterestRecord,
    LeadershipExperience,
    Qualification,
    SelfAssessment,
)


def profile_of(user: User) -> ClinicianProfile | None:
    """The signed-in clinician's own profile, or None before onboarding."""
    if not user.is_authenticated or user.role != Role.CLINICIAN:
        return None
    return (
        ClinicianProfile.objects.select_related("regulator", "region", "training_body", "requested_training_body")
        .filter(user=user)
        .first()
    )


TRAINING_BODY = "training_body"
HEE = "hee"


def records_shared_with(user: User) -> str | None:
    """Whose consent lets this user see clinicians' records: their training body's (TRAINING_BODY, for its admins) or
    HEE's (HEE, for HEE staff); None for everyone else. Pages say so, and `clinicians_visible_to` scopes by it."""
    if not user.is_authenticated:
        return None
    if user.role == Role.TRAINING_BODY_ADMIN:
        return TRAINING_BODY
    if user.role == Role.HEE_STAFF:
        return HEE
    return None


def clinicians_visible_to(user: User) -> QuerySet[ClinicianProfile]:
    """Clinicians whose records this user may list or open.

    Training-body admins: consenting clinicians of the bodies they administer. HEE staff: clinicians who consented to
    share with HEE, within their region when they are regional. Everyone else: none (clinicians see only themselves,
    through profile_of).
    """
    base = ClinicianProfile.objects.filter(account_active=True).select_related(
        "user", "regulator", "region", "training_body"
    )
    shared_with = records_shared_with(user)
    if shared_with == TRAINING_BODY:
        return base.filter(shares_with_training_body=True, training_body__memberships__user=user)
    if shared_with == HEE:
        visible = base.filter(shares_with_hee=True)
        if user.hee_region_id:
            visible = visible.filter(region_id=user.hee_region_id)
        return visible
    return ClinicianProfile.objects.none()


def clinician_for(user: User, profile_id) -> ClinicianProfile:
    """One clinician the user may see; 404 otherwise, so existence never leaks."""
    profile = clinicians_visible_to(user).filter(pk=profile_id).first()
    if profile is None:
        raise Http404("No such clinician.")
    return profile


def interest_records_marked() -> QuerySet[InterestRecord]:
    """Interest records with their target roles and ``is_corrected`` (a later record corrects it)."""
    return InterestRecord.objects.prefetch_related("target_roles").annotate(
        is_corrected=Exists(InterestRecord.objects.filter(corrects=OuterRef("pk")))
    )


def interest_timeline(profile: ClinicianProfile) -> QuerySet[InterestRecord]:
    """Newest first, each marked corrected or not."""
    return interest_records_marked().filter(profile=profile).order_by("-recorded_at")


def interest_correction_refusal(*, record: InterestRecord, now: datetime, latest_id=None) -> str | None:
    """Why this record can no longer be corrected, in the clinician's words, or None if it can. Only the latest
    record (``latest_id`` when the caller has it already), within INTEREST_CORRECTION_WINDOW of when it was
    recorded."""
    if latest_id is None:
        later = InterestRecord.objects.filter(profile_id=record.profile_id, recorded_at__gt=record.recorded_at)
        corrected = InterestRecord.objects.filter(corrects=record)
        is_latest = not (later.exists() or corrected.exists())
    else:
        is_latest = latest_id == record.pk
    if not is_latest:
        return "You can only correct your latest entry. To change your interest now, record a change."
    if now - record.recorded_at > INTEREST_CORRECTION_WINDOW:
        return (
            "You can only correct an entry in the 24 hours after you recorded it. To change your interest now, "
            "record a change."
        )
    return None


def interest_record_of(profile: ClinicianProfile, record_id) -> InterestRecord:
    """One of the clinician's own interest records; 404 for anyone else's, so existence never leaks."""
    record = interest_timeline(profile).select_related("profile").filter(pk=record_id).first()
    if record is None:
        raise Http404("No such interest record.")
    return record


def interest_record_is_corrected(record: InterestRecord) -> bool:
    """Whether a later record corrects this one (for a record read without `interest_timeline`'s annotation)."""
    return InterestRecord.objects.filter(corrects=record).exists()


def completed_assessments(profile: ClinicianProfile) -> QuerySet[SelfAssessment]:
    return (
        profile.self_assessments.filter(status=AssessmentStatus.COMPLETED)
        .prefetch_related(Prefetch("ratings"))
        .order_by("-completed_at")
    )


def latest_completed_assessment(profile: ClinicianProfile) -> SelfAssessment | None:
    return completed_assessments(profile).first()


def draft_assessment(profile: ClinicianProfile) -> SelfAssessment | None:
    return profile.self_assessments.filter(status=AssessmentStatus.DRAFT).prefetch_related("ratings").first()


def own_assessments(profile: ClinicianProfile) -> QuerySet[SelfAssessment]:
    """The clinician's own self-assessments, drafts and completed, newest first, with their ratings."""
    return profile.self_assessments.prefetch_related("ratings").order_by("-created_at", "-pk")


def with_clinician_record(clinicians: QuerySet[ClinicianProfile]) -> QuerySet[ClinicianProfile]:
    """Already-scoped clinicians with what their record page shows (never equality data), in a fixed number of
    queries: interest history with target roles, the latest completed self-assessment, experience, qualifications."""
    return clinicians.prefetch_related(
        Prefetch("interest_records", queryset=interest_records_marked()),
        Prefetch(
            "self_assessments",
            queryset=SelfAssessment.objects.filter(status=AssessmentStatus.COMPLETED)
            .prefetch_related("ratings")
            .order_by("-completed_at")[:1],
            to_attr="completed_assessments",
        ),
        "experiences",
        "qualifications",
    )


def experiences_of(profile: ClinicianProfile) -> QuerySet[LeadershipExperience]:
    return LeadershipExperience.objects.filter(profile=profile).order_by("-start_date", "role")


def experience_of(profile: ClinicianProfile, experience_id) -> LeadershipExperience:
    """One of the clinician's own roles; 404 for anyone else's, so existence never leaks."""
    experience = experiences_of(profile).filter(pk=experience_id).first()
    if experience is None:
        raise Http404("No such leadership role.")
    return experience


def qualifications_of(profile: ClinicianProfile) -> QuerySet[Qualification]:
    return Qualification.objects.filter(profile=profile).order_by(F("year_awarded").desc(nulls_last=True), "title")


def qualification_of(profile: ClinicianProfile, qualification_id) -> Qualification:
    """One of the clinician's own qualifications; 404 for anyone else's."""
    qualification = qualifications_of(profile).filter(pk=qualification_id).first()
    if qualification is None:
        raise Http404("No such qualification.")
    return qualification


def equality_monitoring_of(profile: ClinicianProfile) -> EqualityMonitoring | None:
    """The clinician's own equality answers. Nobody else ever reads them one person at a time."""
    return EqualityMonitoring.objects.filter(profile=profile).first()
