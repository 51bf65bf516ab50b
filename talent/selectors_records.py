"""Reads of a clinician's own experience, qualifications and equality answers, always scoped to their profile."""

from django.db.models import F, QuerySet
from django.http import Http404

from talent.models import ClinicianProfile, EqualityMonitoring, LeadershipExperience, Qualification


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
