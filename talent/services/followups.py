"""Follow-ups of nudges (DESIGN.md section 4): the nudge dispatch opens one item per clinician it names and body, in
its own transaction and in one statement per batch; an admin of the body closes it once, by a recorded
conversation, a nomination, signposting or no action with a reason; a consent withdrawn first closes it too.

Closing locks the item's row and checks it is still open under the lock, so two admins closing at once get one
close and one conflict, and nothing of the second (signposts, emails, audit) is written.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.audit import audit_record
from accounts.models import User
from accounts.outbox import outbox_add
from accounts.permissions import Permission, user_can
from config.errors import DomainError
from pathways.models import ContentStatus, Opportunity, Pathway
from talent.models import (
    ADMIN_OUTCOMES,
    CareerConversation,
    ClinicianProfile,
    FollowUp,
    FollowUpOutcome,
    NoActionReason,
    Nomination,
    Signpost,
)

NOTE_MAX_LENGTH = 1000
SIGNPOSTS_MAX = 10
OPEN_BATCH = 2000


def follow_up_due_on(opened: datetime) -> date:
    return timezone.localdate(opened) + timedelta(days=settings.NUDGE_FOLLOW_UP_DAYS)


def follow_ups_open(*, rows: Iterable[tuple], now: datetime) -> None:
    """Open an item for each (training body id, profile id, nudge id), inside the dispatch's transaction. A
    clinician whose item for that body is still open is skipped by the database (the partial unique index), so
    naming them again adds nothing and costs no extra query."""
    due_on = follow_up_due_on(now)
    FollowUp.objects.bulk_create(
        [
            FollowUp(training_body_id=body_id, profile_id=profile_id, nudge_id=nudge_id, opened_at=now, due_on=due_on)
            for body_id, profile_id, nudge_id in rows
        ],
        batch_size=OPEN_BATCH,
        ignore_conflicts=True,
    )


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def already_closed_error(follow_up: FollowUp) -> DomainError:
    who = follow_up.closed_by.full_name if follow_up.closed_by else "the service"
    return DomainError(
        f"This follow-up was already closed by {who} on {_when(follow_up.closed_at)}: "
        f"{follow_up.get_outcome_display().lower()}.",
        conflict=True,
    )


def _locked(user: User, follow_up: FollowUp) -> FollowUp:
    """The item's row, locked, once the user is known to administer its body."""
    if not user_can(user, Permission.FOLLOW_UP_NUDGES):
        raise PermissionDenied("Only training-body admins follow up nudges.")
    # Lock only the item's row, then read its relations: a join read under the lock would show the row as it was
    # before a close that committed while this one waited.
    locked_pk = (
        FollowUp.objects.select_for_update(of=("self",))
        .filter(pk=follow_up.pk, training_body__memberships__user=user)
        .values_list("pk", flat=True)
        .first()
    )
    locked = (
        FollowUp.objects.select_related("profile__user", "training_body", "closed_by").filter(pk=locked_pk).first()
        if locked_pk is not None
        else None
    )
    if locked is None:
        raise PermissionDenied("This follow-up is not one of your training body's.")
    if locked.is_closed:
        raise already_closed_error(locked)
    return locked


