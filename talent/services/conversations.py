"""Career conversations (DESIGN.md section 3): a training-body admin records one with a consenting clinician of the
body; the clinician comments and confirms or disputes it once (a dispute keeps their version beside the body's);
a clinician asks their body for one. Recording one answers the clinician's open request and closes their open
follow-up for the body, in the same transaction. Every action is audited; emails go through the outbox.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.audit import audit_record
from accounts.models import Role, User
from accounts.outbox import outbox_add
from accounts.permissions import Permission, user_can
from config.errors import DomainError
from talent.models import (
    AgreedAction,
    CareerConversation,
    ClinicianProfile,
    ConversationRequest,
    ConversationResponse,
    FollowUpOutcome,
)
from talent.selectors import clinicians_visible_to
from talent.services.followups import follow_up_close_by

PARTICIPANTS_MAX_LENGTH = 500
ASPIRATIONS_MAX_LENGTH = 5000
ACTION_DESCRIPTION_MAX_LENGTH = 500
ACTION_OWNER_MAX_LENGTH = 200
ACTIONS_MAX = 10
COMMENT_MAX_LENGTH = 2000
VERSION_MAX_LENGTH = 5000
REQUEST_MESSAGE_MAX_LENGTH = 1000


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: str
    due_on: date | None


def _text(value: str, *, field: str, label: str, max_length: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {label}", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label[0].upper()}{label[1:]} must be {max_length} characters or fewer", field=field)
    return value


def _check_actions(actions: list[ActionInput], held_on: date) -> list[AgreedAction]:
    """Each action with what, who and when; blank rows (a form's spare ones) are left out."""
    checked = []
    if len(actions) > ACTIONS_MAX:
        raise DomainError(f"Record {ACTIONS_MAX} agreed actions or fewer", field="actions")
    for number, action in enumerate(actions, start=1):
        description = (action.description or "").strip()
        owner = (action.owner or "").strip()
        if not description and not owner and action.due_on is None:
            continue
        prefix = f"action_{number}"
        description = _text(
            description,
            field=f"{prefix}_description",
            label=f"what was agreed for action {number}",
            max_length=ACTION_DESCRIPTION_MAX_LENGTH,
            required=True,
        )
        owner = _text(
            owner,
            field=f"{prefix}_owner",
            label=f"who owns action {number}",
            max_length=ACTION_OWNER_MAX_LENGTH,
            required=True,
        )
        if action.due_on is None:
            raise DomainError(f"Enter the date action {number} is due", field=f"{prefix}_due_on")
        if action.due_on < held_on:
            raise DomainError(
                f"Action {number} cannot be due before the conversation took place", field=f"{prefix}_due_on"
            )
        checked.append(
            AgreedAction(position=len(checked) + 1, description=description, owner=owner, due_on=action.due_on)
        )
    return checked


def _body_admins(training_body_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, role=Role.TRAINING_BODY_ADMIN, training_body_memberships__training_body_id=training_body_id
        ).order_by("email")
    )


@transaction.atomic
def conversation_record(
    *,
    user: User,
    profile: ClinicianProfile,
    held_on: date,
    participants: str,
    aspirations: str,
    actions: list[ActionInput],
    next_conversation_on: date | None,
) -> CareerConversation:
    """An admin records a conversation with a consenting clinician of their body. Every rule is checked before
    anything is written, so a refused conversation leaves nothing behind."""
    if not user_can(user, Permission.RECORD_CAREER_CONVERSATIONS):
        raise PermissionDenied("Only training-body admins record career conversations.")
    profile = (
        clinicians_visible_to(user)
        .select_for_update(of=("self",))
        .filter(pk=profile.pk, training_body__isnull=False)
        .first()
    )
    if profile is None:
        raise DomainError(
            "You can record conversations only with clinicians of your training body who share their profile with it.",
            field="clinician",
        )
    today = timezone.localdate()
    if held_on is None:
        raise DomainError("Enter the date of the conversation", field="held_on")
    if held_on > today:
        raise DomainError("The date of the conversation must be today or in the past", field="held_on")
    participants = _text(
        participants, field="participants", label="who took part", max_length=PARTICIPANTS_MAX_LENGTH, required=True
    )
    aspirations = _text(
        aspirations,
        field="aspirations",
        label="the clinician's aspirations",
        max_length=ASPIRATIONS_MAX_LENGTH,
        required=True,
    )
    checked_actions = _check_actions(actions, held_on)
    if next_conversation_on is not None and next_conversation_on < today:
        raise DomainError("The next conversation's date must be today or in the future", field="next_conversation_on")
    conversation = CareerConversation.objects.create(
        profile=profile,
        training_body_id=profile.training_body_id,
        recorded_by=user,
        held_on=held_on,
        participants=participants,
        aspirations=aspirations,
        next_conversation_on=next_conversation_on,
    )
    for action in checked_actions:
        action.conversation = conversation
    AgreedAction.objects.bulk_create(checked_actions)
    answered = ConversationRequest.objects.filter(
        profile=profile, training_body_id=profile.training_body_id, answered_at__isnull=True
    ).update(answered_at=timezone.now(), conversation=conversation)
    follow_up = follow_up_close_by(
        user=user,
        profile=profile,
        training_body_id=profile.training_body_id,
        outcome=FollowUpOutcome.CONVERSATION,
        conversation=conversation,
    )
    audit_record(
        actor=user,
        action="conversation.recorded",
        subject=conversation,
        detail={
            "clinician": str(profile.pk),
            "training_body": profile.training_body_id,
            "actions": len(checked_actions),
            "request_answered": bool(answered),
            "follow_up_closed": str(follow_up.pk) if follow_up else None,
        },
    )
    if profile.user.is_active:
        outbox_add(
            key=f"conversation:{conversation.pk}:recorded",
            kind="conversation_recorded",
            to=profile.user.email,
            context={
                "recipient_name": profile.user.full_name,
                "training_body_name": profile.training_body.name,
                "held_on": date_format(held_on, "j F Y"),
                "path": reverse("talent:show_my_conversation", kwargs={"conversation_id": conversation.pk}),
            },
        )
    return conversation


