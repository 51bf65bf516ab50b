"""Reads for a training body's admins about who belongs to it: requests to join waiting for them, and the members
they may remove. Scoped to the bodies the admin administers (404 for any other)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import TrainingBody, User
from accounts.selectors import training_body_for_admin
from talent.models import ClinicianProfile
from talent.selectors.clinicians import clinicians_visible_to


def membership_requests_of_body(user: User, slug: str) -> tuple[TrainingBody, QuerySet[ClinicianProfile]]:
    """One of the admin's bodies and the clinicians waiting for it to confirm them, longest waiting first. Only
    what an admin needs to recognise their own trainees is read (name, profession, number, employer)."""
    body = training_body_for_admin(user, slug)
    requests = (
        ClinicianProfile.objects.filter(requested_training_body=body, account_active=True)
        .select_related("regulator", "region")
        .only(
            "id",
            "full_name",
            "profession",
            "regulator__code",
            "registration_number",
            "career_stage",
            "specialty_training_year",
            "employer_name",
            "region__name",
            "training_body_requested_at",
            "requested_training_body",
        )
        .order_by("training_body_requested_at", "pk")
    )
    return body, requests


def member_to_remove(user: User, slug: str, profile_id) -> tuple[TrainingBody, ClinicianProfile]:
    """A clinician the admin may take off one of their bodies: one waiting for the body to confirm them, or a
    confirmed member whose record the admin can see. 404 otherwise, so nobody else's membership leaks."""
    body = training_body_for_admin(user, slug)
    waiting = Q(requested_training_body=body, account_active=True)
    listed = Q(pk__in=clinicians_visible_to(user).filter(training_body=body).values("pk"))
    profile = ClinicianProfile.objects.select_related("regulator").filter(waiting | listed, pk=profile_id).first()
    if profile is None:
        raise Http404("No such member.")
    return body, profile
