"""Reads of follow-ups and signposts, scoped to the asking user: a training-body admin sees their bodies' items of
clinicians who still share their record with the body; everyone else none (404)."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Permission, user_can
from pathways.models import ContentStatus
from talent.models import ClinicianProfile, FollowUp, Signpost

OPEN = "open"
OVERDUE = "overdue"
CLOSED = "closed"
STATES = (OPEN, OVERDUE, CLOSED)


def follow_ups_visible_to(user: User) -> QuerySet[FollowUp]:
    if not user_can(user, Permission.FOLLOW_UP_NUDGES):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(
        training_body__memberships__user=user,
        profile__shares_with_training_body=True,
        profile__training_body_id=F("training_body_id"),
        profile__account_active=True,
    ).select_related("profile__user", "training_body", "closed_by")


def follow_ups_in_state(follow_ups: QuerySet[FollowUp], state: str | None, today=None) -> QuerySet[FollowUp]:
    today = today or timezone.localdate()
    if state == OPEN:
        return follow_ups.filter(closed_at__isnull=True)
    if state == OVERDUE:
        return follow_ups.filter(closed_at__isnull=True, due_on__lt=today)
    if state == CLOSED:
        return follow_ups.filter(closed_at__isnull=False).order_by("-closed_at", "pk")
    return follow_ups


def follow_up_for(user: User, follow_up_id) -> FollowUp:
    follow_up = follow_ups_visible_to(user).filter(pk=follow_up_id).first()
    if follow_up is None:
        raise Http404("No such follow-up.")
    return follow_up


@dataclass(frozen=True)
class FollowUpCounts:
    due: int
    overdue: int


def follow_up_counts(user: User) -> FollowUpCounts:
    """Open items still within their time, and overdue ones, for the admin's bodies: one query."""
    today = timezone.localdate()
    counts = follow_ups_in_state(follow_ups_visible_to(user), OPEN).aggregate(
        due=Count("pk", filter=Q(due_on__gte=today)), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    return FollowUpCounts(due=counts["due"], overdue=counts["overdue"])


def follow_ups_of_clinician(user: User, profile: ClinicianProfile) -> list[FollowUp]:
    return list(follow_ups_visible_to(user).filter(profile=profile).order_by("-opened_at"))


def signposts_of(profile: ClinicianProfile, *, limit: int = 20) -> list[Signpost]:
    """What the clinician's bodies pointed them to, newest first, while it is still published."""
    return list(
        Signpost.objects.filter(profile=profile)
        .filter(
            Q(opportunity__status=ContentStatus.PUBLISHED) | Q(pathway__status=ContentStatus.PUBLISHED),
        )
        .select_related("opportunity", "pathway", "training_body")
        .order_by("-created_at", "pk")[:limit]
    )
