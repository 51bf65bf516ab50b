"""Reads of career conversations and requests for them, scoped to the asking user: clinicians their own; a
training-body admin those of their bodies with clinicians who share their record with the body; nobody else
(HEE staff never read this free text)."""

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.permissions import Permission, user_can
from talent.models import AgreedAction, CareerConversation, ClinicianProfile, ConversationRequest


def _with_actions(conversations: QuerySet[CareerConversation]) -> QuerySet[CareerConversation]:
    return conversations.select_related("profile__user", "training_body", "recorded_by").prefetch_related(
        Prefetch("actions", queryset=AgreedAction.objects.order_by("position"))
    )


def conversations_visible_to(user: User) -> QuerySet[CareerConversation]:
    if user_can(user, Permission.HAVE_CAREER_CONVERSATIONS):
        return _with_actions(CareerConversation.objects.filter(profile__user=user))
    if user_can(user, Permission.RECORD_CAREER_CONVERSATIONS):
        return _with_actions(
            CareerConversation.objects.filter(
                training_body__memberships__user=user,
                profile__shares_with_training_body=True,
                profile__training_body_id=F("training_body_id"),
                profile__account_active=True,
            )
        )
    return CareerConversation.objects.none()


def conversation_for(user: User, conversation_id) -> CareerConversation:
    conversation = conversations_visible_to(user).filter(pk=conversation_id).first()
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation


def conversations_with_clinician(user: User, profile: ClinicianProfile) -> list[CareerConversation]:
    return list(conversations_visible_to(user).filter(profile=profile).order_by("-held_on", "-created_at"))


def conversations_to_confirm(user: User) -> QuerySet[CareerConversation]:
    """The clinician's conversations they have not yet confirmed or disputed."""
    return conversations_visible_to(user).filter(response="")


def conversation_requests_visible_to(user: User) -> QuerySet[ConversationRequest]:
    """Clinicians: their own requests. Admins: their bodies' requests from clinicians sharing their record."""
    if user_can(user, Permission.HAVE_CAREER_CONVERSATIONS):
        return ConversationRequest.objects.filter(profile__user=user).select_related("training_body")
    if user_can(user, Permission.RECORD_CAREER_CONVERSATIONS):
        return ConversationRequest.objects.filter(
            training_body__memberships__user=user,
            profile__shares_with_training_body=True,
            profile__training_body_id=F("training_body_id"),
            profile__account_active=True,
        ).select_related("profile__user", "training_body")
    return ConversationRequest.objects.none()


def open_conversation_requests(user: User) -> QuerySet[ConversationRequest]:
    return conversation_requests_visible_to(user).filter(answered_at__isnull=True).order_by("created_at", "pk")


def open_conversation_request_count(user: User) -> int:
    return open_conversation_requests(user).count()
