"""Reads of nudges, scoped to the admins of the nudge's training body (DESIGN.md section 3)."""

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, QuerySet
from django.http import Http404

from accounts.models import Role, TrainingBody, User
from accounts.selectors import training_body_for_admin
from talent.models import Nudge, NudgeEntry
from talent.selectors.clinicians import clinicians_visible_to


def nudges_visible_to(user: User) -> QuerySet[Nudge]:
    """Nudges of the bodies this user administers, newest first, with how many clinicians each listed when built."""
    if not user.is_authenticated or user.role != Role.TRAINING_BODY_ADMIN:
        return Nudge.objects.none()
    return (
        Nudge.objects.filter(training_body__memberships__user=user)
        .select_related("training_body")
        .annotate(clinician_count=Count("entries", distinct=True))
        .order_by("-period_end", "training_body__name")
    )


def _visible_entries(user: User) -> QuerySet[NudgeEntry]:
    """Entries naming clinicians the user may still see: a clinician who has since withdrawn consent, or moved to
    another body, is counted but never named."""
    return (
        NudgeEntry.objects.filter(
            profile__in=clinicians_visible_to(user).values("pk"), profile__training_body=F("nudge__training_body")
        )
        .select_related("profile__user", "nudge")
        .order_by("profile__user__full_name", "pk")
    )


def with_visible_entries(user: User, nudges: QuerySet[Nudge]) -> QuerySet[Nudge]:
    """Nudges with `.visible_entries`: the clinicians still visible to the user (one query for all nudges)."""
    return nudges.prefetch_related(Prefetch("entries", queryset=_visible_entries(user), to_attr="visible_entries"))


def nudges_of_body(user: User, slug: str) -> tuple[TrainingBody, QuerySet[Nudge]]:
    """A body the user administers and its nudges; 404 for any other body."""
    body = training_body_for_admin(user, slug)
    return body, with_visible_entries(user, nudges_visible_to(user).filter(training_body=body))


@dataclass(frozen=True)
class NudgeContents:
    nudge: Nudge
    entries: list[NudgeEntry]
    left_out: int


def nudge_for(user: User, nudge_id) -> NudgeContents:
    """One nudge of a body the user administers, with the clinicians still visible; 404 otherwise."""
    nudge = with_visible_entries(user, nudges_visible_to(user)).filter(pk=nudge_id).first()
    if nudge is None:
        raise Http404("No such nudge.")
    entries = nudge.visible_entries
    return NudgeContents(nudge=nudge, entries=entries, left_out=nudge.clinician_count - len(entries))
