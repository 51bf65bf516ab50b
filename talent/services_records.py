"""Writes for the clinician's own records that talent.services does not cover: deleting experience and
qualifications."""

from django.db import transaction

from config.errors import DomainError
from talent.models import ClinicianProfile, LeadershipExperience, Qualification


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
