"""Who belongs to a training body. A clinician's choice of body is a request until an admin of that body confirms
it; only then do they appear in the body's lists, nudges, nominations and figures (which all read
`ClinicianProfile.training_body`). An admin can also take a clinician off the body, waiting or confirmed."""

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import TrainingBody, User
from accounts.outbox import outbox_add
from accounts.permissions import Permission, user_can
from config.errors import DomainError
from talent.models import ClinicianProfile, ConsentRecipient
from talent.services.clinicians import consent_set, training_body_choose
from talent.services.nominations import nominations_withdraw_on_leaving


def _check_admin_of(actor: User, training_body: TrainingBody) -> None:
    if not user_can(actor, Permission.MANAGE_MEMBERS) or not training_body.memberships.filter(user=actor).exists():
        raise DomainError("Only the admins of a training body can change who belongs to it.")


@transaction.atomic
def training_body_members_confirm(*, actor: User, training_body: TrainingBody, profile_ids: Iterable) -> int:
    """Confirm the given clinicians' requests to join the body. Ids that no longer name a request to this body (the
    clinician changed their mind, another admin got there first) are left alone. Returns how many were confirmed."""
    _check_admin_of(actor, training_body)
    profiles = list(
        ClinicianProfile.objects.select_for_update()
        .filter(requested_training_body=training_body, pk__in=list(profile_ids))
        .order_by("pk")
    )
    now = timezone.now()
    ClinicianProfile.objects.filter(pk__in=[profile.pk for profile in profiles]).update(
        training_body=training_body,
        training_body_confirmed_at=now,
        training_body_confirmed_by=actor,
        requested_training_body=None,
        training_body_requested_at=None,
        updated_at=now,
    )
    for profile in profiles:
        audit_record(
            actor=actor,
            action="training_body.member_confirmed",
            subject=profile,
            detail={"training_body": training_body.slug},
        )
    return len(profiles)


@transaction.atomic
def training_body_member_remove(*, actor: User, training_body: TrainingBody, profile: ClinicianProfile) -> None:
    """Take a clinician off the body, whether confirmed or still waiting. Their profile keeps no body, their consent
    to share with it ends with it, and they are told by email."""
    _check_admin_of(actor, training_body)
    profile = ClinicianProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    was_member = profile.training_body_id == training_body.pk
    if not was_member and profile.requested_training_body_id != training_body.pk:
        raise DomainError(f"This clinician no longer belongs to {training_body.name}.")
    training_body_choose(profile=profile, training_body=None, now=timezone.now())
    withdrawn = (
        nominations_withdraw_on_leaving(profile=profile, training_body_id=training_body.pk, actor=actor)
        if was_member
        else 0
    )
    profile.save(
        update_fields=[
            "training_body",
            "training_body_confirmed_at",
            "training_body_confirmed_by",
            "requested_training_body",
            "training_body_requested_at",
            "updated_at",
        ]
    )
    consent_set(profile=profile, recipient=ConsentRecipient.TRAINING_BODY, granted=False)
    event = audit_record(
        actor=actor,
        action="training_body.member_removed",
        subject=profile,
        detail={"training_body": training_body.slug, "was": "confirmed" if was_member else "waiting"},
    )
    user = profile.user
    if user.is_active:
        outbox_add(
            key=f"training_body_member_removed:{event.pk}",
            kind="training_body_member_removed",
            to=user.email,
            context={
                "recipient_name": user.full_name,
                "training_body_name": training_body.name,
                "was_member": was_member,
                "nominations_withdrawn": withdrawn,
                "path": reverse("talent:show_profile"),
            },
        )
