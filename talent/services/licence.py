"""Licence plans: the only place a clinician's licence plan is written. Each choice is a new dated row (the history
is the list of rows) and an audit event, in one transaction, so a refused choice writes nothing."""

from django.db import transaction

from accounts.audit import audit_record
from accounts.models import User
from accounts.permissions import Permission, user_can
from config.errors import DomainError
from talent.models import LICENCE_PLAN_NOTE_MAX_LENGTH, ClinicianProfile, LicencePlan, LicencePlanChoice


@transaction.atomic
def licence_plan_record(*, profile: ClinicianProfile, choice: str, note: str = "", actor: User) -> LicencePlan:
    """Record the clinician's licence plan now. Only the clinician records their own."""
    if not user_can(actor, Permission.KEEP_LICENCE_PLAN) or profile.user_id != actor.pk:
        raise DomainError("Only the clinician can record their licence plan.")
    if choice not in LicencePlanChoice.values:
        raise DomainError("Choose what you plan to do about your licence", field="choice")
    note = (note or "").strip()
    if len(note) > LICENCE_PLAN_NOTE_MAX_LENGTH:
        raise DomainError(f"Your note must be {LICENCE_PLAN_NOTE_MAX_LENGTH} characters or fewer", field="note")
    # The profile row is locked so two saves at once are recorded one after the other, in the order they happened.
    ClinicianProfile.objects.select_for_update().filter(pk=profile.pk).first()
    plan = LicencePlan.objects.create(profile=profile, choice=choice, note=note, recorded_by=actor)
    audit_record(actor=actor, action="licence_plan.recorded", subject=plan, detail={"choice": choice})
    return plan


def licence_plans_erase(*, profile: ClinicianProfile) -> int:
    """Deleting an account removes the clinician's own words; the choices stay, as the other anonymous facts do."""
    return LicencePlan.objects.filter(profile=profile).exclude(note="").update(note="")