def _check_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise DomainError("Say what the reason is", field="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(f"The note must be {NOTE_MAX_LENGTH} characters or fewer", field="note")
    return note


def _signpost_targets(opportunity_ids, pathway_ids, today: date) -> tuple[list[Opportunity], list[Pathway]]:
    """The chosen opportunities (published and open today) and pathways (published); any other is a field error."""
    opportunity_ids = list(dict.fromkeys(str(pk) for pk in opportunity_ids or ()))
    pathway_ids = list(dict.fromkeys(str(pk) for pk in pathway_ids or ()))
    if not opportunity_ids and not pathway_ids:
        raise DomainError("Choose at least one opportunity or pathway", field="opportunities")
    if len(opportunity_ids) + len(pathway_ids) > SIGNPOSTS_MAX:
        raise DomainError(f"Choose {SIGNPOSTS_MAX} opportunities and pathways or fewer", field="opportunities")
    try:
        opportunities = list(
            Opportunity.objects.filter(
                pk__in=opportunity_ids, status=ContentStatus.PUBLISHED, opens_on__lte=today, closes_on__gte=today
            ).order_by("title")
        )
        pathways = list(
            Pathway.objects.filter(pk__in=[int(pk) for pk in pathway_ids], status=ContentStatus.PUBLISHED).order_by(
                "title"
            )
        )
    except (ValueError, TypeError, ValidationError) as error:
        raise DomainError("Choose opportunities and pathways from the list", field="opportunities") from error
    if len(opportunities) != len(opportunity_ids):
        raise DomainError(
            "You can only signpost opportunities that are published and open for applications today",
            field="opportunities",
        )
    if len(pathways) != len(pathway_ids):
        raise DomainError("You can only signpost published pathways", field="pathways")
    return opportunities, pathways


def _close(follow_up: FollowUp, *, user: User | None, outcome: str, **fields) -> None:
    follow_up.closed_at = timezone.now()
    follow_up.closed_by = user
    follow_up.outcome = outcome
    for name, value in fields.items():
        setattr(follow_up, name, value)
    follow_up.save(
        update_fields=["closed_at", "closed_by", "outcome", "no_action_reason", "note", "conversation", "nomination"]
    )


def _audit(user: User | None, follow_up: FollowUp, **detail) -> None:
    audit_record(
        actor=user,
        action="follow_up.closed",
        subject=follow_up,
        detail={"outcome": follow_up.outcome, "training_body": follow_up.training_body_id, **detail},
    )


@transaction.atomic
def follow_up_close(
    *,
    user: User,
    follow_up: FollowUp,
    outcome: str,
    opportunity_ids: Iterable = (),
    pathway_ids: Iterable = (),
    reason: str = "",
    note: str = "",
) -> FollowUp:
    """An admin of the item's body closes it, once. Signposting writes the signposts and emails the clinician."""
    follow_up = _locked(user, follow_up)
    if outcome not in ADMIN_OUTCOMES:
        raise DomainError("Choose how you followed up", field="outcome")
    profile = follow_up.profile
    if outcome == FollowUpOutcome.NO_ACTION:
        if reason not in NoActionReason.values:
            raise DomainError("Choose the reason for taking no action", field="reason")
        note = _check_note(note, required=reason == NoActionReason.OTHER)
        _close(follow_up, user=user, outcome=outcome, no_action_reason=reason, note=note)
        _audit(user, follow_up, reason=reason)
        return follow_up
    if outcome == FollowUpOutcome.CONVERSATION:
        conversation = (
            CareerConversation.objects.filter(
                profile=profile, training_body_id=follow_up.training_body_id, created_at__gte=follow_up.opened_at
            )
            .order_by("-created_at")
            .first()
        )
        if conversation is None:
            raise DomainError("Record the career conversation first: that closes this follow-up", field="outcome")
        _close(follow_up, user=user, outcome=outcome, conversation=conversation)
        _audit(user, follow_up, conversation=str(conversation.pk))
        return follow_up
    if outcome == FollowUpOutcome.NOMINATED:
        nomination = (
            Nomination.objects.filter(
                profile=profile, training_body_id=follow_up.training_body_id, created_at__gte=follow_up.opened_at
            )
            .order_by("-created_at")
            .first()
        )
        if nomination is None:
            raise DomainError(
                f"{profile.user.full_name} has not been nominated since this follow-up opened: nominate them first",
                field="outcome",
            )
        _close(follow_up, user=user, outcome=outcome, nomination=nomination)
        _audit(user, follow_up, nomination=str(nomination.pk))
        return follow_up
    opportunities, pathways = _signpost_targets(opportunity_ids, pathway_ids, timezone.localdate())
    _close(follow_up, user=user, outcome=outcome, note=_check_note(note, required=False))
    now = follow_up.closed_at
    Signpost.objects.bulk_create(
        [
            Signpost(
                profile=profile,
                training_body_id=follow_up.training_body_id,
                follow_up=follow_up,
                opportunity=opportunity,
                created_by=user,
                created_at=now,
            )
            for opportunity in opportunities
        ]
        + [
            Signpost(
                profile=profile,
                training_body_id=follow_up.training_body_id,
                follow_up=follow_up,
                pathway=pathway,
                created_by=user,
                created_at=now,
            )
            for pathway in pathways
        ]
    )
    _audit(
        user,
        follow_up,
        opportunities=[str(o.pk) for o in opportunities],
        pathways=[p.pk for p in pathways],
    )
    if profile.user.is_active:
        outbox_add(
            key=f"signposted:{follow_up.pk}",
            kind="signposted",
            to=profile.user.email,
            context={
                "recipient_name": profile.user.full_name,
                "training_body_name": follow_up.training_body.name,
                "note": follow_up.note,
                "opportunities": [
                    {"title": o.title, "path": reverse("pathways:show_opportunity", kwargs={"slug": o.slug})}
                    for o in opportunities
                ],
                "pathways": [
                    {"title": p.title, "path": reverse("pathways:show_pathway", kwargs={"slug": p.slug})}
                    for p in pathways
                ],
                "path": reverse("talent:show_clinician_home"),
            },
        )
    return follow_up


def follow_up_close_by(
    *, user: User, profile: ClinicianProfile, training_body_id: int, outcome: str, **fields
) -> FollowUp | None:
    """Close the clinician's open item for the body, if any, as the admin's action did (recording a conversation,
    nominating): a conditional update, so it never closes an item twice. Runs in the caller's transaction."""
    follow_up = (
        FollowUp.objects.select_for_update()
        .filter(profile=profile, training_body_id=training_body_id, closed_at__isnull=True)
        .first()
    )
    if follow_up is None:
        return None
    _close(follow_up, user=user, outcome=outcome, **fields)
    _audit(user, follow_up, **{name: str(getattr(value, "pk", value)) for name, value in fields.items()})
    return follow_up


def follow_ups_close_on_consent(*, profile: ClinicianProfile, shared_body_id: int | None) -> int:
    """A clinician no longer sharing with a body (consent withdrawn, or shared with another body now) closes that
    body's open items as "consent withdrawn". Runs in the caller's transaction."""
    open_items = list(
        FollowUp.objects.select_for_update()
        .filter(profile=profile, closed_at__isnull=True)
        .exclude(training_body_id=shared_body_id)
        .order_by("pk")
    )
    for follow_up in open_items:
        _close(follow_up, user=None, outcome=FollowUpOutcome.CONSENT_WITHDRAWN)
        _audit(profile.user, follow_up)
    return len(open_items)