@transaction.atomic
def conversation_respond(
    *, user: User, conversation: CareerConversation, response: str, comment: str = "", version: str = ""
) -> CareerConversation:
    """The clinician confirms or disputes the body's account, once, with an optional comment; disputing asks for
    their own version, kept beside the body's."""
    if not user_can(user, Permission.HAVE_CAREER_CONVERSATIONS):
        raise PermissionDenied("Only the clinician can confirm or dispute their conversation.")
    locked = (
        CareerConversation.objects.select_for_update(of=("self",))
        .select_related("profile__user", "training_body")
        .filter(pk=conversation.pk, profile__user=user)
        .first()
    )
    if locked is None:
        raise PermissionDenied("This conversation is not yours.")
    if locked.response:
        when = date_format(timezone.localtime(locked.responded_at), "j F Y")
        raise DomainError(f"You already {locked.response} this conversation on {when}.", conflict=True)
    if response not in ConversationResponse.values:
        raise DomainError("Choose whether you confirm or dispute this account", field="response")
    comment = _text(comment, field="comment", label="your comment", max_length=COMMENT_MAX_LENGTH, required=False)
    if response == ConversationResponse.DISPUTED:
        version = _text(
            version,
            field="version",
            label="your account of the conversation",
            max_length=VERSION_MAX_LENGTH,
            required=True,
        )
    else:
        version = ""
    locked.response = response
    locked.clinician_comment = comment
    locked.clinician_version = version
    locked.responded_at = timezone.now()
    locked.save(update_fields=["response", "clinician_comment", "clinician_version", "responded_at"])
    audit_record(actor=user, action=f"conversation.{response}", subject=locked, detail={"commented": bool(comment)})
    path = reverse("talent:show_conversation", kwargs={"conversation_id": locked.pk})
    for admin in _body_admins(locked.training_body_id):
        outbox_add(
            key=f"conversation:{locked.pk}:{response}:{admin.pk}",
            kind="conversation_response",
            to=admin.email,
            context={
                "recipient_name": admin.full_name,
                "clinician_name": locked.profile.user.full_name,
                "disputed": response == ConversationResponse.DISPUTED,
                "held_on": date_format(locked.held_on, "j F Y"),
                "path": path,
            },
        )
    return locked


@transaction.atomic
def conversation_request(*, user: User, message: str = "") -> ConversationRequest:
    """A clinician asks their body for a career conversation; its admins are told. One open request at a time."""
    if not user_can(user, Permission.HAVE_CAREER_CONVERSATIONS):
        raise PermissionDenied("Only clinicians ask for career conversations.")
    profile = (
        ClinicianProfile.objects.select_for_update(of=("self",))
        .select_related("user", "training_body")
        .filter(user=user)
        .first()
    )
    if profile is None:
        raise DomainError("Tell us about yourself before you ask for a conversation.")
    if profile.training_body_id is None:
        raise DomainError("You need a confirmed training body to ask it for a conversation: add yours to your profile.")
    if not profile.shares_with_training_body:
        raise DomainError(
            f"Share your profile with {profile.training_body.name} first, so its admins can see who is asking."
        )
    message = _text(
        message, field="message", label="your message", max_length=REQUEST_MESSAGE_MAX_LENGTH, required=False
    )
    existing = ConversationRequest.objects.filter(
        profile=profile, training_body_id=profile.training_body_id, answered_at__isnull=True
    ).first()
    if existing is not None:
        raise DomainError(
            f"You asked {profile.training_body.name} for a conversation on "
            f"{date_format(timezone.localtime(existing.created_at), 'j F Y')}; they have not recorded one yet.",
            conflict=True,
        )
    try:
        with transaction.atomic():
            request = ConversationRequest.objects.create(
                profile=profile, training_body_id=profile.training_body_id, message=message
            )
    except IntegrityError as error:
        raise DomainError("You have already asked for a conversation.", conflict=True) from error
    audit_record(
        actor=user, action="conversation.requested", subject=request, detail={"training_body": profile.training_body_id}
    )
    path = reverse("talent:list_conversation_requests")
    for admin in _body_admins(profile.training_body_id):
        outbox_add(
            key=f"conversation_request:{request.pk}:{admin.pk}",
            kind="conversation_requested",
            to=admin.email,
            context={
                "recipient_name": admin.full_name,
                "clinician_name": profile.user.full_name,
                "training_body_name": profile.training_body.name,
                "path": path,
            },
        )
    return request
